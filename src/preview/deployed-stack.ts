/**
 * The deployed side of one stack: its status (DescribeStacks) and the
 * template CloudFormation holds for it (GetTemplate, `Original` stage: the
 * template as deployed, before transforms).
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { Template } from './template-diff';
import { AwsCallError, awsCall, cloudFormationModule } from '../aws';
import { TOOL } from './template-diff';

export type DeployedStack =
  /** Deployed: compare with its template. `note` says when its state matters (failed, in progress). */
  | { readonly state: 'deployed'; readonly status: string; readonly template: Template; readonly note?: string }
  /** Nothing deployed: every resource is an addition. `status` when a stack exists that holds no resources. */
  | { readonly state: 'not-deployed'; readonly status?: string; readonly note?: string }
  /** Could not be read. */
  | { readonly state: 'unreadable'; readonly error: AwsCallError | Error; readonly status?: string };

/**
 * Stacks that exist but hold no resources, and which the next `cdk deploy`
 * treats as new: a stack created for a change set that was never executed
 * (REVIEW_IN_PROGRESS), and a first creation that failed and was rolled back
 * (ROLLBACK_COMPLETE: the CLI deletes it and creates it again).
 */
const EMPTY_STATUSES: Record<string, string> = {
  REVIEW_IN_PROGRESS: 'the stack exists only for a change set that was never executed: nothing is deployed',
  ROLLBACK_COMPLETE: 'the first creation of the stack failed and was rolled back: nothing is deployed, and the next deploy creates it again',
};

function statusNote(status: string): string | undefined {
  if (status === 'UPDATE_ROLLBACK_FAILED') {
    return 'the stack is in UPDATE_ROLLBACK_FAILED: the next deploy fails until the rollback is continued (aws cloudformation continue-update-rollback)';
  }
  if (status === 'DELETE_FAILED' || status === 'DELETE_IN_PROGRESS') return `the stack is being deleted or failed to delete (${status})`;
  if (/_FAILED$/.test(status)) return `the last operation on the stack failed (${status}): the deployed resources may differ from this template`;
  if (/_IN_PROGRESS$/.test(status)) return `an operation is in progress (${status}): the preview compares with the template CloudFormation holds now`;
  return undefined;
}

function parseTemplate(body: string | undefined, stackName: string): Template {
  try {
    const template = JSON.parse(body ?? '{}');
    if (template && typeof template === 'object') return template;
  } catch { /* handled below */ }
  throw new Error(`the deployed template of ${stackName} is not JSON (a stack deployed as YAML, not by the CDK?): it cannot be compared`);
}

export async function readDeployedStack(client: CloudFormationClient, stackName: string, env: NodeJS.ProcessEnv): Promise<DeployedStack> {
  const sdk = cloudFormationModule(TOOL);
  let status: string;
  try {
    const described = await awsCall(`DescribeStacks ${stackName}`,
      () => client.send(new sdk.DescribeStacksCommand({ StackName: stackName })), env);
    status = String(described.Stacks?.[0]?.StackStatus ?? '');
  } catch (e) {
    if (e instanceof AwsCallError && e.problem.kind === 'stack-not-found') return { state: 'not-deployed' };
    return { state: 'unreadable', error: e as Error };
  }
  if (!status) return { state: 'not-deployed' };
  if (EMPTY_STATUSES[status]) return { state: 'not-deployed', status, note: EMPTY_STATUSES[status] };
  try {
    const got = await awsCall(`GetTemplate ${stackName}`,
      () => client.send(new sdk.GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' })), env);
    return { state: 'deployed', status, template: parseTemplate(got.TemplateBody, stackName), note: statusNote(status) };
  } catch (e) {
    return { state: 'unreadable', error: e as Error, status };
  }
}
