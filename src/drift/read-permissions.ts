import * as fs from 'fs';
import * as path from 'path';
import { OIDC_TEMPLATE_DIR } from '../oidc/oidc-templates';

/**
 * The module that says which resource types the read-only role may read
 * through CloudFormation: the OIDC stack source's own file, shipped with
 * this package, so that the role and this tool cannot disagree.
 */
export const DRIFT_READ_PERMISSIONS_FILE = path.join(OIDC_TEMPLATE_DIR, 'drift-read-permissions.ts');

/** Which resource types drift detection checks with the read-only role. */
export interface DriftReadCoverage {
  /** Types the role may read: drift detection checks them. */
  readonly checked: ReadonlySet<string>;
  /** Types the role may not read, and why. */
  readonly notChecked: Readonly<Record<string, string>>;
  /** Types that are no AWS resource (the CDK's metadata): nothing to check. */
  readonly notAResource: ReadonlySet<string>;
}

/**
 * One data block of the module, `/* JSON BEGIN <name> *\/ ... /* JSON END *\/`:
 * JSON but for single-quoted strings (without quotes or backslashes inside)
 * and trailing commas, the module's code style.
 */
function dataBlock(file: string, text: string, name: string): unknown {
  const m = new RegExp(`/\\* JSON BEGIN ${name} \\*/([\\s\\S]*?)/\\* JSON END \\*/`).exec(text);
  if (!m) throw new Error(`${file} has no data block ${name}: reinstall this package`);
  const json = m[1].replace(/'([^'\\]*)'/g, (_all, s: string) => JSON.stringify(s)).replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new Error(`${file}: data block ${name} is not plain data (no comments, single-quoted strings only): ${(e as Error).message}`);
  }
}

/** Reads the coverage from the module (`file`, the shipped one by default). */
export function loadDriftReadCoverage(file: string = DRIFT_READ_PERMISSIONS_FILE): DriftReadCoverage {
  const text = fs.readFileSync(file, 'utf-8');
  const permissions = dataBlock(file, text, 'DRIFT_READ_PERMISSIONS') as Record<string, string[]>;
  return {
    checked: new Set(Object.keys(permissions)),
    notChecked: dataBlock(file, text, 'NOT_DRIFT_CHECKED') as Record<string, string>,
    notAResource: new Set(dataBlock(file, text, 'NOT_A_RESOURCE') as string[]),
  };
}
