/**
 * The project the rehearsal deploys: created from the packed package with
 * `projen new --from`, as a user would, then edited in `.projenrc.ts` to two
 * environments in two accounts (like scripts/demo.ts), and synthesised: the
 * app into `cdk.out`, the OIDC stacks into `cdk.oidc.out`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NPM_CACHE, offlineSettings, stepPath } from './step-environment';
import { createProject, newFlags, PACKAGE_NAME, packedPackage, projen, run, setDeployEnvironments, userEnv } from '../../scripts/project-factory';

export const WORKSPACE = 'acme';
export const WORKSPACE_UUID = '7baee083-1b2c-4c8d-9d2e-0123456789ab';
export const REPOSITORY_UUID = '3f0c9a42-5678-4e1f-8a3b-fedcba987654';

export interface RehearsalEnvironment {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly deployment: string;
  readonly deploymentUuid: string;
}

export const ENVIRONMENTS: Record<'staging' | 'production', RehearsalEnvironment> = {
  staging: { name: 'staging', account: '111111111111', region: 'eu-west-1', deployment: 'Staging', deploymentUuid: 'a1b2c3d4-0000-4000-8000-000000000001' },
  production: { name: 'production', account: '222222222222', region: 'us-east-1', deployment: 'Production', deploymentUuid: 'a1b2c3d4-0000-4000-8000-000000000002' },
};

export interface RehearsalProject {
  readonly dir: string;
  readonly timings: Record<string, number>;
}

export interface RehearsalProjectOptions {
  /** The deploy environments, in order. @default the two of ENVIRONMENTS */
  readonly environments?: RehearsalEnvironment[];
  /** Edits the app's source (as the user would) after `projen new`, before the synth. */
  readonly editSource?: (dir: string) => void;
  /**
   * Install the package from this registry (serving the packed package as
   * `version`), which the project then names in its projen-managed `.npmrc`,
   * as a company with its own registry does; its lockfile then names the
   * registry's tarball, as the preview steps' lockfile check requires.
   * @default the packed tarball (`file:`), whose lockfile entry that check refuses
   */
  readonly registry?: { readonly url: string; readonly version: string };
}

/** `project.npmrc.addRegistry(url)` before `project.synth()`, as a user configures a private registry. */
function addRegistryToProjenrc(dir: string, url: string): void {
  const rc = path.join(dir, '.projenrc.ts');
  const text = fs.readFileSync(rc, 'utf-8');
  const edited = text.replace(/\nproject\.synth\(\);/, `\nproject.npmrc.addRegistry(${JSON.stringify(url)});\nproject.synth();`);
  if (edited === text) throw new Error(`could not add the registry to ${rc}`);
  fs.writeFileSync(rc, edited);
}

/** Replaces the single environment `projen new` wrote with the given ones, braces and all, as users paste them. */
function editProjenrc(dir: string, environments: RehearsalEnvironment[]): void {
  setDeployEnvironments(dir, environments.map((e) => `{ name: '${e.name}', account: '${e.account}', region: '${e.region}', `
    + `bitbucketDeployment: '${e.deployment}', bitbucketDeploymentUuid: '{${e.deploymentUuid}}'${e.name === 'production' ? ', manualApproval: true' : ''} }`));
}

/** Packs, creates, edits and synthesises; minutes, so done once per test file. */
export function createRehearsalProject(workDir: string, options: RehearsalProjectOptions = {}): RehearsalProject {
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const tarball = packedPackage(path.join(workDir, 'package'));
  timings.pack = (Date.now() - t0) / 1000;
  const dir = path.join(workDir, 'my-app');
  const flags = newFlags(ENVIRONMENTS.production.account, []);
  if (!flags.includes(WORKSPACE) || !flags.includes(`{${WORKSPACE_UUID}}`) || !flags.includes(`{${REPOSITORY_UUID}}`)) {
    throw new Error('scripts/project-factory.ts newFlags changed: update the rehearsal constants');
  }
  const registry = options.registry;
  timings['projen new --from'] = createProject(dir, tarball, flags, registry && {
    from: `${PACKAGE_NAME}@${registry.version}`,
    env: userEnv({ npm_config_registry: registry.url }),
  }).seconds;
  editProjenrc(dir, options.environments ?? Object.values(ENVIRONMENTS));
  if (registry) addRegistryToProjenrc(dir, registry.url);
  options.editSource?.(dir);
  timings['npx projen'] = projen(dir).seconds;
  timings['npx projen synth:silent'] = projen(dir, ['synth:silent']).seconds;
  timings['npx projen bitbucket:oidc:synth'] = projen(dir, ['bitbucket:oidc:synth']).seconds;
  return { dir, timings };
}

/** The CDK CLI version the deploy steps install (`cliVersion` in the generated step runner). */
export function pipelineCliVersion(projectDir: string): string {
  const runner = fs.readFileSync(path.join(projectDir, '.projen', 'oidc-step.js'), 'utf-8');
  const m = /"cliVersion": "([0-9][^"]*)"/.exec(runner);
  if (!m) throw new Error('no "cliVersion" in .projen/oidc-step.js');
  return m[1];
}

/**
 * Fetches the pinned CLI's tarball into the rehearsal's npm cache (the only
 * registry access of the rehearsal; the steps' `npm ci` then runs offline
 * and finds it by its integrity).
 */
export function warmCliCache(version: string, home: string): void {
  run('npm', ['cache', 'add', `aws-cdk@${version}`], home, {
    env: { PATH: stepPath(), HOME: home, ...offlineSettings(home), npm_config_offline: 'false', npm_config_prefer_offline: 'true', npm_config_cache: NPM_CACHE },
    timeoutMs: 180_000,
  });
}

/** The pinned CLI's tarball as the registry serves it, taken from the warm cache (offline). */
export function cliTarball(version: string, home: string, into: string): string {
  fs.mkdirSync(into, { recursive: true });
  run('npm', ['pack', `aws-cdk@${version}`, '--pack-destination', into], home, {
    env: { PATH: stepPath(), HOME: home, ...offlineSettings(home), npm_config_cache: NPM_CACHE },
    timeoutMs: 180_000,
  });
  return path.join(into, `aws-cdk-${version}.tgz`);
}

/**
 * A stand-in `projen` on npm's global prefix. The CDK CLI runs cdk.json's
 * `build` (`npx projen bundle`) before every command, even with
 * `--app cdk.out`; in a deploy step, which has no node_modules, npx would
 * download the latest projen from the registry. The stand-in records the
 * call (in `log`) and succeeds, so the rest of the step can be rehearsed
 * offline; a test reports the call itself.
 */
export function projenStandIn(prefix: string, log: string): Record<string, string> {
  fs.mkdirSync(path.join(prefix, 'bin'), { recursive: true });
  const bin = path.join(prefix, 'bin', 'projen');
  fs.writeFileSync(bin, `#!/bin/sh\nprintf '%s\\n' "projen $*" >> '${log}'\necho "[rehearsal] stand-in for 'npx projen $*' (npx would download projen here)" >&2\n`);
  fs.chmodSync(bin, 0o755);
  return { npm_config_prefix: prefix };
}
