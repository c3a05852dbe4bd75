/**
 * A platform team's preset, end to end, exactly as docs/platform-teams.md
 * says: the guide's own code blocks (preset-guide.ts) are written into an
 * empty folder, its first-build commands install, synthesise and build the
 * preset (projen's cdk.JsiiProject, jsii, jsii-pacmak), its `projen new
 * --from "<name>@file:<tarball>"` command creates an application repository,
 * which then builds, synthesises its OIDC app and its provider app, and takes
 * the guide's repository `.projenrc.ts` (deployment UUIDs by environment
 * name, the preset from the registry).
 *
 * The one stand-in: npm talks to a local registry (local-registry.ts) that
 * serves this repository's packed package as the projen-bitbucket-cdk version
 * the guide names (and later the packed preset), and passes every other
 * request to the public registry.
 *
 * Slow (about 10 minutes on 2 cores): three projects install their
 * dependencies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { startLocalRegistry, repackWithVersion, LocalRegistry, ServedPackage } from './local-registry';
import { GUIDE_PATH, guideBlock, installedVersion, peerRange } from './preset-guide';
import { packedPackage, PACKAGE_NAME, projen, PROJEN_VERSION, run, RunResult, userEnv } from '../../scripts/project-factory';
import { tempDir } from '../util';

jest.setTimeout(30 * 60_000);

const PRESET = '@acme/projen-preset';
const REPOSITORY_UUID = '{3f0c9a42-5678-4e1f-8a3b-fedcba987654}';
const timings: Record<string, number> = {};
const work = tempDir('pbc-preset-');
const presetDir = path.join(work, 'acme-projen-preset');
const dir = path.join(work, 'orders-service');
const registries: LocalRegistry[] = [];
let packageServed: ServedPackage;
let presetTarball: string;
let assembly: any;
let createdOutput = '';

/** The environment of a person at a terminal whose npm uses `registry`. */
function env(npm: LocalRegistry): NodeJS.ProcessEnv {
  return userEnv({
    npm_config_registry: npm.url,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // projen new commits the new project.
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@acme.example',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@acme.example',
  });
}

/** Runs a shell block of the guide as a person pastes it. */
function runBlock(key: string, cwd: string, npm: LocalRegistry, opts: { allowFailure?: boolean } = {}): RunResult {
  return run('bash', ['-euo', 'pipefail', '-c', guideBlock(key)], cwd, { env: env(npm), allowFailure: opts.allowFailure });
}

async function startRegistry(packages: ServedPackage[], missing: string[] = []): Promise<LocalRegistry> {
  const started = await startLocalRegistry(packages, missing);
  registries.push(started);
  return started;
}

function read(d: string, file: string): string {
  return fs.readFileSync(path.join(d, file), 'utf-8');
}

function templates(d: string, out: string): any[] {
  return fs.readdirSync(path.join(d, out)).filter((f) => f.endsWith('.template.json')).map((f) => JSON.parse(read(path.join(d, out), f)));
}

