/**
 * The CLI a deploy step runs is the one package-lock.json locks, whatever
 * registry serves it: the generated step, run with the real npm against a
 * fake registry on 127.0.0.1 that serves a tampered `aws-cdk` tarball under
 * the locked version, must refuse it; a mirror serving the locked bytes must
 * work. And the lockfile itself cannot swap the CLI: an entry pointing at
 * another tarball (with that tarball's correct sha512), locking another
 * integrity than the pipeline's, or naming a git or file URL is refused
 * before npm runs. The package is a tiny stand-in for aws-cdk (npm's
 * integrity check does not depend on the package's size), so no real
 * registry is involved; the project pins its version and integrity
 * (cdkCliVersion, cdkCliIntegrity) as one overriding the default would.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { BitbucketCdkAppOptions } from '../../../src';
import { cdkRecord, FAKE_CDK, filesNamed, stepEnv, stepFiles, stepWorld, StepWorld } from '../../pipeline/deploy-step-fixture';
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

/** A version no registry has: nothing here can reach the real aws-cdk. */
const version = '2.9999.0';
const work = tempDir('pbc-registry-');
const genuine = tarball(path.join(work, 'genuine'), version, FAKE_CDK);
/** Same name and version, other bytes: its `cdk` leaves a mark if it ever runs. */
const tampered = tarball(path.join(work, 'tampered'), version, '#!/usr/bin/env node\nrequire("fs").writeFileSync(require("path").join(process.env.RECORD_DIR, "TAMPERED-CLI-RAN"), "");\n');
fs.writeFileSync(path.join(work, 'tampered.tgz'), tampered);

/** The generated staging deploy step and pre-flight of a project with `options`. */
function generated(options: Partial<BitbucketCdkAppOptions>) {
  const project = newProject(twoEnvironmentOptions({ cdkCliVersion: version, ...options }));
  const files = Testing.synth(project);
  const script = project.pipelines.deployStep(project.settings.environments[0]).script as string[];
  return { files: stepFiles(files), script };
}
/** Pinned: the pipeline requires the genuine tarball's integrity. */
const pinned = generated({ cdkCliIntegrity: integrity(genuine) });
/** Not pinned: the step verifies the lockfile's integrity only, so the tarball URL rule alone guards it. */
const unpinned = generated({});
const script = pinned.script;

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs the generated staging step with the real npm and an empty npm cache, so the registry is asked. */
async function runStep(w: StepWorld, env: NodeJS.ProcessEnv = {}, lines = script) {
  return runLikeBitbucketAsync(lines, w.clone, stepEnv(w, TOKEN, {
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
    files: pinned.files,
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

describe('a lockfile that swaps the CLI is refused before npm runs', () => {
  let registry: FakeRegistry;
  /** Another registry, serving the tampered tarball at its own canonical path. */
  let evil: FakeRegistry;
  beforeAll(async () => {
    registry = new FakeRegistry(version, genuine);
    evil = new FakeRegistry(version, tampered);
    await Promise.all([registry.start(), evil.start()]);
  });
  afterAll(async () => Promise.all([registry.stop(), evil.stop()]));

  /** A world whose package-lock.json locks aws-cdk with `entry` instead. */
  function tamperedWorld(files: Record<string, string>, entry: Record<string, unknown>): StepWorld {
    const w = stepWorld({ files, lockedVersion: version, lockedIntegrity: integrity(genuine), assemblyStage: 'staging', realNpm: true });
    const file = path.join(w.clone, 'package-lock.json');
    const lock = JSON.parse(fs.readFileSync(file, 'utf-8'));
    Object.assign(lock.packages['node_modules/aws-cdk'], entry);
    fs.writeFileSync(file, JSON.stringify(lock));
    return w;
  }

  async function refused(lines: string[], w: StepWorld, message: string) {
    const before = [registry.requests.length, evil.requests.length];
    const r = await runStep(w, { npm_config_registry: registry.url }, lines);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(message);
    // npm never ran: no registry was asked, nothing was installed, no CLI ran, no token was written.
    expect([registry.requests.length, evil.requests.length]).toEqual(before);
    expect(filesNamed(w.tmp, 'package.json')).toEqual([]);
    expect(tamperedCliRan(w)).toBe(false);
    expect(cdkRecord(w)).toBeUndefined();
    expect(filesNamed(w.tmp, 'web-identity-token')).toEqual([]);
  }

  test('resolved at another registry\'s tarball, with that tarball\'s correct sha512 (not pinned: the URL rule alone)', async () => {
    const w = tamperedWorld(unpinned.files, { resolved: `${evil.url}aws-cdk/-/aws-cdk-${version}.tgz`, integrity: integrity(tampered) });
    await refused(unpinned.script, w, `locks aws-cdk ${version} at another tarball than the registry's own (resolved is "${evil.url}aws-cdk/-/aws-cdk-${version}.tgz"`);
  });

  test('the registry\'s own URL, but another integrity than the pipeline\'s (the registry serves the bytes it names)', async () => {
    const w = tamperedWorld(pinned.files, { integrity: integrity(tampered) });
    await refused(pinned.script, w, `locks aws-cdk ${version} with integrity ${integrity(tampered)},\nbut this pipeline was generated for ${integrity(genuine)}`);
  });

  test.each([
    ['a file URL', () => `file:${path.join(work, 'tampered.tgz')}`],
    ['a git URL', () => 'git+https://github.com/evil/aws-cdk.git#v2.9999.0'],
  ])('%s (not pinned, the tarball\'s correct sha512)', async (_what, resolved) => {
    const w = tamperedWorld(unpinned.files, { resolved: resolved(), integrity: integrity(tampered) });
    await refused(unpinned.script, w, `at another tarball than the registry's own (resolved is ${JSON.stringify(resolved())}`);
  });

  test('the genuine entry, unpinned: installs from the registry, and the step says it verified only the lockfile\'s integrity', async () => {
    const w = tamperedWorld(unpinned.files, {});
    const r = await runStep(w, { npm_config_registry: registry.url }, unpinned.script);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Note: only the integrity that package-lock.json states was verified');
    expect(cdkRecord(w)?.args[0]).toBe('deploy');
  });
});
