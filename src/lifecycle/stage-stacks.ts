import * as fs from 'fs';
import * as path from 'path';

/** A stack of one CDK stage, as the app's last synthesis wrote it to `cdk.out`. */
export interface StageStack {
  /** Hierarchical ID, e.g. `production/Service`: what `cdk destroy '<stage>/*'` selects. */
  readonly displayName: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  /** `aws://<account>/<region>`. */
  readonly environment: string;
  /** Absolute path of the synthesised template; undefined when the manifest names none (or a path outside the assembly). */
  readonly templateFile?: string;
  /** Lowest bootstrap version the stack's deployment needs (`cdk bootstrap`), when the synthesiser says. */
  readonly requiresBootstrapStackVersion?: number;
  /** Stack tags the deployment gives the stack (the CDK app's `Tags` on the stack). */
  readonly tags: Readonly<Record<string, string>>;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly displayName?: string;
  readonly environment?: string;
  readonly dependencies?: string[];
  readonly properties?: {
    readonly directoryName?: string;
    readonly displayName?: string;
    readonly stackName?: string;
    readonly templateFile?: string;
    readonly requiresBootstrapStackVersion?: number;
    readonly tags?: Record<string, unknown>;
  };
}

function readManifest(dir: string): Record<string, ManifestArtifact> | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'));
    return manifest && typeof manifest.artifacts === 'object' ? manifest.artifacts : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The stacks of stage `stage` in the cloud assembly `cdkout` (a nested
 * assembly `assembly-<stage>`), in deployment order; undefined when the
 * assembly or the stage is not there (never built, or rebuilt without it).
 * `npx projen` does not synthesise the app, so right after an environment is
 * removed from `.projenrc.ts` the last build's `cdk.out` still holds it.
 */
export function stageStacks(cdkout: string, stage: string): StageStack[] | undefined {
  const root = readManifest(cdkout);
  const nested = Object.values(root ?? {}).find((a) => a.type === 'cdk:cloud-assembly' && a.properties?.displayName === stage);
  const directory = nested?.properties?.directoryName;
  if (!directory || path.basename(directory) !== directory) return undefined;
  const artifacts = readManifest(path.join(cdkout, directory));
  if (!artifacts) return undefined;
  const stacks = Object.values(artifacts)
    .filter((a) => a.type === 'aws:cloudformation:stack' && a.properties?.stackName && a.displayName?.startsWith(`${stage}/`))
    .map((a) => ({
      displayName: a.displayName!,
      stackName: a.properties!.stackName!,
      environment: a.environment ?? '',
      // A plain file name only: the manifest must not point outside the assembly.
      templateFile: a.properties?.templateFile && path.basename(a.properties.templateFile) === a.properties.templateFile
        ? path.join(cdkout, directory, a.properties.templateFile) : undefined,
      requiresBootstrapStackVersion: a.properties?.requiresBootstrapStackVersion,
      tags: stringValues(a.properties?.tags),
    }));
  return stacks.length > 0 ? stacks : undefined;
}

/**
 * A top-level stack of the cloud assembly `cdkout` by construct ID (e.g. an
 * OIDC stack `BitbucketOidc-<account>` in `cdk.oidc.out`); undefined when the
 * assembly does not hold it.
 */
export function assemblyStack(cdkout: string, id: string): StageStack | undefined {
  const artifacts = readManifest(cdkout);
  const stack = Object.values(artifacts ?? {}).find((a) => a.type === 'aws:cloudformation:stack' && a.displayName === id && a.properties?.stackName);
  return stack ? { displayName: id, stackName: stack.properties!.stackName!, environment: stack.environment ?? '', tags: stringValues(stack.properties?.tags) } : undefined;
}

function stringValues(tags: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