beforeAll(async () => {
  const started = process.hrtime.bigint();
  // The version the guide builds against; this repository's package plays it.
  const version = installedVersion(PACKAGE_NAME);
  packageServed = { name: PACKAGE_NAME, version, tarball: repackWithVersion(packedPackage(path.join(work, 'pack')), version, work) };
  const npm = await startRegistry([packageServed]);

  fs.mkdirSync(path.join(presetDir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(presetDir, '.projenrc.ts'), guideBlock('preset/.projenrc.ts'));
  fs.writeFileSync(path.join(presetDir, 'src', 'index.ts'), guideBlock('preset/src/index.ts'));
  timings['preset: first build (guide)'] = runBlock('preset/first-build', presetDir, npm).seconds;
  assembly = JSON.parse(read(presetDir, '.jsii'));
  const packed = fs.readdirSync(path.join(presetDir, 'dist', 'js')).filter((f) => f.endsWith('.jsii.tgz'));
  expect(packed).toHaveLength(1);
  presetTarball = path.join(presetDir, 'dist', 'js', packed[0]);

  const created = runBlock('app/new', work, npm);
  timings['projen new --from preset (guide)'] = created.seconds;
  createdOutput = created.stdout + created.stderr;
  timings['setup total'] = Number(process.hrtime.bigint() - started) / 1e9;
});

afterAll(() => {
  for (const r of registries) r.stop();
  console.log(`preset e2e wall times (s): ${JSON.stringify(timings)}`);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the guide\'s versions', () => {
  test('the peer range of projen-bitbucket-cdk admits the version the first build installs; projen and constructs as this package builds with', () => {
    expect(peerRange(PACKAGE_NAME)).toBe(`^${installedVersion(PACKAGE_NAME)}`);
    expect(installedVersion('projen')).toBe(PROJEN_VERSION);
    expect(guideBlock('app/new')).toContain(`npx -y projen@${PROJEN_VERSION} new --from "${PRESET}@file:`);
    expect(guideBlock('app/new')).toContain(`--projen-version ${PROJEN_VERSION}`);
    // The constructs projen carries (this repository's, installed for projen) is the floor of the peer.
    const carried = JSON.parse(read(path.join(__dirname, '..', '..', 'node_modules', 'constructs'), 'package.json')).version;
    expect(peerRange('constructs')).toBe(`^${installedVersion('constructs')}`);
    expect(installedVersion('constructs')).toBe(carried);
    // One copy in the preset: none nested under projen.
    expect(fs.existsSync(path.join(presetDir, 'node_modules', 'projen', 'node_modules', 'constructs'))).toBe(false);
  });
});

describe('the preset repository, built as the guide says', () => {
  test('stays a TypeScript projenrc, npm, no GitHub project after its first synthesis', () => {
    const tasks = JSON.parse(read(presetDir, '.projen/tasks.json')).tasks;
    expect(JSON.stringify(tasks.default.steps)).toMatch(/"ts-node".*"\.projenrc\.ts"/);
    expect(fs.existsSync(path.join(presetDir, 'package-lock.json'))).toBe(true);
    expect(fs.existsSync(path.join(presetDir, 'yarn.lock'))).toBe(false);
    expect(fs.existsSync(path.join(presetDir, '.github'))).toBe(false);
    expect(fs.existsSync(path.join(presetDir, '.mergify.yml'))).toBe(false);
    // A later `npx projen` works (the first one did not switch it to .projenrc.js).
    timings['preset: npx projen'] = projen(presetDir, [], { env: env(registries[0]) }).seconds;
  });

  test('jsii accepts it: AcmeApp extends BitbucketCdkApp; the defaulted options are optional, the per-repository one required', () => {
    const options = assembly.types[`${PRESET}.AcmeAppOptions`];
    const prop = (name: string) => options.properties.find((p: any) => p.name === name);
    expect(assembly.types[`${PRESET}.AcmeApp`].base).toBe('projen-bitbucket-cdk.BitbucketCdkApp');
    expect(prop('bitbucketWorkspace').optional).toBe(true);
    expect(prop('bitbucketWorkspaceUuid').optional).toBe(true);
    expect(prop('bitbucketRepositoryUuid').optional).toBeUndefined();
    for (const name of ['deployEnvironments', 'bitbucketDeploymentUuids', 'upgradePipeline', 'cdkVersion', 'deps']) expect(prop(name)).toBeDefined();
    // One constructs in its type system: the peer the guide names.
    expect(assembly.dependencies).toEqual({ [PACKAGE_NAME]: peerRange(PACKAGE_NAME), projen: peerRange('projen'), constructs: peerRange('constructs') });
  });
});

describe('a repository created with `projen new --from` the packed preset (guide)', () => {
  test('its .projenrc.ts relies on the preset: only the repository UUID and the preset as a devDependency', () => {
    const rc = read(dir, '.projenrc.ts');
    expect(rc).toContain(`import { AcmeApp } from '${PRESET}';`);
    expect(rc).toContain(`bitbucketRepositoryUuid: '${REPOSITORY_UUID}'`);
    expect(rc).toContain(`devDeps: ['${PRESET}@file:${presetTarball}']`);
    expect(rc).not.toMatch(/^\s*(bitbucketWorkspace|bitbucketWorkspaceUuid|deployEnvironments):/m);
  });

  test('the generated files carry the preset\'s accounts, approval, boundary, imported provider and extra step', () => {
    expect(read(dir, 'src/deploy-environments.ts')).toContain("{ name: 'production', account: '222222222222', region: 'eu-west-1' }");
    const config = read(dir, 'src/bitbucket-oidc/config.ts');
    expect(config).toContain("permissionsBoundary: 'acme-deploy-boundary'");
    expect(config.match(/providerExists: true/g)).toHaveLength(2);
    const pipeline = read(dir, 'bitbucket-pipelines.yml');
    expect(pipeline).toContain('export AWS_ROLE_ARN=arn:aws:iam::222222222222:role/bitbucket-deploy-orders-service-production-3f0c9a42');
    expect(pipeline.indexOf('name: Notify')).toBeGreaterThan(pipeline.indexOf('name: Deploy production'));
    expect(pipeline).toContain('upgrade-dependencies:');
  });

  test('its README explains it: what deploys where, the preset its defaults come from, the provider task', () => {
    const readme = read(dir, 'README.md');
    expect(readme).toContain('# orders-service');
    expect(readme).toContain('| production | `222222222222` | eu-west-1 | Production | manual');
    expect(readme).toContain('This repository was made from `AcmeApp`');
    expect(readme).toContain('`npx projen bitbucket:oidc:provider:deploy:111111111111`');
  });

  test('`npx projen` type-checks .projenrc.ts and changes no generated file', () => {
    const files = ['bitbucket-pipelines.yml', 'src/bitbucket-oidc/config.ts', '.projen/tasks.json', 'package.json', 'README.md'];
    const before = files.map((f) => read(dir, f));
    timings['npx projen'] = projen(dir, [], { env: env(registries[0]) }).seconds;
    expect(files.map((f) => read(dir, f))).toEqual(before);
  });

  test('`npx projen build` compiles, tests and synthesises the app', () => {
    timings['npx projen build'] = projen(dir, ['build'], { env: env(registries[0]) }).seconds;
    expect(fs.existsSync(path.join(dir, 'cdk.out', 'manifest.json'))).toBe(true);
  });

  test('`bitbucket:oidc:synth`: roles with the boundary, the provider imported in both accounts', () => {
    timings['bitbucket:oidc:synth'] = projen(dir, ['bitbucket:oidc:synth'], { env: env(registries[0]) }).seconds;
    const oidc = templates(dir, 'cdk.oidc.out');
    expect(oidc).toHaveLength(2);
    for (const template of oidc) {
      const resources = Object.values<any>(template.Resources);
      expect(resources.map((r) => r.Type)).not.toContain('AWS::IAM::OIDCProvider');
      // The environment's deploy role and the read-only role of previews and drift detection, both bounded.
      const roles = resources.filter((r) => r.Type === 'AWS::IAM::Role');
      expect(roles).toHaveLength(2);
      for (const role of roles) expect(JSON.stringify(role.Properties.PermissionsBoundary)).toContain(':policy/acme-deploy-boundary');
    }
  });

  test('`bitbucket:oidc:provider:synth`: the provider those roles import, alone and retained, one stack per account of the preset', () => {
    timings['bitbucket:oidc:provider:synth'] = projen(dir, ['bitbucket:oidc:provider:synth'], { env: env(registries[0]) }).seconds;
    const providers = templates(dir, 'cdk.oidc-provider.out');
    expect(providers).toHaveLength(2);
    for (const template of providers) {
      const resources = Object.values<any>(template.Resources).filter((r) => r.Type !== 'AWS::CDK::Metadata');
      expect(resources.map((r) => [r.Type, r.DeletionPolicy])).toEqual([['AWS::IAM::OIDCProvider', 'Retain']]);
      expect(resources[0].Properties.ClientIdList).toEqual(['ari:cloud:bitbucket::workspace/7baee083-1b2c-4c8d-9d2e-0123456789ab']);
    }
  });

  test('the guide\'s repository .projenrc.ts: deployment UUIDs by environment name, the preset from the registry, one `npx projen`', async () => {
    // The preset as published: the registry now serves it too.
    const presetVersion = JSON.parse(read(presetDir, 'package.json')).version;
    const published = await startRegistry([packageServed, { name: PRESET, version: presetVersion, tarball: presetTarball }]);
    fs.writeFileSync(path.join(dir, '.projenrc.ts'), guideBlock('app/.projenrc.ts'));
    const synth = runBlock('app/after-publishing', dir, published);
    timings['npx projen (guide .projenrc.ts)'] = synth.seconds;
    // Created without UUIDs, the roles trusted any step (a warning said so); now each its environment's.
    expect(createdOutput).toMatch(/can assume its deploy role/);
    expect(synth.stdout + synth.stderr).not.toMatch(/can assume its deploy role/);
    const config = read(dir, 'src/bitbucket-oidc/config.ts');
    expect(config).toContain("deploymentUuid: 'a1b2c3d4-0000-4000-8000-000000000001'");
    expect(config).toContain("deploymentUuid: 'a1b2c3d4-0000-4000-8000-000000000002'");
    // Still the preset's environments, not restated.
    expect(read(dir, 'src/deploy-environments.ts')).toContain("{ name: 'staging', account: '111111111111', region: 'eu-west-1' }");
    expect(JSON.parse(read(dir, 'package.json')).devDependencies[PRESET]).toBe(`^${presetVersion}`);
    // Now upgrades can move it: the upgrade task ends with upgrade:preset, and nothing warns about the file: tarball.
    expect(JSON.parse(read(dir, '.projen/tasks.json')).tasks['upgrade:preset']).toBeDefined();
    expect(createdOutput).toMatch(/upgrades cannot move/);
    expect(synth.stdout + synth.stderr).not.toMatch(/upgrades cannot move/);
  });
});

test('troubleshooting: a peer the registry does not have makes projen name the preset; `npm install` of the spec names the peer (guide)', async () => {
  const without = await startRegistry([], [PACKAGE_NAME]);
  const spec = `${PRESET}@file:${presetTarball}`;
  const empty = path.join(work, 'missing-peer');
  fs.mkdirSync(empty);
  const created = run('npx', ['-y', `projen@${PROJEN_VERSION}`, 'new', '--from', spec, '--projen-version', PROJEN_VERSION, '--no-git', '--bitbucket-repository-uuid', REPOSITORY_UUID], empty, { env: env(without), allowFailure: true });
  expect(created.status).not.toBe(0);
  const said = created.stdout + created.stderr;
  expect(said).toContain(`Could not find '${spec}' in this registry`);
  expect(fs.readFileSync(GUIDE_PATH, 'utf-8')).toContain(`Could not find '${PRESET}@…' in this`);
  const installed = run('npm', ['install', '--save-dev', spec], fs.mkdtempSync(path.join(work, 'npm-')), { env: env(without), allowFailure: true });
  expect(installed.stdout + installed.stderr).toMatch(new RegExp(`404 Not Found - GET ${without.url}${PACKAGE_NAME}\\b`));
});
