import { STATEFUL_RISK_SWITCH } from './stateful-risk';
import { parseToolArgs, TargetArgs, UsageError } from '../aws/tool-args';
import { DEFAULT_BOOTSTRAP_QUALIFIER } from '../versions';

/** What `bitbucket-cdk-preview` previews: one environment (CDK stage) of the cloud assembly. */
export interface PreviewArgs extends TargetArgs {
  /** Qualifier of the CDK bootstrap (default `hnb659fds`): its version is `/cdk-bootstrap/<qualifier>/version`. */
  readonly bootstrapQualifier: string;
  /** Post a Code Insights report to the commit (in Bitbucket Pipelines). */
  readonly report: boolean;
  /** Exit 4 (after printing, writing and posting) when the result is FAILED: a stateful resource would (or may) be replaced or deleted. */
  readonly failOnStatefulRisk: boolean;
  /** Where `<env>.diff.txt` and `<env>.json` are written (default `cdk.preview`). */
  readonly outputDir: string;
}

export const PREVIEW_USAGE = `Usage: bitbucket-cdk-preview --environment <env> --account <12 digits> --region <region>
       [--assembly cdk.out] [--bootstrap-qualifier ${DEFAULT_BOOTSTRAP_QUALIFIER}] [--report] [--output-dir cdk.preview]
       [--fail-on-stateful-risk]

Previews what deploying the environment's CDK stage (the stacks of <env> in
the cloud assembly) would change: per stack the resources added, modified,
replaced and removed, stateful resources (databases, buckets, tables, file
systems, keys...) that would be replaced or deleted, IAM and security-group
changes. Compares each synthesised template with the deployed one
(CloudFormation DescribeStacks and GetTemplate) and reads the bootstrap
version (SSM /cdk-bootstrap/<qualifier>/version).

Prints the preview, writes <output-dir>/<env>.diff.txt (the full diff) and
<output-dir>/<env>.json (the structured preview). With --report it also posts
a Code Insights report "cdk-preview-<env>" with annotations to
$BITBUCKET_COMMIT of $BITBUCKET_REPO_FULL_NAME through the pipeline's proxy
(http://localhost:29418; BITBUCKET_CDK_INSIGHTS_PROXY overrides it). The
report fails only when a stateful resource would (or may) be replaced or
deleted.

--fail-on-stateful-risk: when the result is FAILED, also fail (exit 4, after
printing, writing the files and posting the report), so that a merge check
on passed builds stops the pull request; stderr names the resources.

Credentials: the AWS SDK's default chain (in a pipeline step AWS_ROLE_ARN and
AWS_WEB_IDENTITY_TOKEN_FILE; locally your own). AWS_ENDPOINT_URL is honoured.

Exit codes: 0 previewed or not previewed for a reason outside the change (no
credentials, role not deployed, not bootstrapped, nothing deployed, access
denied: the report says why; also with --fail-on-stateful-risk); 1 the
report could not be posted, or a bug; 2 usage error; 4 a stateful resource
would (or may) be replaced or deleted, with --fail-on-stateful-risk.`;

/** Bad command line: the message says what is wrong and what is expected. */
export class PreviewUsageError extends UsageError {}

/** What `cdk bootstrap --qualifier` accepts. */
const QUALIFIER = /^[A-Za-z0-9_-]{1,10}$/;

/**
 * Parses the arguments (a list, as the shell split them); `help` when
 * `--help`/`-h` is among them. `--flag value` and `--flag=value` both work.
 */
export function parsePreviewArgs(argv: readonly string[]): PreviewArgs | 'help' {
  const parsed = parseToolArgs(argv, {
    usageError: PreviewUsageError,
    values: ['bootstrap-qualifier', 'output-dir'],
    switches: ['report', STATEFUL_RISK_SWITCH],
    check: (given, problems) => {
      const qualifier = given['bootstrap-qualifier'];
      if (qualifier !== undefined && !QUALIFIER.test(qualifier)) {
        problems.error('--bootstrap-qualifier', qualifier, `Expected the qualifier given to \`cdk bootstrap --qualifier\`: 1 to 10 letters, digits, _ or - (default ${DEFAULT_BOOTSTRAP_QUALIFIER}).`);
      }
      const outputDir = given['output-dir'];
      if (outputDir !== undefined && !outputDir.trim()) problems.error('--output-dir', outputDir, 'Expected a directory.');
    },
  });
  if (parsed === 'help') return parsed;
  const { target, values, switches } = parsed;
  return {
    ...target,
    bootstrapQualifier: values['bootstrap-qualifier'] ?? DEFAULT_BOOTSTRAP_QUALIFIER,
    report: switches.has('report'),
    failOnStatefulRisk: switches.has(STATEFUL_RISK_SWITCH),
    outputDir: values['output-dir'] ?? 'cdk.preview',
  };
}
