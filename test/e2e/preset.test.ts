/**
 * A platform team's preset, end to end: a package that extends
 * BitbucketCdkApp with company defaults (docs/platform-teams.md), its options
 * struct generated with @mrgrain/jsii-struct-builder from this package's
 * .jsii, compiled with jsii and packed; then a developer runs
 * `projen new --from acme-preset` with only the per-repository flag, and the
 * project passes `npx projen`, `npx projen build` and `bitbucket:oidc:synth`.
 * Slow (about 3 minutes): it installs the generated project's dependencies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ProjenStruct, Struct } from '@mrgrain/jsii-struct-builder';
import { typescript } from 'projen';
import { packedPackage, projen, PROJEN_VERSION, REPO_ROOT, run } from '../../scripts/project-factory';
import { tempDir } from '../util';

jest.setTimeout(10 * 60_000);

const REPOSITORY_UUID = '{5e6f7a8b-1234-4abc-9def-0123456789ab}';
const PRESET = 'acme-preset';
const timings: Record<string, number> = {};

/** The preset's project type, as docs/platform-teams.md shows it. */
const PRESET_SOURCE = `import { BitbucketCdkApp } from 'projen-bitbucket-cdk';
import { AcmeAppOptions } from './acme-app-options';

export * from './acme-app-options';

/**
 * A CDK app of Acme on Bitbucket: Acme's workspace, accounts and rules.
 *
 * @pjid acme-app
 */
export class AcmeApp extends BitbucketCdkApp {
  constructor(options: AcmeAppOptions) {
    super({
      bitbucketWorkspace: 'acme',
      bitbucketWorkspaceUuid: '{7baee083-1b2c-4c8d-9d2e-0123456789ab}',
      deployEnvironments: [
        { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging' },
        { name: 'production', account: '222222222222', region: 'eu-west-1', bitbucketDeployment: 'Production', manualApproval: true },
      ],
      // The platform team deployed the workspace's OIDC provider in every account once.
      oidcProviderExistsInAccounts: ['111111111111', '222222222222'],
      deployRolePermissionsBoundary: 'acme-deploy-boundary',
      ...options,
    });
    this.pipelines.addStepsAfterDeploy({ name: 'Notify', script: ['echo "deployed $BITBUCKET_REPO_SLUG"'] });
  }
}
`;

/**
 * Writes the options struct the way the preset's .projenrc.ts would
 * (ProjenStruct), reading BitbucketCdkAppOptions from the installed package's
 * .jsii: the struct builder falls back to the working directory.
 */
function generateOptionsStruct(presetDir: string): void {
  const cwd = process.cwd();
  const saved = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  const generator = tempDir('pbc-struct-');
  try {
    process.chdir(path.join(presetDir, 'node_modules', 'projen-bitbucket-cdk'));
    // A TypeScript project, like the preset repository's own (cdk.JsiiProject); not installed, only synthesised.
    const project = new typescript.TypeScriptProject({ name: PRESET, defaultReleaseBranch: 'main', outdir: generator, github: false, jest: false, eslint: false });
    new ProjenStruct(project, { name: 'AcmeAppOptions', filePath: 'src/acme-app-options.ts', description: 'Options of AcmeApp: those of BitbucketCdkApp, with Acme\'s defaults optional.' })
      .mixin(Struct.fromFqn('projen-bitbucket-cdk.BitbucketCdkAppOptions'))
      .update('bitbucketWorkspace', { optional: true, docs: { summary: 'Bitbucket workspace slug.', default: '"acme"' } })
      .update('bitbucketWorkspaceUuid', { optional: true, docs: { summary: 'Bitbucket workspace UUID.', default: '- Acme\'s workspace' } });
    project.synth();
    fs.copyFileSync(path.join(generator, 'src', 'acme-app-options.ts'), path.join(presetDir, 'src', 'acme-app-options.ts'));
  } finally {
    process.chdir(cwd);
    if (saved === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = saved;
    fs.rmSync(generator, { recursive: true, force: true });
  }
}

/**
 * Creates, compiles (this repository's jsii) and packs the preset; returns the
 * tarball. It depends on this package's tarball: a published preset would
 * name a registry version instead (jsii reads a `file:` dependency as a folder,
 * so the tarball is only put in before packing).
 */
function buildPreset(presetDir: string, packageTarball: string): string {
  fs.mkdirSync(path.join(presetDir, 'src'), { recursive: true });
  const modules = path.join(presetDir, 'node_modules');
  fs.mkdirSync(path.join(modules, 'projen-bitbucket-cdk'), { recursive: true });
  run('tar', ['xzf', packageTarball, '-C', path.join(modules, 'projen-bitbucket-cdk'), '--strip-components=1'], presetDir);
  // Its peers, as the preset's own devDependencies would provide them.
  for (const peer of ['projen', 'constructs']) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', peer), path.join(modules, peer));

  const packageJson = (dependency: string) => ({
    name: PRESET,
    version: '1.0.0',
    description: 'Acme\'s BitbucketCdkApp preset',
    license: 'Apache-2.0',
    author: { name: 'Acme Platform Team', email: 'platform@acme.example', organization: true },
    repository: { type: 'git', url: 'https://bitbucket.org/acme/acme-preset.git' },
    main: 'lib/index.js',
    types: 'lib/index.d.ts',
    files: ['lib', '.jsii'],
    dependencies: { 'projen-bitbucket-cdk': dependency },
    peerDependencies: { projen: '>=0.103.0 <1.0.0', constructs: '^10.0.0' },
    jsii: { outdir: 'dist', targets: {}, tsc: { outDir: 'lib', rootDir: 'src' } },
  });
  const write = (dependency: string) => fs.writeFileSync(path.join(presetDir, 'package.json'), JSON.stringify(packageJson(dependency), null, 2));
  write('*');
  fs.writeFileSync(path.join(presetDir, 'src', 'index.ts'), PRESET_SOURCE);
  generateOptionsStruct(presetDir);
  timings['jsii (preset)'] = run(path.join(REPO_ROOT, 'node_modules', '.bin', 'jsii'), ['--silence-warnings=reserved-word'], presetDir, { env: process.env }).seconds;
  write(`file:${packageTarball}`);
  const packed = run('npm', ['pack', '--json', '--pack-destination', path.dirname(presetDir)], presetDir, { env: process.env });
  return path.join(path.dirname(presetDir), JSON.parse(packed.stdout)[0].filename);
}

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf-8');
}

