/**
 * `--fail-on-stateful-risk`: the step itself fails when the preview's result
 * is FAILED, because Bitbucket Cloud's built-in merge checks read builds, not
 * Code Insights reports. Only a stateful resource that would (or may) be
 * replaced or deleted fails a report; a report that could not preview
 * (role missing, no token, nothing deployed...) is PASSED, so it never fails
 * the step.
 */
import { resourceLabel } from './describe-change';
import type { Danger, PreviewReport } from './report-model';

/** The flag, without its `--` (`src/pipeline/read-role-steps.ts` passes it with `pullRequestPreviewFailsOnStatefulRisk`). */
export const STATEFUL_RISK_SWITCH = 'fail-on-stateful-risk';

/** Exit code of `bitbucket-cdk-preview --fail-on-stateful-risk` when the result is FAILED. */
export const STATEFUL_RISK_EXIT = 4;

/** The project option that adds the flag to the pull-request pipeline's preview steps. */
export const STATEFUL_RISK_OPTION = 'pullRequestPreviewFailsOnStatefulRisk';

/** How many resources the line names; the printed preview and the report list them all. */
const NAMED = 5;

function what(d: Danger): string {
  const action = d.action === 'remove' ? 'deleted' : d.action === 'may-replace' ? 'may be replaced' : 'replaced';
  return `${d.type} ${resourceLabel(d)} in ${d.stackName} (${action})`;
}

/**
 * Why the step fails and what to do, one line; undefined when the result
 * is PASSED.
 */
export function statefulRiskFailure(report: PreviewReport): string | undefined {
  if (report.result !== 'FAILED' || report.dangers.length === 0) return undefined;
  const n = report.dangers.length;
  const named = report.dangers.slice(0, NAMED).map(what).join(', ');
  const more = n > NAMED ? ` and ${n - NAMED} more` : '';
  return `the step fails (--${STATEFUL_RISK_SWITCH}) because deploying this change to ${report.environment} would replace or delete `
    + `${n === 1 ? 'a stateful resource' : `${n} stateful resources`}: ${named}${more}. `
    + 'Not intended: change the code so the resource is kept (the preview above names the property that forces the replacement). '
    + `Intended (the data is backed up or disposable): set ${STATEFUL_RISK_OPTION}: false in this pull request, so that reviewers approve it knowingly `
    + '(the report still fails and shows the risk), and back to true once it is deployed.';
}
