/**
 * Set-up time of a deploy step, up to the moment the CDK CLI could start
 * deploying, run locally with bash (no container, no clone, no network
 * beyond npm's registry revalidation).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A syntactically valid, unsigned stand-in for `$BITBUCKET_STEP_OIDC_TOKEN`. */
export const STUB_TOKEN = [
  Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url'),
  Buffer.from('{"sub":"{bench}:{bench}","aud":"bench"}').toString('base64url'),
  'c3R1Yi1zaWduYXR1cmU',
].join('.');

/** Copies a project as a pipeline clone would see it: tracked files, no node_modules, no assemblies. */
export function cloneProject(from: string, to: string, withAssembly?: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|cdk\.out|cdk\.oidc\.out|\.git)([/\\]|$)/.test(src.slice(from.length)),
  });
  if (withAssembly) fs.cpSync(withAssembly, path.join(to, 'cdk.out'), { recursive: true });
}

function timeBash(lines: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const file = path.join(path.dirname(cwd), `script-${process.hrtime.bigint()}.sh`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-e', file], { cwd, env, encoding: 'utf-8', timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`step script failed (exit ${r.status}) in ${cwd}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return seconds;
}

export interface StepEnvironment {
  /** Base environment (PATH, HOME...). */
  readonly env: NodeJS.ProcessEnv;
  /** npm cache of the benchmark: warm tarballs, `_npx` emptied before each generated-step run. */
  readonly npmCache: string;
}

/** The last line of a generated deploy step runs the CLI its pre-flight installed. */
const CLI = 'node "$deploy_tmp"/cli/node_modules/aws-cdk/bin/cdk';

/**
 * The generated deploy step's script, with its last line (`node
 * "$deploy_tmp"/cli/node_modules/aws-cdk/bin/cdk deploy ...`) replaced by
 * the same CLI's `--version`: the time until the pinned CLI is installed
 * (the pre-flight's `npm ci` from the locked integrity) and answers, with
 * the npm cache's tarballs warm, as on a fresh Bitbucket container whose
 * npm cache (`~/.npm/_cacache`) was restored.
 */
export function generatedStepSetup(script: string[], _cliVersion: string, clone: string, tmp: string, s: StepEnvironment): number {
  const last = script[script.length - 1];
  if (!last.startsWith(`${CLI} `)) throw new Error(`the deploy step does not end with "${CLI} ...": ${last}`);
  fs.rmSync(path.join(s.npmCache, '_npx'), { recursive: true, force: true });
  return timeBash([...script.slice(0, -1), `${CLI} --version`], clone, stepVariables(clone, tmp, s));
}

/**
 * The previous generated step's way to the CLI, `npx -y aws-cdk@<version>
 * --version`, with npx's install folder emptied (as the restored cache of a
 * fresh container had it before `~/.npm/_npx` was cached): the baseline of
 * the locked install.
 */
export function npxStepSetup(cliVersion: string, clone: string, tmp: string, s: StepEnvironment): number {
  fs.rmSync(path.join(s.npmCache, '_npx'), { recursive: true, force: true });
  return timeBash([`npx -y aws-cdk@${cliVersion} --version`], clone, stepVariables(clone, tmp, s));
}

function stepVariables(clone: string, tmp: string, s: StepEnvironment): NodeJS.ProcessEnv {
  return {
    ...s.env,
    CI: 'true',
    TMPDIR: tmp,
    npm_config_cache: s.npmCache,
    BITBUCKET_STEP_OIDC_TOKEN: STUB_TOKEN,
    BITBUCKET_BUILD_NUMBER: '1',
    BITBUCKET_CLONE_DIR: clone,
  };
}

/** The seed article's step up to `cdk deploy`: `npm ci` and `cdk synth` in a clone of the project. */
export function seedStepSetup(clone: string, s: StepEnvironment): number {
  return timeBash(['npm ci --no-audit --no-fund', 'npx cdk synth --quiet'], clone, { ...s.env, CI: 'true', npm_config_cache: s.npmCache });
}
