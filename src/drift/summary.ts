import type { IncompleteCheck, PropertyDrift, ResourceDrift, StackReport } from './stack-drift';
import type { UnreadableType } from './unreadable-resources';

/** Values longer than this are cut: a Bitbucket log line stays readable, a policy document does not flood it. */
export const VALUE_WIDTH = 120;

/** Exit codes of `bitbucket-cdk-drift`. */
export const EXIT = { inSync: 0, drifted: 1, usage: 2, notChecked: 3 } as const;

/**
 * One line, printable in a CI log: control characters (colours, carriage
 * returns a value could smuggle in) become spaces, runs of whitespace one
 * space, and anything past `width` is cut with a note of how much.
 */
export function logValue(value: string, width = VALUE_WIDTH): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (flat.length <= width) return flat;
  return `${flat.slice(0, width)}... (${flat.length - width} more characters)`;
}

function propertyLines(p: PropertyDrift): string[] {
  const head = `      ${logValue(p.path)}`;
  const expected = `        expected: ${logValue(p.expected ?? '(not set)')}`;
  const actual = `        actual:   ${logValue(p.actual ?? '(not set)')}`;
  if (p.difference === 'ADD') return [`${head}: set outside CloudFormation`, actual];
  if (p.difference === 'REMOVE') return [`${head}: removed outside CloudFormation`, expected];
  return [`${head}: changed`, expected, actual];
}

function resourceLines(r: ResourceDrift): string[] {
  const physical = r.physicalId ? `, ${logValue(r.physicalId, 80)}` : '';
  const head = `    ${logValue(r.logicalId)} (${logValue(r.type)}${physical})`;
  if (r.status === 'DELETED') return [`${head}: DELETED outside CloudFormation`];
  if (r.properties.length === 0) return [`${head}: ${logValue(r.status)}`];
  return [`${head}: ${logValue(r.status)}`, ...r.properties.flatMap(propertyLines)];
}

/** Longest list of unchecked resources named in full. */
const MAX_NAMED = 10;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function uncheckedLines(incomplete: IncompleteCheck): string[] {
  const names = incomplete.unchecked.slice(0, MAX_NAMED).map((id) => logValue(id, 80));
  const more = incomplete.unchecked.length > MAX_NAMED ? ` and ${incomplete.unchecked.length - MAX_NAMED} more` : '';
  return [
    `    not checked: ${plural(incomplete.unchecked.length, 'resource')}${names.length ? ` (${names.join(', ')}${more})` : ''}; `
      + `${plural(incomplete.checked, 'resource')} checked`,
    `    CloudFormation: ${logValue(incomplete.reason, 400)}`,
  ];
}

/** Where a project lists the types the read-only role may read, and why the others not. */
export const READ_PERMISSIONS_SOURCE = 'src/bitbucket-oidc/drift-read-permissions.ts';

function unreadableLines(unreadable: UnreadableType[]): string[] {
  const count = unreadable.reduce((n, u) => n + u.logicalIds.length, 0);
  return [
    `    not checked: ${plural(count, 'resource')} of ${plural(unreadable.length, 'type')} the read-only role may not read `
      + `(it may not read their configuration without reading data, or is not granted it; see ${READ_PERMISSIONS_SOURCE}):`,
    ...unreadable.map((u) => {
      const names = u.logicalIds.slice(0, MAX_NAMED).map((id) => logValue(id, 80));
      const more = u.logicalIds.length > MAX_NAMED ? ` and ${u.logicalIds.length - MAX_NAMED} more` : '';
      return `      ${logValue(u.type, 80)} (${names.join(', ')}${more}): ${logValue(u.reason, 200)}`;
    }),
  ];
}

function stackLines(report: StackReport): string[] {
  const extra = report.unreadable?.length ? unreadableLines(report.unreadable) : [];
  return [...driftLines(report), ...extra];
}

function driftLines(report: StackReport): string[] {
  const name = `  ${report.stackName}`;
  const d = report.drift;
  switch (d.kind) {
    case 'in-sync':
      return [`${name}: in sync`];
    case 'not-deployed':
      return [`${name}: not deployed`];
    case 'not-checked':
      if (d.incomplete) return [`${name}: NOT CHECKED in full (no drift in what was checked)`, ...uncheckedLines(d.incomplete)];
      if (d.checkedInSync) return [`${name}: NOT CHECKED in full (no drift in what was checked)`];
      return [`${name}: NOT CHECKED: ${logValue(d.reason, 400)}`];
    case 'drifted':
      return [
        `${name}: DRIFTED (${plural(d.resources.length, 'resource')})`,
        ...d.resources.flatMap(resourceLines),
        ...(d.incomplete ? uncheckedLines(d.incomplete) : []),
      ];
  }
}

/** Counts per outcome, in the summary's order. */
export function countOutcomes(reports: StackReport[]) {
  const count = (kind: string) => reports.filter((r) => r.drift.kind === kind).length;
  return { drifted: count('drifted'), inSync: count('in-sync'), notDeployed: count('not-deployed'), notChecked: count('not-checked') };
}

/** Drifted wins (the team must act); then not checked (the check is incomplete); else in sync. */
export function exitCode(reports: StackReport[]): number {
  const c = countOutcomes(reports);
  if (c.drifted > 0) return EXIT.drifted;
  if (c.notChecked > 0) return EXIT.notChecked;
  return EXIT.inSync;
}

/** The summary printed to the log: one block per stack, then a line with the counts. */
export function formatSummary(reports: StackReport[]): string {
  const c = countOutcomes(reports);
  const total = `${reports.length} stack${reports.length === 1 ? '' : 's'}`;
  return [
    ...reports.flatMap(stackLines),
    `Drift: ${c.drifted} drifted, ${c.inSync} in sync, ${c.notDeployed} not deployed, ${c.notChecked} not checked (${total}).`,
  ].join('\n') + '\n';
}
