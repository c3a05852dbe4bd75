#!/usr/bin/env node
/*
 * bitbucket-cdk-preview: what deploying one environment would change, for the
 * pull-request pipeline (`npx projen preview:<env> --report`) and locally
 * (`npx projen preview:<env>`). Not reachable from src/index.ts: it loads the
 * AWS SDK and the CDK's diff (see src/aws/optional-module.ts).
 */
import { parsePreviewArgs, PREVIEW_USAGE } from './args';
import { previewFiles, writePreviewFiles } from './artifacts';
import { AssemblyError, readAssemblyStacks } from './assembly-stacks';
import { insightsTarget, InsightsPostError, postInsights } from './insights-client';
import { buildInsights } from './insights-report';
import { previewEnvironment } from './preview-environment';
import { renderText } from './render-text';
import { STATEFUL_RISK_EXIT, statefulRiskFailure } from './stateful-risk';
import { TOOL } from './template-diff';
import { MissingModuleError } from '../aws';
import { argsOrExit } from '../aws/tool-args';

export const EXIT = { ok: 0, failed: 1, usage: 2, statefulRisk: STATEFUL_RISK_EXIT } as const;

/** Where the tool writes; tests capture it. */
export interface PreviewRunOptions {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/** Link to the pipeline run, from the step's variables (the origin is `http://bitbucket.org/<workspace>/<repo>`). */
export function pipelineLink(env: NodeJS.ProcessEnv): string | undefined {
  const origin = env.BITBUCKET_GIT_HTTP_ORIGIN;
  const build = env.BITBUCKET_BUILD_NUMBER;
  if (!origin || !build || !/^\d+$/.test(build)) return undefined;
  return `${origin.replace(/^http:\/\//, 'https://').replace(/\/+$/, '')}/pipelines/results/${build}`;
}

/**
 * Runs the tool with `argv` (arguments after the command); resolves to the
 * exit code: 0 previewed (or not previewed for a reason outside the change),
 * 1 the report could not be posted, 2 usage, 4 with `--fail-on-stateful-risk`
 * a stateful resource would (or may) be replaced or deleted. The AWS SDK reads its settings
 * (credentials, `AWS_ENDPOINT_URL`) from `process.env`; `env` is what the
 * tool itself reads (pipeline variables, the proxy, `AWS_ROLE_ARN` in messages).
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, options: PreviewRunOptions = {}): Promise<number> {
  const out = options.stdout ?? ((t: string) => process.stdout.write(t));
  const err = options.stderr ?? ((t: string) => process.stderr.write(t));

  const args = argsOrExit(() => parsePreviewArgs(argv), TOOL, PREVIEW_USAGE, { out, err });
  if (typeof args === 'number') return args;

  // Checked before any AWS call: a --report that cannot be posted is a usage error.
  const target = args.report ? insightsTarget(env) : undefined;
  if (typeof target === 'string') {
    err(`${TOOL}: ${target}\n`);
    return EXIT.usage;
  }

  try {
    const stacks = readAssemblyStacks(args.assembly, args.environment, args.account, args.region);
    const role = env.AWS_ROLE_ARN ? ` with role ${env.AWS_ROLE_ARN}` : '';
    out(`Previewing ${args.environment} (account ${args.account}, ${args.region})${role}: ${stacks.length} stack${stacks.length === 1 ? '' : 's'} in ${args.assembly}\n`);
    const { report, diffText } = await previewEnvironment(args, stacks, env);
    const files = previewFiles(args.outputDir, args.environment);
    writePreviewFiles(files, report, diffText);
    out(renderText(report, files));
    if (target) {
      const payload = buildInsights(report, { diffFile: files.diff, link: pipelineLink(env) });
      await postInsights(target, payload, (line) => out(`${line}\n`));
    }
    // Last: the reviewer still gets the printed preview, the files and the report.
    const risk = args.failOnStatefulRisk ? statefulRiskFailure(report) : undefined;
    if (risk) {
      err(`${TOOL}: ${risk}\n`);
      return EXIT.statefulRisk;
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof AssemblyError) {
      err(`${TOOL}: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof MissingModuleError || e instanceof InsightsPostError) {
      err(`${TOOL}: ${e.message}\n`);
      return EXIT.failed;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (e) => {
    process.stderr.write(`${TOOL}: unexpected error (a bug; please report it): ${(e as Error)?.stack ?? e}\n`);
    process.exitCode = EXIT.failed;
  });
}
