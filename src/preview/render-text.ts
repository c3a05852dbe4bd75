/**
 * The preview as a developer reads it: printed by `npx projen preview:<env>`
 * and in the pipeline step's log.
 */
import { isDangerous, ResourceAction, ResourceChange } from './classify';
import { describeResourceChange, resourceLabel, resourceName } from './describe-change';
import { describeCounts, PreviewReport, StackPreview } from './report-model';

const MARK: Record<ResourceAction, string> = {
  'add': '+',
  'import': '+',
  'update': '~',
  'replace': '±',
  'may-replace': '±',
  'remove': '-',
  'orphan': '-',
};

function stackHeading(s: StackPreview): string {
  const status = s.deployedStatus ? `, ${s.deployedStatus}` : '';
  const where = `stack ${s.stackName}${status}`;
  switch (s.state) {
    case 'not-previewed': return `${s.displayName} (${where}): not previewed: ${s.reason}`;
    case 'first-deployment': return `${s.displayName} (${where}): first deployment, nothing deployed yet: ${countsOf(s)}`;
    case 'no-changes': return `${s.displayName} (${where}): no changes`;
    case 'changes': return `${s.displayName} (${where}): ${countsOf(s)}`;
  }
}

function countsOf(s: StackPreview): string {
  const resources = s.changes?.resources ?? [];
  const n = (...a: ResourceAction[]) => resources.filter((r) => a.includes(r.action)).length;
  return describeCounts({
    add: n('add', 'import'),
    update: n('update'),
    replace: n('replace', 'may-replace'),
    remove: n('remove'),
    orphan: n('orphan'),
    iam: s.changes?.iam.length ?? 0,
    securityGroups: s.changes?.securityGroups.length ?? 0,
  });
}

const ACTION_RANK: Record<ResourceAction, number> = { 'replace': 1, 'may-replace': 1, 'remove': 1, 'orphan': 2, 'update': 3, 'add': 4, 'import': 4 };

function rank(r: ResourceChange): number {
  return isDangerous(r) ? 0 : ACTION_RANK[r.action];
}

function stackLines(s: StackPreview): string[] {
  const lines = [stackHeading(s), ...s.notes.map((n) => `  note: ${n}`)];
  const changes = s.changes;
  if (!changes) return lines;
  // Additions of a first deployment are listed too: that is what the reviewer checks. Data at risk first.
  for (const r of [...changes.resources].sort((a, b) => rank(a) - rank(b))) {
    const danger = isDangerous(r) ? ' [STATEFUL]' : r.stateful && r.action === 'orphan' ? ' [stateful, kept]' : '';
    lines.push(`  ${MARK[r.action]} ${r.type} ${resourceName(r)}: ${describeResourceChange(r)}${danger}`);
  }
  if (changes.iam.length > 0) {
    lines.push(`  IAM${changes.permissionsBroadened ? ' (permissions broadened)' : ''}:`);
    for (const c of changes.iam) lines.push(`    ${c.change === 'added' ? '+' : '-'} ${c.description}`);
  }
  if (changes.securityGroups.length > 0) {
    lines.push('  Security groups:');
    for (const c of changes.securityGroups) {
      lines.push(`    ${c.change === 'added' ? '+' : '-'} ${c.direction} ${c.description}${c.openToWorld && c.change === 'added' ? ' (open to the internet)' : ''}`);
    }
  }
  if (changes.otherChanges.length > 0) lines.push(`  Also changed: ${changes.otherChanges.join(', ')}`);
  return lines;
}

function bootstrapLine(report: PreviewReport): string | undefined {
  const b = report.bootstrap;
  switch (b.state) {
    case 'bootstrapped': return `Bootstrap: version ${b.version} (${b.parameter})`;
    case 'not-bootstrapped':
      return `Bootstrap: the environment is not bootstrapped (${b.parameter} does not exist): the first deploy fails until an administrator runs `
        + `\`npx cdk bootstrap aws://${report.account}/${report.region}\` (with the project's qualifier, if it sets one)`;
    case 'unknown': return `Bootstrap: version unknown (${b.reason})`;
    case 'not-checked': return undefined;
  }
}

/** The whole preview, for stdout. `files` names the artifacts written. */
export function renderText(report: PreviewReport, files: { diff: string; json: string }): string {
  const head = `CDK preview of ${report.environment} (account ${report.account}, ${report.region}): ${report.result}: ${report.summary}`;
  const lines = [head];
  if (!report.previewed) {
    lines.push('', report.reason ?? '');
  } else {
    const bootstrap = bootstrapLine(report);
    if (bootstrap) lines.push(bootstrap);
    for (const s of report.stacks) lines.push('', ...stackLines(s));
    if (report.dangers.length > 0) {
      lines.push('', `The report fails: ${report.dangers.map((d) => `${resourceLabel(d)} (${d.type})`).join(', ')} would be replaced or deleted. `
        + 'If that is intended (the data is backed up or disposable), merge anyway; otherwise keep the resource (e.g. revert the property that forces the replacement, or set a retain policy).');
    }
  }
  lines.push('', `Full diff: ${files.diff}; structured preview: ${files.json}`);
  return `${lines.join('\n')}\n`;
}