function oidcTemplates(dir: string): any[] {
  const out = path.join(dir, 'cdk.oidc.out');
  return fs.readdirSync(out).filter((f) => f.endsWith('.template.json')).map((f) => JSON.parse(read(out, f)));
}

const work = tempDir('pbc-preset-');
const presetDir = path.join(work, PRESET);
const dir = path.join(work, 'orders');
let assembly: any;

beforeAll(() => {
  const started = process.hrtime.bigint();
  const presetTarball = buildPreset(presetDir, packedPackage(path.join(work, 'pack')));
  assembly = JSON.parse(read(presetDir, '.jsii'));
  fs.mkdirSync(dir);
  const created = run('npx', [
    '-y', `projen@${PROJEN_VERSION}`, 'new',
    '--from', `${PRESET}@file:${presetTarball}`,
    '--projen-version', PROJEN_VERSION,
    '--no-git',
    '--bitbucket-repository-uuid', REPOSITORY_UUID,
  ], dir);
  timings['projen new --from preset'] = created.seconds;
  timings['setup total'] = Number(process.hrtime.bigint() - started) / 1e9;
});

afterAll(() => {
  console.log(`preset e2e wall times (s): ${JSON.stringify(timings)}`);
  fs.rmSync(work, { recursive: true, force: true });
});

test('jsii accepts the preset; its options make the defaulted options optional and keep the per-repository one required', () => {
  const options = assembly.types[`${PRESET}.AcmeAppOptions`];
  const prop = (name: string) => options.properties.find((p: any) => p.name === name);
  expect(assembly.types[`${PRESET}.AcmeApp`].base).toBe('projen-bitbucket-cdk.BitbucketCdkApp');
  expect(prop('bitbucketWorkspace').optional).toBe(true);
  expect(prop('bitbucketWorkspaceUuid').optional).toBe(true);
  expect(prop('bitbucketRepositoryUuid').optional).toBeUndefined();
  // Every other option of BitbucketCdkApp stays available to developers.
  for (const name of ['deployEnvironments', 'upgradePipeline', 'cdkVersion', 'deps']) expect(prop(name)).toBeDefined();
});

test('`projen new --from` the preset with only the repository UUID writes a .projenrc.ts that relies on the preset', () => {
  const rc = read(dir, '.projenrc.ts');
  expect(rc).toContain(`import { AcmeApp } from '${PRESET}';`);
  expect(rc).toContain(`bitbucketRepositoryUuid: '${REPOSITORY_UUID}'`);
  // The company defaults live in the preset, not copied into each repository.
  expect(rc).not.toMatch(/^\s*(bitbucketWorkspace|bitbucketWorkspaceUuid|deployEnvironments):/m);
});

test('the generated files carry the preset\'s accounts, approval, boundary, imported provider and extra step', () => {
  expect(read(dir, 'src/deploy-environments.ts')).toContain("{ name: 'production', account: '222222222222', region: 'eu-west-1' }");
  const config = read(dir, 'src/bitbucket-oidc/config.ts');
  expect(config).toContain("permissionsBoundary: 'acme-deploy-boundary'");
  expect(config.match(/providerExists: true/g)).toHaveLength(2);
  const pipeline = read(dir, 'bitbucket-pipelines.yml');
  expect(pipeline).toContain('export AWS_ROLE_ARN=arn:aws:iam::222222222222:role/bitbucket-deploy-orders-production-5e6f7a8b');
  expect(pipeline.indexOf('name: Notify')).toBeGreaterThan(pipeline.indexOf('name: Deploy production'));
  expect(pipeline).toContain('upgrade-dependencies:');
});

test('`npx projen` type-checks .projenrc.ts and changes no generated file', () => {
  const files = ['bitbucket-pipelines.yml', 'src/bitbucket-oidc/config.ts', '.projen/tasks.json', 'package.json'];
  const before = files.map((f) => read(dir, f));
  timings['npx projen'] = projen(dir).seconds;
  expect(files.map((f) => read(dir, f))).toEqual(before);
});

test('`npx projen build` compiles, tests and synthesises the app', () => {
  timings['npx projen build'] = projen(dir, ['build']).seconds;
  expect(fs.existsSync(path.join(dir, 'cdk.out', 'manifest.json'))).toBe(true);
});

test('`bitbucket:oidc:synth` builds roles with the boundary and imports the provider in both accounts', () => {
  timings['bitbucket:oidc:synth'] = projen(dir, ['bitbucket:oidc:synth']).seconds;
  const templates = oidcTemplates(dir);
  expect(templates).toHaveLength(2);
  for (const template of templates) {
    const resources = Object.values<any>(template.Resources);
    expect(resources.map((r) => r.Type)).not.toContain('AWS::IAM::OIDCProvider');
    const roles = resources.filter((r) => r.Type === 'AWS::IAM::Role');
    expect(roles).toHaveLength(1);
    expect(JSON.stringify(roles[0].Properties.PermissionsBoundary)).toContain(':policy/acme-deploy-boundary');
  }
});
