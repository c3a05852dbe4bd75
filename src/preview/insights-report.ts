/**
 * The preview as a Code Insights report and its annotations, within
 * Bitbucket's limits (src/pipeline/bitbucket-limits.ts): texts cut with a
 * visible ellipsis, annotations most severe first and capped, with one last
 * annotation saying how many were left out and where the full diff is.
 */
import { describeResourceChange, resourceLabel, resourceName } from './describe-change';
import { PreviewReport, StackPreview } from './report-model';
import { truncate, truncateKeepingTail } from './truncate';
import { slug } from '../core/naming';
import {
  MAX_ANNOTATION_DETAILS_LENGTH, MAX_ANNOTATION_SUMMARY_LENGTH, MAX_ANNOTATIONS_PER_REPORT, MAX_REPORT_DATA_FIELDS,
  MAX_REPORT_DETAILS_LENGTH, MAX_REPORT_TITLE_LENGTH,
} from '../pipeline/bitbucket-limits';

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/** Body of `PUT .../commit/{commit}/reports/{reportId}`. */
export interface InsightsReportBody {
  readonly title: string;
  readonly details: string;
  readonly report_type: 'TEST';
  readonly reporter: string;
  readonly link?: string;
  readonly result: 'PASSED' | 'FAILED';
  readonly data: { title: string; type: 'NUMBER' | 'BOOLEAN' | 'TEXT'; value: number | boolean | string }[];
}

/** One element of the body of `POST .../reports/{reportId}/annotations`. */
export interface InsightsAnnotation {
  readonly external_id: string;
  readonly annotation_type: 'BUG' | 'VULNERABILITY' | 'CODE_SMELL';
  readonly summary: string;
  readonly details?: string;
  readonly severity: Severity;
  readonly result?: 'PASSED' | 'FAILED';
}

export interface InsightsPayload {
  readonly reportId: string;
  readonly report: InsightsReportBody;
  readonly annotations: InsightsAnnotation[];
  /** Changes left without an annotation (beyond Bitbucket's limit). */
  readonly omitted: number;
}

export interface InsightsContext {
  /** Where the full diff is, e.g. `cdk.preview/dev.diff.txt` (an artifact of the step). */
  readonly diffFile: string;
  /** Link to the pipeline run. */
  readonly link?: string;
}

export const REPORTER = 'bitbucket-cdk-preview';

/** `cdk-preview-<env slug>`: one report per environment on the commit. */
export function insightsReportId(environment: string): string {
  return `cdk-preview-${slug(environment)}`;
}

const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

type Candidate = Omit<InsightsAnnotation, 'external_id'>;

function stackCandidates(s: StackPreview, artifact: string): Candidate[] {
  const out: Candidate[] = [];
  const where = `Stack ${s.stackName} (${s.displayName}), account ${s.account}, ${s.region}.`;
  for (const r of s.changes?.resources ?? []) {
    const danger = r.stateful && ['replace', 'may-replace', 'remove'].includes(r.action);
    const severity: Severity = danger ? 'CRITICAL'
      : ['replace', 'may-replace', 'remove', 'orphan'].includes(r.action) ? 'MEDIUM' : 'LOW';
    const details = [
      where,
      `Logical ID ${r.logicalId}${r.constructPath ? `, construct ${r.constructPath}` : ''}, type ${r.type}${r.stateful ? ' (holds data)' : ''}.`,
      r.changedProperties.length > 0 ? `Changed: ${r.changedProperties.join(', ')}.` : '',
      r.replacingProperties.length > 0 ? `Forcing replacement: ${r.replacingProperties.join(', ')}.` : '',
      `Full diff: ${artifact}.`,
    ].filter(Boolean).join('\n');
    out.push({
      annotation_type: danger ? 'BUG' : 'CODE_SMELL',
      severity,
      summary: `${danger ? 'Stateful resource at risk: ' : ''}${r.type} ${resourceName(r)} in ${s.stackName}: ${describeResourceChange(r)}`,
      details,
      ...(danger ? { result: 'FAILED' as const } : {}),
    });
  }
  for (const c of s.changes?.iam ?? []) {
    out.push({
      annotation_type: 'VULNERABILITY',
      severity: c.change === 'added' ? 'HIGH' : 'LOW',
      summary: `IAM ${c.kind === 'statement' ? 'statement' : 'managed policy'} ${c.change} in ${s.stackName}: ${c.description}`,
      details: `${where}\n${c.change === 'added' ? 'Grants' : 'No longer grants'}: ${c.description}\nFull diff: ${artifact}.`,
    });
  }
  for (const c of s.changes?.securityGroups ?? []) {
    const open = c.openToWorld && c.change === 'added';
    out.push({
      annotation_type: 'VULNERABILITY',
      severity: open ? 'HIGH' : 'MEDIUM',
      summary: `Security group ${c.direction} rule ${c.change} in ${s.stackName}: ${c.description}${open ? ' (open to the internet)' : ''}`,
      details: `${where}\n${c.direction} rule ${c.change}: ${c.description}\nFull diff: ${artifact}.`,
    });
  }
  if (s.state === 'not-previewed') {
    out.push({ annotation_type: 'CODE_SMELL', severity: 'MEDIUM', summary: `Stack ${s.stackName} not previewed: ${s.reason}`, details: where });
  }
  return out;
}

