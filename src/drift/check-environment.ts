import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { DriftArgs } from './args';
import { CloudFormationAccess, finishDetection, startDetection } from './detect-drift';
import type { PollTiming } from './poll';
import { DriftReadCoverage, loadDriftReadCoverage } from './read-permissions';
import type { StackDrift, StackReport } from './stack-drift';
import { unreadableResources } from './unreadable-resources';
import { cloudFormationModule, createCloudFormationClient, resolveCredentials } from '../aws';
import type { StageStack } from '../lifecycle/stage-stacks';

export const TOOL = 'bitbucket-cdk-drift';

/** The credentials belong to another account than the environment's (e.g. a local profile for the wrong account). */
export class WrongAccountError extends Error {
  constructor(public readonly actual: string, expected: string) {
    super(`the credentials are for account ${actual}, the environment is in account ${expected}: use credentials of ${expected}`);
    this.name = 'WrongAccountError';
  }
}

/** Account and region of a stack from its assembly environment `aws://<account>/<region>` (`unknown-*` → the arguments'). */
function stackTarget(stack: StageStack, args: DriftArgs): { account: string; region: string } {
  const m = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(stack.environment);
  const account = m && !m[1].startsWith('unknown-') ? m[1] : args.account;
  const region = m && !m[2].startsWith('unknown-') ? m[2] : args.region;
  return { account, region };
}

/**
 * Adds the resources of types the read-only role may not read: a stack
 * CloudFormation found in sync is then not checked in full, never in sync
 * (CloudFormation may skip such a resource without failing the detection).
 */
function withUnreadable(stack: StageStack, drift: StackDrift, coverage: DriftReadCoverage): StackReport {
  const unreadable = drift.kind === 'not-deployed' ? [] : unreadableResources(stack.templateFile, coverage);
  if (unreadable.length === 0) return { stackName: stack.stackName, drift };
  const partial: StackDrift = drift.kind === 'in-sync'
    ? { kind: 'not-checked', reason: 'some resources are of types the read-only role may not read', checkedInSync: true }
    : drift;
  return { stackName: stack.stackName, drift: partial, unreadable };
}

/**
 * Runs drift detection on every stack of the stage: starts each detection
 * (one after the other, so failing credentials stop the run at the first
 * call), waits for all of them together, and returns one report per stack
 * in the assembly's order. Throws `AwsCallError` when the credentials fail
 * (no credentials, no token, role not assumable).
 */
export async function checkEnvironment(args: DriftArgs, stacks: StageStack[], env: NodeJS.ProcessEnv, timing: PollTiming): Promise<StackReport[]> {
  const deadline = Date.now() + timing.timeoutMs;
  const sdk = cloudFormationModule(TOOL);
  const clients = new Map<string, CloudFormationClient>();
  const access = (region: string): CloudFormationAccess => {
    if (!clients.has(region)) clients.set(region, createCloudFormationClient(region, TOOL));
    return { sdk, client: clients.get(region)!, env };
  };

  try {
    const identity = await resolveCredentials(access(args.region).client, env);
    if (identity.accountId && identity.accountId !== args.account) throw new WrongAccountError(identity.accountId, args.account);
    const started: Array<{ stack: StageStack; drift: Promise<StackDrift> | StackDrift }> = [];
    for (const stack of stacks) {
      const target = stackTarget(stack, args);
      if (target.account !== args.account) {
        started.push({ stack, drift: { kind: 'not-checked', reason: `the stack is for account ${target.account}, not ${args.account} (--account)` } });
        continue;
      }
      const cfn = access(target.region);
      const start = await startDetection(cfn, stack.stackName);
      if ('done' in start) {
        started.push({ stack, drift: start.done });
        continue;
      }
      const drift = finishDetection(cfn, stack.stackName, start.detectionId, timing, deadline);
      drift.catch(() => undefined); // awaited below; a later stack may end the run first
      started.push({ stack, drift });
    }
    const coverage = loadDriftReadCoverage();
    const reports: StackReport[] = [];
    for (const s of started) reports.push(withUnreadable(s.stack, await s.drift, coverage));
    return reports;
  } finally {
    clients.forEach((c) => c.destroy());
  }
}
