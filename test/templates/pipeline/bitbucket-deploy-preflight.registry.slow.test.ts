/**
 * The CLI a deploy step runs is the one package-lock.json locks, whatever
 * registry serves it: the generated step, run with the real npm against a
 * fake registry on 127.0.0.1 that serves a tampered `aws-cdk` tarball under
 * the locked version, must refuse it; a mirror serving the locked bytes must
 * work. The package is a tiny stand-in for aws-cdk (npm's integrity check
 * does not depend on the package's size), so no real registry is involved.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { DeployPreflight } from '../../../src/pipeline/deploy-preflight';
import { cdkRecord, FAKE_CDK, filesNamed, stepEnv, stepWorld, StepWorld } from '../../pipeline/deploy-step-fixture';
import { runLikeBitbucketAsync } from '../../pipeline/script-runner';
import { FakeRegistry, integrity } from '../../rehearsal/fake-registry';
import { newProject, tempDir, twoEnvironmentOptions } from '../../util';

jest.setTimeout(120_000);

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZWdpc3RyeSJ9.registry-test-signature';

/** A tarball of a package named aws-cdk at `version` whose `bin/cdk` is `cdk`. */
function tarball(dir: string, version: string, cdk: string): Buffer {
  const pkg = path.join(dir, 'package');
  fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'aws-cdk', version, bin: { cdk: 'bin/cdk' }, license: 'Apache-2.0' }));
  fs.writeFileSync(path.join(pkg, 'bin', 'cdk'), cdk, { mode: 0o755 });
  const file = path.join(dir, 'aws-cdk.tgz');
  const r = spawnSync('tar', ['-czf', file, '-C', dir, 'package'], { encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return fs.readFileSync(file);
}

const project = newProject(twoEnvironmentOptions());
const files = Testing.synth(project);
const version = project.settings.cdkCliVersion;
const script: string[] = project.pipelines.deployStep(project.settings.environments[0]).script;
const work = tempDir('pbc-registry-');
const genuine = tarball(path.join(work, 'genuine'), version, FAKE_CDK);
/** Same name and version, other bytes: its `cdk` leaves a mark if it ever runs. */
const tampered = tarball(path.join(work, 'tampered'), version, '#!/usr/bin/env node\nrequire("fs").writeFileSync(require("path").join(process.env.RECORD_DIR, "TAMPERED-CLI-RAN"), "");\n');

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs the generated staging step with the real npm and an empty npm cache, so the registry is asked. */
async function runStep(w: StepWorld, env: NodeJS.ProcessEnv = {}) {
  return runLikeBitbucketAsync(script, w.clone, stepEnv(w, TOKEN, {
    npm_config_cache: path.join(w.root, 'npm-cache'),
    npm_config_update_notifier: 'false',
    // npm retries a download that fails its integrity check twice, 10 to 60 s apart: right for a real
    // pipeline's flaky network, only slow here.
    npm_config_fetch_retries: '0',
    ...env,
  }), 90_000);
}

function world(npmrc?: string): StepWorld {
  return stepWorld({
    preflight: files[DeployPreflight.FILE_PATH],
    lockedVersion: version,
    lockedIntegrity: integrity(genuine),
    assemblyStage: 'staging',
    realNpm: true,
    npmrc,
  });
}

function tamperedCliRan(w: StepWorld): boolean {
  return fs.existsSync(path.join(w.record, 'TAMPERED-CLI-RAN'));
}

describe('a registry that serves other bytes under the locked version', () => {
  let registry: FakeRegistry;
  beforeAll(async () => {
    registry = new FakeRegistry(version, tampered);
    await registry.start();
  });
  afterAll(async () => registry.stop());

  test('the threat is real: npx -y aws-cdk@<version> (the previous deploy step) runs them', async () => {
    const w = world();
    const r = await new Promise<number | null>((resolve) => {
      const child = spawn('npx', ['-y', `aws-cdk@${version}`, '--version'], {
        cwd: w.clone, env: stepEnv(w, TOKEN, { npm_config_registry: registry.url, npm_config_cache: path.join(w.root, 'npm-cache') }), stdio: 'ignore',
      });
      child.on('close', resolve);
    });
    expect(r).toBe(0);
    expect(tamperedCliRan(w)).toBe(true);
  });

  test.each([
    ['npm_config_registry (a Bitbucket variable or the image)', false],
    ['the repository\'s .npmrc', true],
  ])('pointed at by %s: the step refuses them, runs no CLI and writes no token', async (_how, viaNpmrc) => {
    const w = world(viaNpmrc ? `registry=${registry.url}\n` : undefined);
    const before = registry.requests.length;
    const r = await runStep(w, viaNpmrc ? {} : { npm_config_registry: registry.url });
    expect(registry.requests.slice(before)).toContain(`/aws-cdk/-/aws-cdk-${version}.tgz`);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('EINTEGRITY');
    expect(r.stderr).toContain(`npm ci of aws-cdk@${version} failed`);
    expect(tamperedCliRan(w)).toBe(false);
    expect(cdkRecord(w)).toBeUndefined();
    expect(filesNamed(w.tmp, 'web-identity-token')).toEqual([]);
  });
});

describe('a private mirror that serves the locked bytes', () => {
  let mirror: FakeRegistry;
  beforeAll(async () => {
    mirror = new FakeRegistry(version, genuine);
    await mirror.start();
  });
  afterAll(async () => mirror.stop());

  test.each([['npm_config_registry', false], ['the repository\'s .npmrc', true]])('pointed at by %s: the step installs from it and deploys', async (_how, viaNpmrc) => {
    const w = world(viaNpmrc ? `registry=${mirror.url}\n` : undefined);
    const before = mirror.requests.length;
    const r = await runStep(w, viaNpmrc ? {} : { npm_config_registry: mirror.url });
    expect(r.stderr).not.toContain('EINTEGRITY');
    expect(r.status).toBe(0);
    expect(mirror.requests.slice(before)).toContain(`/aws-cdk/-/aws-cdk-${version}.tgz`);
    expect(cdkRecord(w)?.args.slice(0, 3)).toEqual(['deploy', '--app', 'cdk.out']);
    expect(cdkRecord(w)?.env.BITBUCKET_STEP_OIDC_TOKEN).toBeUndefined();
  });
});
