import { accountId, region } from '../validation/aws-account-region';
import { Problems } from '../validation/problems';

/** What `bitbucket-cdk-drift` checks: one environment (CDK stage) of the cloud assembly. */
export interface DriftArgs {
  /** Environment name = CDK stage name; its stacks are `<environment>/*` in the assembly. */
  readonly environment: string;
  /** Account of the environment (12 digits): the stacks must belong to it. */
  readonly account: string;
  /** Region of the environment, used for stacks whose assembly environment names no region. */
  readonly region: string;
  /** Cloud assembly directory. */
  readonly assembly: string;
}

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
export class DriftUsageError extends Error {}

const FLAGS = ['environment', 'account', 'region', 'assembly'] as const;
type Flag = typeof FLAGS[number];

/**
 * Parses the arguments (a list, as the shell split them); `help` when
 * `--help`/`-h` is among them. `--flag value` and `--flag=value` both work.
 */
export function parseDriftArgs(argv: readonly string[]): DriftArgs | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const given: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const flag = FLAGS.find((f) => f === m?.[1]);
    if (!m || !flag) {
      throw new DriftUsageError(m ? `Unknown option --${m[1]}.` : `Unexpected argument ${JSON.stringify(arg)}: every value follows its option, e.g. --environment production.`);
    }
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new DriftUsageError(`--${flag} needs a value.`);
      value = next;
      i++;
    }
    if (given[flag] !== undefined) throw new DriftUsageError(`--${flag} is given twice.`);
    given[flag] = value;
  }

  const missing = FLAGS.filter((f) => f !== 'assembly' && !given[f]);
  if (missing.length > 0) throw new DriftUsageError(`Missing ${missing.map((f) => `--${f}`).join(', ')}.`);

  const problems = new Problems();
  const account = accountId('--account', given.account, problems);
  const reg = region('--region', given.region, problems);
  const environment = given.environment!.trim();
  if (!environment || /[/\s]/.test(environment)) {
    problems.error('--environment', given.environment, 'Expected the name of a deploy environment (the CDK stage), e.g. "production".');
  }
  if (problems.errors.length > 0) {
    throw new DriftUsageError(problems.errors.map((p) => `${p.option} ${JSON.stringify(p.value)}: ${p.message}`).join('\n'));
  }
  return { environment, account: account!, region: reg!, assembly: given.assembly || 'cdk.out' };
}
