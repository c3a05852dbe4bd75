/**
 * Reads the deployed side of every stack of the environment and compares it
 * with the assembly: the whole preview, short of printing and posting it.
 * Whatever AWS answers, the result is a report (never an exception for an
 * AWS refusal): the change is not at fault when a role is missing.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { AssemblyStack } from './assembly-stacks';
import { bootstrapParameter, readBootstrapVersion } from './bootstrap-version';
import { classifyChanges } from './classify';
import { readDeployedStack } from './deployed-stack';
import { BootstrapInfo, buildReport, notPreviewedReport, PreviewReport, PreviewTarget, StackPreview } from './report-model';
import { diffTemplates, formatDiffText, TOOL } from './template-diff';
import { AwsCallError, createCloudFormationClient, createSsmClient, CredentialIdentity, resolveCredentials } from '../aws';
import { APP_TAG_KEY } from '../core/naming';
import { OIDC_TASK_NAMES } from '../oidc/oidc-tasks';

export interface PreviewRequest extends PreviewTarget {
  readonly bootstrapQualifier: string;
}

export interface EnvironmentPreview {
  readonly report: PreviewReport;
  /** The full diff of every stack, as `cdk diff` prints it, without colours. */
  readonly diffText: string;
}

/** Why nothing could be read, with what to do. */
function notPreviewedReason(request: PreviewRequest, e: AwsCallError | Error): string {
  if (!(e instanceof AwsCallError)) return `${e.message}`;
  const { problem } = e;
  const lines = [`${problem.hint} (${problem.code}: ${problem.message})`];
  if (problem.kind === 'role-not-assumable') {
    lines.push(`An administrator deploys the read role of account ${request.account} with: npx projen ${OIDC_TASK_NAMES.deployAccount(request.account)}`);
  }
  return lines.join('\n');
}

function stackReason(request: PreviewRequest, stack: AssemblyStack, e: AwsCallError | Error): string {
  if (e instanceof AwsCallError && e.problem.kind === 'access-denied') {
    const prefix = `${request.environment}-`;
    if (stack.region !== request.region) {
      return `access denied: the read role may read the environment's stacks in ${request.region} only, and this stack deploys to ${stack.region}`;
    }
    if (!stack.stackName.startsWith(prefix)) {
      return `access denied: the read role may read the stacks named ${prefix}* only, and this stack has a custom name (${stack.stackName})`;
    }
    // AWS cannot tell "not deployed" from "not this app's" here: a stack without the app's tag is unreadable, and so is a missing one.
    return `access denied (${e.problem.message}): the read role of account ${request.account} reads only stacks tagged ${APP_TAG_KEY}=${stack.tags[APP_TAG_KEY]}. `
      + 'Either the stack is not deployed yet (a first deployment), or it was deployed before the app tagged its stacks (the next deployment tags it), '
      + `or the role predates the tag (an administrator updates it with npx projen ${OIDC_TASK_NAMES.deployAccount(request.account)})`;
  }
  return e instanceof AwsCallError ? `${e.problem.hint} (${e.problem.code}: ${e.problem.message})` : e.message;
}

function bootstrapNotes(stack: AssemblyStack, bootstrap: BootstrapInfo): string[] {
  const needed = stack.requiresBootstrapStackVersion;
  if (bootstrap.state !== 'bootstrapped' || needed === undefined || bootstrap.version! >= needed) return [];
  return [`the stack needs bootstrap version ${needed} or later, the environment has ${bootstrap.version}: the deploy fails until an administrator runs cdk bootstrap again`];
}

