/**
 * Packs this package and creates real projects from it with
 * `projen new --from`, exactly as a user would. Shared by the demo
 * (scripts/demo.ts) and the end-to-end tests.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const PACKAGE_NAME = 'projen-bitbucket-cdk';
/** The projen the generated projects are pinned to (the one this repo builds with). */
export const PROJEN_VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/projen/package.json'), 'utf-8')).version;

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
  readonly seconds: number;
}

/**
 * The environment of a child process that plays the user: without `CI`
 * (projen would switch to `npm ci`, which fails in a fresh folder without a
 * lockfile) and without the npm/jest variables of the process running us
 * (jest's `NODE_ENV=test` silences projen's logger and makes it report
 * version 99.99.99).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'CI' || k.startsWith('npm_') || k.startsWith('JEST') || k === 'NODE_OPTIONS' || k === 'INIT_CWD' || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs a command; throws with its output when it fails (unless allowFailure). */
export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly allowFailure?: boolean;
  readonly timeoutMs?: number;
}

export function run(cmd: string, args: string[], cwd: string, opts: RunOptions = {}): RunResult {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd,
    env: opts.env ?? userEnv(),
    encoding: 'utf-8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: opts.timeoutMs ?? 15 * 60_000,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const result = { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status ?? -1, seconds };
  if (result.status !== 0 && !opts.allowFailure) {
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed in ${cwd} (exit ${result.status}${r.error ? `, ${r.error.message}` : ''}):\n${tail(result.stdout)}\n${tail(result.stderr)}`);
  }
  return result;
}

function tail(text: string, lines = 60): string {
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * Compiles the package with jsii and packs it; returns the absolute tarball
 * path. The tarball is what a user would install from the registry.
 */
export function packPackage(destination: string): string {
  run('npx', ['jsii', '--silence-warnings=reserved-word'], REPO_ROOT, { env: process.env });
  fs.mkdirSync(destination, { recursive: true });
  const packed = run('npm', ['pack', '--json', '--pack-destination', destination], REPO_ROOT, { env: process.env });
  const [info] = JSON.parse(packed.stdout);
  return path.join(destination, info.filename);
}

/**
 * Environment variable that holds the tarball the slow test suites share; set
 * by their jest globalSetup (test/support/pack-once.ts), which packs once per
 * run, or by the caller to reuse a tarball.
 */
export const PACKAGE_TARBALL_ENV = 'PBC_PACKAGE_TARBALL';

/**
 * The packed package for a test: the shared tarball of PACKAGE_TARBALL_ENV,
 * else (a suite run outside the slow jest project) packed into `destination`.
 */
export function packedPackage(destination: string): string {
  const shared = process.env[PACKAGE_TARBALL_ENV];
  if (shared) {
    if (!fs.existsSync(shared)) throw new Error(`${PACKAGE_TARBALL_ENV}=${shared}: no such file`);
    return shared;
  }
  return packPackage(destination);
}

/** The flags a user passes to `projen new` (README quick start). */
export function newFlags(account: string, extra: string[] = []): string[] {
  return [
    '--bitbucket-workspace', 'acme',
    '--bitbucket-workspace-uuid', '{7baee083-1b2c-4c8d-9d2e-0123456789ab}',
    '--bitbucket-repository-uuid', '{3f0c9a42-5678-4e1f-8a3b-fedcba987654}',
    '--deploy-account', account,
    '--deploy-region', 'eu-west-1',
    ...extra,
  ];
}

export interface CreateProjectOptions {
  readonly allowFailure?: boolean;
  /** The projen that runs `new` and that the project pins. @default PROJEN_VERSION */
  readonly projenVersion?: string;
  /**
   * The `--from` spec, e.g. `projen-bitbucket-cdk@0.0.0` from a registry
   * (with `env` naming it). @default `projen-bitbucket-cdk@file:<tarball>`
   */
  readonly from?: string;
  /** The environment of `projen new`. @default userEnv() */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * `npx projen@<v> new --from "projen-bitbucket-cdk@file:<tgz>" --projen-version <v> ...` in `dir`
 * (created empty). A plain tarball path as --from fails later (projen#1862),
 * hence the `name@file:` spec.
 */
export function createProject(dir: string, tarball: string, flags: string[], opts: CreateProjectOptions = {}): RunResult {
  fs.mkdirSync(dir, { recursive: true });
  // As the README: the projen that runs `new` and the one the project pins are the same, exact version.
  const projenVersion = opts.projenVersion ?? PROJEN_VERSION;
  return run('npx', [
    '-y', `projen@${projenVersion}`, 'new',
    '--from', opts.from ?? `${PACKAGE_NAME}@file:${tarball}`,
    '--projen-version', projenVersion,
    '--no-git',
    ...flags,
  ], dir, { allowFailure: opts.allowFailure, env: opts.env });
}

/** `npx projen <args>` inside a generated project. */
export function projen(dir: string, args: string[] = [], opts: { allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {}): RunResult {
  return run('npx', ['projen', ...args], dir, opts);
}

/**
 * Replaces the command line's `deployAccount`/`deployRegion` in a generated
 * `.projenrc.ts` with `deployEnvironments` (TypeScript source of the array's
 * entries), as a user edits it after `projen new`.
 */
export function setDeployEnvironments(dir: string, entries: string[]): void {
  const rc = path.join(dir, '.projenrc.ts');
  const text = fs.readFileSync(rc, 'utf-8');
  const edited = text
    .replace(/\n\s*deployAccount: '\d{12}',/, '')
    .replace(/\n\s*deployRegion: '[a-z0-9-]+',/, '')
    .replace(/(const project = new BitbucketCdkApp\(\{)/, `$1\n  deployEnvironments: [\n${entries.map((e) => `    ${e},\n`).join('')}  ],`);
  if (edited === text) throw new Error(`could not edit ${rc}`);
  fs.writeFileSync(rc, edited);
}
