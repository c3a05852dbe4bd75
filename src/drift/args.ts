import { parseToolArgs, TargetArgs, UsageError } from '../aws/tool-args';

/** What `bitbucket-cdk-drift` checks: one environment (CDK stage) of the cloud assembly. */
export type DriftArgs = TargetArgs;

export const DRIFT_USAGE = `Usage: bitbucket-cdk-drift --environment <env> --account <12 digits> --region <region> [--assembly cdk.out]

Checks every deployed stack of the environment's CDK stage (the stacks of
<env> in the cloud assembly) for drift with CloudFormation drift detection,
and prints a summary: per stack in sync, drifted (which resources, which
properties, expected and actual values), not deployed, or not checked.

Credentials: the AWS SDK's default chain (in a pipeline step AWS_ROLE_ARN and
AWS_WEB_IDENTITY_TOKEN_FILE; locally your own). AWS_ENDPOINT_URL is honoured.

Exit codes: 0 every deployed stack in sync; 1 a stack drifted; 2 usage error;
3 could not check (no credentials, role not deployed, access denied, detection
failed or timed out).`;

/** Bad command line: the message says what is wrong and what is expected. */
export class DriftUsageError extends UsageError {}

/**
 * Parses the arguments (a list, as the shell split them); `help` when
 * `--help`/`-h` is among them. `--flag value` and `--flag=value` both work.
 */
export function parseDriftArgs(argv: readonly string[]): DriftArgs | 'help' {
  const parsed = parseToolArgs(argv, { usageError: DriftUsageError });
  return parsed === 'help' ? parsed : parsed.target;
}