async function previewStack(
  request: PreviewRequest, stack: AssemblyStack, client: CloudFormationClient, bootstrap: BootstrapInfo, env: NodeJS.ProcessEnv,
): Promise<{ preview: StackPreview; diffText: string }> {
  const base = { stackName: stack.stackName, displayName: stack.displayName, account: stack.account, region: stack.region };
  const heading = `Stack ${stack.stackName} (${stack.displayName})`;
  if (stack.account !== request.account) {
    const reason = `it deploys to account ${stack.account}, not to the environment's account ${request.account}: the read role cannot read it`;
    return { preview: { ...base, state: 'not-previewed', notes: [], reason }, diffText: `${heading}: not previewed: ${reason}\n` };
  }
  if (!stack.tags[APP_TAG_KEY]) {
    const reason = `the app does not tag it as its own (stack tag ${APP_TAG_KEY}), so the read role may not read it: call tagStacks(app) of deploy-environments.ts in the app's entry point (src/main.ts) and deploy once`;
    return { preview: { ...base, state: 'not-previewed', notes: [], reason }, diffText: `${heading}: not previewed: ${reason}\n` };
  }
  const deployed = await readDeployedStack(client, stack.stackName, env);
  if (deployed.state === 'unreadable') {
    const reason = stackReason(request, stack, deployed.error);
    return { preview: { ...base, state: 'not-previewed', deployedStatus: deployed.status, notes: [], reason }, diffText: `${heading}: not previewed: ${reason}\n` };
  }
  const deployedTemplate = deployed.state === 'deployed' ? deployed.template : undefined;
  const diff = diffTemplates(deployedTemplate, stack.template);
  const changes = classifyChanges(diff);
  const notes = [...(deployed.note ? [deployed.note] : []), ...bootstrapNotes(stack, bootstrap)];
  const state = deployed.state === 'not-deployed' ? 'first-deployment' : diff.isEmpty ? 'no-changes' : 'changes';
  const preview: StackPreview = { ...base, state, deployedStatus: deployed.status, notes, changes };
  const intro = state === 'first-deployment' ? ' (first deployment: nothing deployed yet)' : '';
  return { preview, diffText: `${heading}${intro}\n${diff.isEmpty ? 'There were no differences\n' : formatDiffText(diff, stack.displayName, deployedTemplate, stack.template)}` };
}

export async function previewEnvironment(request: PreviewRequest, stacks: AssemblyStack[], env: NodeJS.ProcessEnv): Promise<EnvironmentPreview> {
  // One credential provider for every client: one web identity session.
  const first = createCloudFormationClient(request.region, TOOL);
  const clients = new Map<string, CloudFormationClient>([[request.region, first]]);
  const cloudFormation = (region: string) => {
    if (!clients.has(region)) clients.set(region, createCloudFormationClient(region, TOOL, first));
    return clients.get(region)!;
  };
  const parameter = bootstrapParameter(request.bootstrapQualifier);
  const notPreviewed = (reason: string): EnvironmentPreview =>
    ({ report: notPreviewedReport(request, reason, parameter, stacks), diffText: `Not previewed: ${reason}\n` });
  let identity: CredentialIdentity;
  try {
    identity = await resolveCredentials(cloudFormation(request.region), env);
  } catch (e) {
    return notPreviewed(notPreviewedReason(request, e as Error));
  }
  // Otherwise every stack "does not exist" there and the preview would claim a first deployment.
  if (identity.accountId && identity.accountId !== request.account) {
    return notPreviewed(`the credentials are for account ${identity.accountId}, not for the environment's account ${request.account}: use credentials of ${request.account}.`);
  }

  const version = await readBootstrapVersion(createSsmClient(request.region, TOOL, first), request.bootstrapQualifier, env);
  const bootstrap: BootstrapInfo = version.state === 'unknown'
    ? { state: 'unknown', parameter, reason: version.error instanceof AwsCallError ? `${version.error.problem.code}: ${version.error.problem.message}` : version.error.message }
    : version.state === 'bootstrapped' ? { state: 'bootstrapped', parameter, version: version.version } : { state: 'not-bootstrapped', parameter };

  const previews: StackPreview[] = [];
  const texts: string[] = [];
  for (const stack of stacks) {
    const { preview, diffText } = await previewStack(request, stack, cloudFormation(stack.region), bootstrap, env);
    previews.push(preview);
    texts.push(diffText);
  }
  return { report: buildReport(request, bootstrap, previews), diffText: texts.join('\n') };
}
