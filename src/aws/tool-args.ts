/*
 * The command line of the preview and drift tools: both check one
 * environment (CDK stage) of the cloud assembly in its account and region,
 * so `--environment`, `--account`, `--region` and `--assembly` are parsed and
 * checked here; each tool declares its other flags and keeps its usage text
 * and usage error. Not reachable from src/index.ts (only the tools use it).
 */
import { accountId, region } from '../validation/aws-account-region';
import { Problems } from '../validation/problems';

/** Which environment of the cloud assembly a tool works on. */
export interface TargetArgs {
  /** Environment name = CDK stage name; its stacks are `<environment>/*` in the assembly. */
  readonly environment: string;
  /** Account of the environment (12 digits): the stacks must belong to it. */
  readonly account: string;
  /** Region of the environment, used for stacks whose assembly environment names no region. */
  readonly region: string;
  /** Cloud assembly directory (default `cdk.out`). */
  readonly assembly: string;
}

/** Bad command line: the message says what is wrong and what is expected. Each tool has its own subclass. */
export class UsageError extends Error {}

/** A tool's flags besides the target's. */
export interface ToolFlags<V extends string, S extends string> {
  /** Flags that take a value (`--flag value` or `--flag=value`), optional. */
  readonly values?: readonly V[];
  /** Flags that take no value. */
  readonly switches?: readonly S[];
  /** Checks the tool's own values; runs after the target's checks, so one error lists every problem. */
  readonly check?: (values: Partial<Record<V, string>>, problems: Problems) => void;
  /** What is thrown for a bad command line. */
  readonly usageError: new (message: string) => UsageError;
}

/** A parsed command line: the target, the tool's values as given, the switches given. */
export interface ToolArgs<V extends string, S extends string> {
  readonly target: TargetArgs;
  readonly values: Partial<Record<V, string>>;
  readonly switches: ReadonlySet<S>;
}

const TARGET_FLAGS = ['environment', 'account', 'region', 'assembly'] as const;
const REQUIRED = ['environment', 'account', 'region'] as const;

/**
 * Parses the arguments (a list, as the shell split them); `help` when
 * `--help`/`-h` is among them. Throws `flags.usageError` for an unknown
 * flag or stray argument, a value missing or given twice, a missing
 * required flag, or values that fail the checks (all of them in one message).
 */
export function parseToolArgs<V extends string = never, S extends string = never>(argv: readonly string[], flags: ToolFlags<V, S>): ToolArgs<V, S> | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const fail = (message: string) => new flags.usageError(message);
  const valueFlags: readonly string[] = [...TARGET_FLAGS, ...flags.values ?? []];
  const given: Record<string, string> = {};
  const switches = new Set<S>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const switchFlag = flags.switches?.find((f) => f === m?.[1]);
    if (switchFlag) {
      if (m![2] !== undefined) throw fail(`--${switchFlag} takes no value.`);
      switches.add(switchFlag);
      continue;
    }
    const flag = valueFlags.find((f) => f === m?.[1]);
    if (!m || !flag) {
      throw fail(m ? `Unknown option --${m[1]}.` : `Unexpected argument ${JSON.stringify(arg)}: every value follows its option, e.g. --environment production.`);
    }
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw fail(`--${flag} needs a value.`);
      value = next;
      i++;
    }
    if (given[flag] !== undefined) throw fail(`--${flag} is given twice.`);
    given[flag] = value;
  }

  const missing = REQUIRED.filter((f) => !given[f]);
  if (missing.length > 0) throw fail(`Missing ${missing.map((f) => `--${f}`).join(', ')}.`);

  const problems = new Problems();
  const account = accountId('--account', given.account, problems);
  const reg = region('--region', given.region, problems);
  const environment = given.environment.trim();
  if (!environment || /[/\s]/.test(environment)) {
    problems.error('--environment', given.environment, 'Expected the name of a deploy environment (the CDK stage), e.g. "production".');
  }
  if (given.assembly !== undefined && !given.assembly.trim()) problems.error('--assembly', given.assembly, 'Expected a directory.');
  const values = given as Partial<Record<V, string>>;
  flags.check?.(values, problems);
  if (problems.errors.length > 0) {
    throw fail(problems.errors.map((p) => `${p.option} ${JSON.stringify(p.value)}: ${p.message}`).join('\n'));
  }
  return { target: { environment, account: account!, region: reg!, assembly: given.assembly ?? 'cdk.out' }, values, switches };
}

/** Where a tool's `main` writes. */
export interface ToolOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/**
 * The start of a tool's `main`: the parsed arguments, or the exit code once
 * `--help` printed the usage (0) or a usage error was printed with the usage (2).
 */
export function argsOrExit<A>(parse: () => A | 'help', tool: string, usage: string, output: ToolOutput): A | number {
  try {
    const parsed = parse();
    if (parsed !== 'help') return parsed;
    output.out(`${usage}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    output.err(`${tool}: ${e.message}\n\n${usage}\n`);
    return 2;
  }
}
