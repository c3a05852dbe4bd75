/**
 * End to end, as a user: pack the package, `projen new --from` it with the
 * README's flags in a fresh folder, then `npx projen` and `npx projen build`.
 * Slow (minutes): it installs the generated projects' dependencies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createProject, newFlags, packedPackage, projen, RunResult } from '../../scripts/project-factory';
import { PROJENRC_EXAMPLE_LINES } from '../../src/app/projenrc-examples';
import { NodeVersionNotice } from '../../src/core/node-version-notice';
import { tempDir } from '../util';

jest.setTimeout(15 * 60_000);

let tarball: string;
const timings: Record<string, number> = {};

beforeAll(() => {
  tarball = packedPackage(tempDir('pbc-pack-'));
});

afterAll(() => {
  // Wall times for the issue notes; jest prints console output with the test run.
  console.log(`e2e wall times (s): ${JSON.stringify(timings)}`);
});

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf-8');
}

function stageAccounts(dir: string): Record<string, string> {
  const manifest = JSON.parse(read(dir, 'cdk.out/manifest.json'));
  const result: Record<string, string> = {};
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts)) {
    if (artifact.type !== 'cdk:cloud-assembly') continue;
    const nested = JSON.parse(read(dir, `cdk.out/${artifact.properties.directoryName}/manifest.json`));
    for (const a of Object.values<any>(nested.artifacts)) {
      if (a.type === 'aws:cloudformation:stack') result[artifact.properties.displayName ?? id] = a.environment;
    }
  }
  return result;
}

describe('projen new --from the packed package, account with a leading zero', () => {
  const dir = path.join(tempDir('pbc-e2e-'), 'my-app');

  let created: RunResult;

  beforeAll(() => {
    created = createProject(dir, tarball, newFlags('012345678901'));
    timings['projen new --from'] = created.seconds;
  });

  test('creates the project with Bitbucket defaults and no GitHub files', () => {
    expect(fs.existsSync(path.join(dir, '.github'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.mergify.yml'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'package-lock.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'yarn.lock'))).toBe(false);
    expect(read(dir, 'src/deploy-environments.ts')).toContain("account: '012345678901'");
    const rc = read(dir, '.projenrc.ts');
    expect(rc).toContain("deployAccount: '012345678901'");
    expect(rc).toContain("import { BitbucketCdkApp } from 'projen-bitbucket-cdk';");
    // This package's next options, as commented examples inside the options.
    expect(rc).toContain(`  ${PROJENRC_EXAMPLE_LINES[0]}\n`);
    expect(rc).toMatch(/\/\/ deployEnvironments: \[[\s\S]*wave: 'test'[\s\S]*\n\}\);/);
  });

  test('on a Node.js older than the package supports, one line says so (whatever npm printed per package)', () => {
    const expected = NodeVersionNotice.text(process.versions.node, JSON.parse(read(dir, 'node_modules/projen-bitbucket-cdk/package.json')).engines.node);
    const output = created.stdout + created.stderr;
    expect(output.split(expected ?? 'no notice on a supported Node.js').length - 1).toBe(expected ? 1 : 0);
  });

  test('first `npx projen` passes (type-checks .projenrc.ts) and changes nothing', () => {
    const before = read(dir, 'src/deploy-environments.ts');
    const r = projen(dir);
    timings['first npx projen'] = r.seconds;
    expect(read(dir, 'src/deploy-environments.ts')).toBe(before);
  });

  test('`npx projen build` compiles, tests and synthesises one stage per environment', () => {
    const r = projen(dir, ['build']);
    timings['npx projen build'] = r.seconds;
    expect(stageAccounts(dir)).toEqual({ production: 'aws://012345678901/eu-west-1' });
  });
});

describe('projen new --from with a digit-only account (parsed as a number by the CLI)', () => {
  const dir = path.join(tempDir('pbc-e2e-'), 'other-app');

  beforeAll(() => {
    createProject(dir, tarball, newFlags('123456789012', ['--deploy-bitbucket-deployment-uuid', '{a1b2c3d4-0000-4000-8000-000000000002}']));
  });

  test('.projenrc.ts holds the account as a string and type-checks', () => {
    expect(read(dir, '.projenrc.ts')).toContain("deployAccount: '123456789012'");
    expect(read(dir, '.projenrc.ts')).toContain("deployBitbucketDeploymentUuid: '{a1b2c3d4-0000-4000-8000-000000000002}'");
    expect(read(dir, 'src/bitbucket-oidc/config.ts')).toContain('{3f0c9a42-5678-4e1f-8a3b-fedcba987654}*{a1b2c3d4-0000-4000-8000-000000000002}:*');
    projen(dir);
    projen(dir, ['synth:silent']);
    expect(stageAccounts(dir)).toEqual({ production: 'aws://123456789012/eu-west-1' });
  });
});

describe('projen new --from without the required flags', () => {
  test('lists every missing flag with where to find it, and writes no project', () => {
    const dir = path.join(tempDir('pbc-e2e-'), 'incomplete');
    const r = createProject(dir, tarball, ['--deploy-account', '012345678901', '--deploy-region', 'eu-west-1'], { allowFailure: true });
    const out = r.stdout + r.stderr;
    expect(r.status).not.toBe(0);
    for (const flag of ['--bitbucket-workspace', '--bitbucket-workspace-uuid', '--bitbucket-repository-uuid']) {
      expect(out).toContain(flag);
    }
    expect(out).toContain('OpenID Connect');
    expect(fs.existsSync(path.join(dir, '.projenrc.ts'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'src'))).toBe(false);
  });
});
