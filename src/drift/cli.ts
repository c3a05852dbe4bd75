#!/usr/bin/env node
/*
 * bitbucket-cdk-drift: CloudFormation drift detection of one environment's
 * stacks, for the `drift-detection` custom pipeline and `npx projen drift:<env>`.
 * Not reachable from src/index.ts: it loads the AWS SDK (see src/aws/optional-module.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DRIFT_USAGE, DriftArgs, parseDriftArgs } from './args';
import { checkEnvironment, TOOL, WrongAccountError } from './check-environment';
import { DEFAULT_POLL_TIMING, PollTiming } from './poll';
import { EXIT, exitCode, formatSummary } from './summary';
import { AwsCallError, MissingModuleError } from '../aws';
import { argsOrExit } from '../aws/tool-args';
import { stageStacks } from '../lifecycle/stage-stacks';
import { OIDC_TASK_NAMES } from '../oidc/oidc-tasks';

/** Where the tool writes, and how long it waits; tests replace them. */
export interface DriftRunOptions {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly timing?: PollTiming;
}

function deployRoleAdvice(args: DriftArgs): string {
  return `An administrator deploys (or updates) the read role of account ${args.account} with: npx projen ${OIDC_TASK_NAMES.deployAccount(args.account)}`;
}

/** Why nothing could be checked, and what to do; never the token or credentials (AWS's messages hold neither). */
function cannotCheck(args: DriftArgs, e: AwsCallError): string {
  const lines = [`Drift of ${args.environment} could not be checked: ${e.problem.code}: ${e.problem.message}`, e.problem.hint];
  if (e.problem.kind === 'role-not-assumable') lines.push(deployRoleAdvice(args));
  return lines.join('\n') + '\n';
}

/**
 * Runs the tool with `argv` (arguments after the command); resolves to the
 * exit code: 0 in sync, 1 drifted, 2 usage, 3 could not check. The AWS SDK
 * reads its settings (credentials, `AWS_ENDPOINT_URL`) from `process.env`;
 * `env` is what the tool itself reads (`AWS_ROLE_ARN` in messages).
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, options: DriftRunOptions = {}): Promise<number> {
  const out = options.stdout ?? ((t: string) => process.stdout.write(t));
  const err = options.stderr ?? ((t: string) => process.stderr.write(t));

  const args = argsOrExit(() => parseDriftArgs(argv), TOOL, DRIFT_USAGE, { out, err });
  if (typeof args === 'number') return args;

  const stacks = stageStacks(args.assembly, args.environment);
  if (!stacks) {
    const what = fs.existsSync(path.join(args.assembly, 'manifest.json'))
      ? `The cloud assembly ${args.assembly} has no stacks of stage ${args.environment}: check --environment, or synthesise the app again (npx projen build).`
      : `No cloud assembly at ${args.assembly}: synthesise the app first (npx projen build), or pass --assembly.`;
    err(`${TOOL}: ${what}\n`);
    return EXIT.usage;
  }

  const role = env.AWS_ROLE_ARN ? ` with role ${env.AWS_ROLE_ARN}` : '';
  out(`Drift detection of ${args.environment} (account ${args.account}, ${args.region})${role}: `
    + `${stacks.length} stack${stacks.length === 1 ? '' : 's'} in ${args.assembly}\n`);
  try {
    const reports = await checkEnvironment(args, stacks, env, options.timing ?? DEFAULT_POLL_TIMING);
    out(formatSummary(reports));
    if (reports.some((r) => r.drift.kind === 'not-checked' && r.drift.accessDenied)) {
      out(`Access was denied for some stacks: the read role may read stacks named ${args.environment}-* and run drift detection on them; `
        + `a stack with another name, or a role deployed before drift detection was turned on, is refused. ${deployRoleAdvice(args)}\n`);
    }
    return exitCode(reports);
  } catch (e) {
    if (e instanceof AwsCallError) {
      err(cannotCheck(args, e));
      return EXIT.notChecked;
    }
    if (e instanceof WrongAccountError) {
      err(`Drift of ${args.environment} could not be checked: ${e.message}\n`);
      return EXIT.notChecked;
    }
    if (e instanceof MissingModuleError) {
      err(`${e.message}\n`);
      return EXIT.notChecked;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => { process.exitCode = code; },
    (e) => {
      process.stderr.write(`${TOOL}: unexpected error, nothing was concluded about drift:\n${e?.stack ?? e}\n`);
      process.exitCode = EXIT.notChecked;
    },
  );
}