function capped(candidates: Candidate[], reportId: string, artifact: string): { annotations: InsightsAnnotation[]; omitted: number } {
  const sorted = candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => SEVERITY_RANK[a.c.severity] - SEVERITY_RANK[b.c.severity] || a.i - b.i)
    .map(({ c }) => c);
  let kept = sorted;
  let omitted = 0;
  if (sorted.length > MAX_ANNOTATIONS_PER_REPORT) {
    kept = sorted.slice(0, MAX_ANNOTATIONS_PER_REPORT - 1);
    omitted = sorted.length - kept.length;
    kept.push({
      annotation_type: 'CODE_SMELL',
      severity: 'LOW',
      summary: `${omitted} more changes are not annotated (Bitbucket shows at most ${MAX_ANNOTATIONS_PER_REPORT} per report): see the full diff in the artifact ${artifact}.`,
    });
  }
  const width = String(kept.length).length;
  const annotations = kept.map((c, i) => ({
    external_id: `${reportId}-${String(i + 1).padStart(width, '0')}`,
    ...c,
    summary: truncate(c.summary, MAX_ANNOTATION_SUMMARY_LENGTH),
    ...(c.details !== undefined ? { details: truncate(c.details, MAX_ANNOTATION_DETAILS_LENGTH) } : {}),
  }));
  return { annotations, omitted };
}

function detailsText(report: PreviewReport, omitted: number): string {
  if (!report.previewed) return `Not previewed: ${report.reason}`;
  const lines = [`${report.result === 'FAILED' ? 'FAILED' : 'Passed'}: ${report.summary}.`];
  if (report.dangers.length > 0) {
    lines.push(`Stateful resources at risk: ${report.dangers.map((d) => `${d.type} ${resourceLabel(d)} (${d.action === 'remove' ? 'deleted' : d.action === 'may-replace' ? 'may be replaced' : 'replaced'})`).join('; ')}.`);
  }
  if (report.bootstrap.state === 'not-bootstrapped') lines.push(`The environment is not bootstrapped (${report.bootstrap.parameter} does not exist): the first deploy fails until an administrator runs cdk bootstrap.`);
  for (const s of report.stacks) {
    const status = s.deployedStatus ? ` [${s.deployedStatus}]` : '';
    const state = s.state === 'not-previewed' ? `not previewed: ${s.reason}` : s.state === 'first-deployment' ? 'first deployment (nothing deployed yet)' : s.state === 'no-changes' ? 'no changes' : 'changes';
    lines.push(`${s.stackName}${status}: ${state}`);
  }
  if (omitted > 0) lines.push(`${omitted} changes are not annotated (Bitbucket shows at most ${MAX_ANNOTATIONS_PER_REPORT} annotations per report).`);
  return lines.join('\n');
}

function dataFields(report: PreviewReport): InsightsReportBody['data'] {
  if (!report.previewed) return [{ title: 'Previewed', type: 'BOOLEAN', value: false }];
  const c = report.counts;
  const fields: InsightsReportBody['data'] = [
    { title: 'Stateful resources at risk', type: 'NUMBER', value: report.dangers.length },
    { title: 'To add', type: 'NUMBER', value: c.add },
    { title: 'To change', type: 'NUMBER', value: c.update },
    { title: 'To replace', type: 'NUMBER', value: c.replace },
    { title: 'To remove', type: 'NUMBER', value: c.remove },
    { title: 'Kept but removed from the stack', type: 'NUMBER', value: c.orphan },
    { title: 'IAM changes', type: 'NUMBER', value: c.iam },
    { title: 'Security-group changes', type: 'NUMBER', value: c.securityGroups },
    { title: 'Stacks', type: 'NUMBER', value: report.stacks.length },
  ];
  if (report.bootstrap.state === 'bootstrapped') fields.push({ title: 'Bootstrap version', type: 'NUMBER', value: report.bootstrap.version! });
  else if (report.bootstrap.state === 'not-bootstrapped') fields.push({ title: 'Bootstrapped', type: 'BOOLEAN', value: false });
  return fields.slice(0, MAX_REPORT_DATA_FIELDS);
}

export function buildInsights(report: PreviewReport, context: InsightsContext): InsightsPayload {
  const reportId = insightsReportId(report.environment);
  const candidates = report.previewed ? report.stacks.flatMap((s) => stackCandidates(s, context.diffFile)) : [];
  const { annotations, omitted } = capped(candidates, reportId, context.diffFile);
  const tail = report.previewed ? `\nFull diff: the step's artifact ${context.diffFile}.` : '';
  return {
    reportId,
    report: {
      title: truncate(`CDK preview ${report.environment}: ${report.summary}`, MAX_REPORT_TITLE_LENGTH),
      details: truncateKeepingTail(detailsText(report, omitted), tail, MAX_REPORT_DETAILS_LENGTH),
      report_type: 'TEST',
      reporter: REPORTER,
      ...(context.link ? { link: context.link } : {}),
      result: report.result,
      data: dataFields(report),
    },
    annotations,
    omitted,
  };
}
