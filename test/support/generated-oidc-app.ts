import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BitbucketCdkAppOptions } from '../../src';
import { synth } from '../util';

/** Where generated sources are written so that ts-jest compiles them and they resolve this repository's aws-cdk-lib. */
export const WORK_ROOT = path.join(__dirname, '..', '.work');
const created: string[] = [];

/** A project's generated OIDC source, compiled and built into a fresh CDK app. */
export interface GeneratedOidcApp {
  /** Synthesised project files by path. */
  readonly files: Record<string, any>;
  /** Folder holding the generated `src/bitbucket-oidc/*.ts`. */
  readonly dir: string;
  /** The app the generated entry point built its stacks into. */
  readonly app: App;
  /** Stacks by construct ID (`BitbucketOidc-<account>`). */
  readonly stacks: Record<string, Stack>;
  /** Templates by stack construct ID. */
  readonly templates: Record<string, Template>;
  /** The generated `BITBUCKET_OIDC_CONFIG`. */
  readonly config: any;
}

/**
 * Synthesises a project, writes its generated `src/bitbucket-oidc/` into a
 * fresh folder under `test/.work/` and runs the generated entry point's
 * `addBitbucketOidcStacks` on a new `App`: the test exercises the very files
 * a project receives.
 */
export function generatedOidcApp(options: BitbucketCdkAppOptions): GeneratedOidcApp {
  const files = synth(options);
  fs.mkdirSync(WORK_ROOT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(WORK_ROOT, 'oidc-'));
  created.push(dir);
  const generated = Object.keys(files).filter((f) => f.startsWith('src/bitbucket-oidc/'));
  if (generated.length === 0) throw new Error('the project has no src/bitbucket-oidc/ files');
  for (const file of generated) {
    fs.writeFileSync(path.join(dir, path.basename(file)), files[file]);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const main = require(path.join(dir, 'main.ts'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { BITBUCKET_OIDC_CONFIG: config } = require(path.join(dir, 'config.ts'));
  const app = new App();
  const built: Stack[] = main.addBitbucketOidcStacks(app);
  const stacks: Record<string, Stack> = {};
  const templates: Record<string, Template> = {};
  for (const stack of built) {
    stacks[stack.node.id] = stack;
    templates[stack.node.id] = Template.fromStack(stack);
  }
  return { files, dir, app, stacks, templates, config };
}

/** Deletes the folders this run wrote (call from `afterAll`). */
export function removeWorkDirs() {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Counts resources by type. */
export function resourceTypeCounts(template: Template): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values<any>(template.toJSON().Resources ?? {})) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
}
