/**
 * The CDK's own template diff (`@aws-cdk/cloudformation-diff`, what `cdk diff`
 * uses): structured differences between the deployed and the synthesised
 * template, and the same text `cdk diff` prints, without colours.
 */
import type { TemplateDiff } from '@aws-cdk/cloudformation-diff';
import { loadOptionalModule } from '../aws/optional-module';

export type CloudFormationDiffModule = typeof import('@aws-cdk/cloudformation-diff');
export type { TemplateDiff };

export const TOOL = 'bitbucket-cdk-preview';

export function cloudFormationDiff(): CloudFormationDiffModule {
  return loadOptionalModule<CloudFormationDiffModule>('@aws-cdk/cloudformation-diff', TOOL);
}

/** A CloudFormation template as parsed JSON. */
export type Template = { [key: string]: any };

/**
 * Differences from `deployed` (an empty template when nothing is deployed:
 * every resource is an addition) to `synthesized`.
 */
export function diffTemplates(deployed: Template | undefined, synthesized: Template): TemplateDiff {
  return cloudFormationDiff().fullDiff(deployed ?? {}, synthesized);
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Logical ID -> construct path within the stack (`App/Jobs/Resource` for
 * `dev/App/Jobs/Resource` of stack `dev/App`): the formatter shows the path
 * after the stack's name, as `cdk diff` does.
 */
function constructPaths(stackDisplayName: string, templates: (Template | undefined)[]): Record<string, string> {
  const stackPrefix = stackDisplayName.split('/').slice(0, -1).join('/');
  const paths: Record<string, string> = {};
  for (const template of templates) {
    for (const [logicalId, resource] of Object.entries<any>(template?.Resources ?? {})) {
      const p = resource?.Metadata?.['aws:cdk:path'];
      if (typeof p === 'string' && !(logicalId in paths)) paths[logicalId] = stackPrefix && p.startsWith(`${stackPrefix}/`) ? p.slice(stackPrefix.length + 1) : p;
    }
  }
  return paths;
}

/** What `cdk diff` prints for one stack (resources, IAM and security-group tables), as plain text. */
export function formatDiffText(diff: TemplateDiff, stackDisplayName: string, deployed: Template | undefined, synthesized: Template): string {
  const chunks: string[] = [];
  // The formatter only calls write() (and reads columns for its tables).
  const stream = {
    columns: 160,
    write: (chunk: unknown) => {
      chunks.push(String(chunk));
      return true;
    },
  } as unknown as Parameters<CloudFormationDiffModule['formatDifferences']>[0];
  cloudFormationDiff().formatDifferences(stream, diff, constructPaths(stackDisplayName, [synthesized, deployed]));
  return chunks.join('').replace(ANSI, '');
}
