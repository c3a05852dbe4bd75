/**
 * The preview of one environment, as the JSON artifact holds it and as the
 * text and the Code Insights report render it. Holds only what the read role
 * reads (stack names and statuses, template differences): no credentials.
 */
import { isDangerous, ResourceChange, StackChanges } from './classify';

/** `changes` / `no-changes` against the deployed stack; `first-deployment` nothing deployed; `not-previewed` could not be read. */
export type StackState = 'changes' | 'no-changes' | 'first-deployment' | 'not-previewed';

export interface StackPreview {
  readonly stackName: string;
  /** Hierarchical ID, e.g. `dev/App`. */
  readonly displayName: string;
  readonly account: string;
  readonly region: string;
  readonly state: StackState;
  /** CloudFormation status of the deployed stack. */
  readonly deployedStatus?: string;
  /** What else the reviewer should know about this stack (failed state, bootstrap too old...). */
  readonly notes: string[];
  /** Why it was not previewed. */
  readonly reason?: string;
  readonly changes?: StackChanges;
}

export interface BootstrapInfo {
  /** `not-checked` when nothing could be read at all. */
  readonly state: 'bootstrapped' | 'not-bootstrapped' | 'unknown' | 'not-checked';
  readonly parameter: string;
  readonly version?: number;
  /** Why the version is unknown. */
  readonly reason?: string;
}

/** A stateful resource that would (or may) be replaced or deleted. */
export interface Danger extends ResourceChange {
  readonly stackName: string;
}

export interface ChangeCounts {
  readonly add: number;
  readonly update: number;
  /** Replaced, or may be replaced. */
  readonly replace: number;
  readonly remove: number;
  /** Removed from the stack, kept in the account. */
  readonly orphan: number;
  readonly iam: number;
  readonly securityGroups: number;
}

export interface PreviewReport {
  readonly schemaVersion: 1;
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  /** False when nothing could be read (no credentials, role not assumable); `reason` says why. */
  readonly previewed: boolean;
  readonly reason?: string;
  readonly bootstrap: BootstrapInfo;
  readonly stacks: StackPreview[];
  readonly counts: ChangeCounts;
  readonly dangers: Danger[];
  /** FAILED only when a stateful resource would (or may) be replaced or deleted. */
  readonly result: 'PASSED' | 'FAILED';
  /** One line: the result in words. */
  readonly summary: string;
}

export interface PreviewTarget {
  readonly environment: string;
  readonly account: string;
  readonly region: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function count(stacks: StackPreview[]): ChangeCounts {
  const resources = stacks.flatMap((s) => s.changes?.resources ?? []);
  const n = (...actions: string[]) => resources.filter((r) => actions.includes(r.action)).length;
  return {
    add: n('add', 'import'),
    update: n('update'),
    replace: n('replace', 'may-replace'),
    remove: n('remove'),
    orphan: n('orphan'),
    iam: stacks.reduce((sum, s) => sum + (s.changes?.iam.length ?? 0), 0),
    securityGroups: stacks.reduce((sum, s) => sum + (s.changes?.securityGroups.length ?? 0), 0),
  };
}

/** "2 to add, 1 to replace" (only what is not zero). */
export function describeCounts(c: ChangeCounts): string {
  const parts = [
    [c.add, 'to add'], [c.update, 'to change'], [c.replace, 'to replace'], [c.remove, 'to remove'], [c.orphan, 'to orphan (kept in the account)'],
    [c.iam, c.iam === 1 ? 'IAM change' : 'IAM changes'], [c.securityGroups, c.securityGroups === 1 ? 'security-group change' : 'security-group changes'],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${n} ${what}`);
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

function summarize(previewed: StackPreview[], counts: ChangeCounts, dangers: Danger[], bootstrap: BootstrapInfo): string {
  if (dangers.length > 0) {
    return `${plural(dangers.length, 'stateful resource')} would be replaced or deleted (${describeCounts(counts)})`;
  }
  const notPreviewed = previewed.filter((s) => s.state === 'not-previewed').length;
  const read = previewed.length - notPreviewed;
  const parts: string[] = [];
  // "No changes" only of what was read: a stack that could not be read is never "no changes".
  if (read === 0 && notPreviewed > 0) parts.push('NOT PREVIEWED');
  else if (previewed.length > 0 && previewed.every((s) => s.state === 'first-deployment')) parts.push(`first deployment: ${describeCounts(counts)}`);
  else parts.push(notPreviewed > 0 ? `${describeCounts(counts)} in ${plural(read, 'stack')} read` : describeCounts(counts));
  if (notPreviewed > 0) parts.push(`${plural(notPreviewed, 'stack')} not previewed`);
  if (bootstrap.state === 'not-bootstrapped') parts.push('environment not bootstrapped');
  return parts.join('; ');
}

/** The report of an environment whose stacks were read (some may still be `not-previewed`). */
export function buildReport(target: PreviewTarget, bootstrap: BootstrapInfo, stacks: StackPreview[]): PreviewReport {
  const counts = count(stacks);
  const dangers: Danger[] = stacks.flatMap((s) => (s.changes?.resources ?? []).filter(isDangerous).map((r) => ({ ...r, stackName: s.stackName })));
  return {
    schemaVersion: 1,
    ...target,
    previewed: true,
    bootstrap,
    stacks,
    counts,
    dangers,
    result: dangers.length > 0 ? 'FAILED' : 'PASSED',
    summary: summarize(stacks, counts, dangers, bootstrap),
  };
}

/** The report when nothing could be read: PASSED (the change is not at fault), saying why. */
export function notPreviewedReport(
  target: PreviewTarget, reason: string, bootstrapParameter: string,
  stacks: { stackName: string; displayName: string; account: string; region: string }[],
): PreviewReport {
  return {
    schemaVersion: 1,
    ...target,
    previewed: false,
    reason,
    bootstrap: { state: 'not-checked', parameter: bootstrapParameter },
    stacks: stacks.map((s) => ({ stackName: s.stackName, displayName: s.displayName, account: s.account, region: s.region, state: 'not-previewed', notes: [], reason: 'nothing could be read' })),
    counts: count([]),
    dangers: [],
    result: 'PASSED',
    summary: `not previewed: ${reason.split('\n')[0]}`,
  };
}
