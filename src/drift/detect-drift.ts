import type { CloudFormationClient, StackResourceDrift, StackResourceDriftStatus } from '@aws-sdk/client-cloudformation';
import { duration, pollUntil, PollTiming } from './poll';
import type { IncompleteCheck, ResourceDrift, StackDrift } from './stack-drift';
import { AwsCallError, awsCall, CloudFormationModule } from '../aws';

/** What the drift check needs: the SDK module (for its commands) and a client of the stack's region. */
export interface CloudFormationAccess {
  readonly sdk: CloudFormationModule;
  readonly client: CloudFormationClient;
  readonly env: NodeJS.ProcessEnv;
}

/** A stack whose drift detection has started, or its result already. */
type Started = { readonly detectionId: string } | { readonly done: StackDrift };

/** Credentials that fail fail for every stack: the caller stops and explains instead of listing each stack. */
function rethrowIfFatal(e: unknown): AwsCallError {
  if (e instanceof AwsCallError && (e.problem.kind === 'no-credentials' || e.problem.kind === 'role-not-assumable')) throw e;
  if (!(e instanceof AwsCallError)) throw e;
  return e;
}

function notChecked(e: AwsCallError, what: string): StackDrift {
  const denied = e.problem.kind === 'access-denied';
  return { kind: 'not-checked', reason: `${what}: ${e.problem.code}: ${e.problem.message}`, accessDenied: denied || undefined };
}

/**
 * DescribeStacks, then DetectStackDrift: a stack that does not exist (or
 * only holds a change set never executed) is not deployed, not drifted.
 */
export async function startDetection(cfn: CloudFormationAccess, stackName: string): Promise<Started> {
  let status: string | undefined;
  try {
    const out = await awsCall(`DescribeStacks ${stackName}`, () => cfn.client.send(new cfn.sdk.DescribeStacksCommand({ StackName: stackName })), cfn.env);
    status = out.Stacks?.[0]?.StackStatus;
  } catch (e) {
    const err = rethrowIfFatal(e);
    if (err.problem.kind === 'stack-not-found') return { done: { kind: 'not-deployed' } };
    return { done: notChecked(err, 'DescribeStacks') };
  }
  if (status === undefined || status === 'REVIEW_IN_PROGRESS') return { done: { kind: 'not-deployed' } };
  try {
    const out = await awsCall(`DetectStackDrift ${stackName}`, () => cfn.client.send(new cfn.sdk.DetectStackDriftCommand({ StackName: stackName })), cfn.env);
    return { detectionId: out.StackDriftDetectionId! };
  } catch (e) {
    // e.g. a stack in ROLLBACK_COMPLETE or mid-update: CloudFormation says why.
    return { done: notChecked(rethrowIfFatal(e), `DetectStackDrift (stack status ${status})`) };
  }
}

async function resourceDrifts(cfn: CloudFormationAccess, stackName: string, statuses?: StackResourceDriftStatus[]): Promise<StackResourceDrift[]> {
  const all: StackResourceDrift[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall(`DescribeStackResourceDrifts ${stackName}`, () => cfn.client.send(new cfn.sdk.DescribeStackResourceDriftsCommand({
      StackName: stackName,
      StackResourceDriftStatusFilters: statuses,
      NextToken: token,
    })), cfn.env);
    all.push(...(page.StackResourceDrifts ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

function toResourceDrift(r: StackResourceDrift): ResourceDrift {
  return {
    logicalId: r.LogicalResourceId ?? '?',
    type: r.ResourceType ?? '?',
    physicalId: r.PhysicalResourceId,
    status: r.StackResourceDriftStatus ?? '?',
    properties: (r.PropertyDifferences ?? []).map((p) => ({
      path: p.PropertyPath ?? '?',
      difference: p.DifferenceType ?? '?',
      expected: p.ExpectedValue,
      actual: p.ActualValue,
    })),
  };
}

const DRIFTED: StackResourceDriftStatus[] = ['MODIFIED', 'DELETED'];

/**
 * Waits for the detection to end, then lists what drifted. A detection that
 * failed for some resources (CloudFormation reads each resource with the
 * caller's credentials) still reports what it could check.
 */
export async function finishDetection(
  cfn: CloudFormationAccess, stackName: string, detectionId: string, timing: PollTiming, deadline: number,
): Promise<StackDrift> {
  try {
    const status = await pollUntil(async () => {
      const out = await awsCall(`DescribeStackDriftDetectionStatus ${stackName}`,
        () => cfn.client.send(new cfn.sdk.DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId })), cfn.env);
      return out.DetectionStatus === 'DETECTION_IN_PROGRESS' ? undefined : out;
    }, timing, deadline);
    if (!status) {
      const reason = `drift detection ${detectionId} did not finish within ${duration(timing.timeoutMs)}; `
        + 'its result will be in the CloudFormation console (stack actions → view drift results)';
      return { kind: 'not-checked', reason };
    }

    if (status.DetectionStatus === 'DETECTION_COMPLETE') {
      if (status.StackDriftStatus === 'IN_SYNC') return { kind: 'in-sync' };
      const drifted = await resourceDrifts(cfn, stackName, DRIFTED);
      if (drifted.length > 0) return { kind: 'drifted', resources: drifted.map(toResourceDrift) };
      return status.StackDriftStatus === 'DRIFTED'
        ? { kind: 'not-checked', reason: 'CloudFormation reports the stack as drifted but lists no modified or deleted resource' }
        : { kind: 'in-sync' };
    }

    // DETECTION_FAILED: results exist for the resources CloudFormation could check.
    const all = await resourceDrifts(cfn, stackName);
    const incomplete: IncompleteCheck = {
      reason: status.DetectionStatusReason ?? `drift detection ended ${status.DetectionStatus} without a reason`,
      checked: all.filter((r) => ['IN_SYNC', ...DRIFTED].includes(r.StackResourceDriftStatus!)).length,
      unchecked: all.filter((r) => r.StackResourceDriftStatus === 'NOT_CHECKED').map((r) => r.LogicalResourceId ?? '?'),
    };
    const drifted = all.filter((r) => DRIFTED.includes(r.StackResourceDriftStatus!));
    if (drifted.length > 0) return { kind: 'drifted', resources: drifted.map(toResourceDrift), incomplete };
    return { kind: 'not-checked', reason: incomplete.reason, incomplete };
  } catch (e) {
    return notChecked(rethrowIfFatal(e), 'drift results');
  }
}
