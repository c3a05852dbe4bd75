/**
 * The pre-flight template's checks, called in-process (the generated step
 * runs them in test/pipeline/deploy-step-script.test.ts; the locked install
 * against a registry in bitbucket-deploy-preflight.registry.slow.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectLockfile, writeAssembly } from '../../pipeline/deploy-step-fixture';
import { tempDir } from '../../util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const preflight = require('../../../templates/pipeline/bitbucket-deploy-preflight.js');

function inDir<T>(dir: string, f: () => T): T {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return f();
  } finally {
    process.chdir(previous);
  }
}

function main(dir: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = inDir(dir, () => preflight.main(args, {}, (l: string) => out.push(l), (l: string) => err.push(l)));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ARGS = ['--environment', 'staging', '--assembly', 'cdk.out', '--cli-version', '2.1148.1', '--install-into', '/nonexistent-never-reached'];

describe('executable assets', () => {
  test('found in the assembly and in nested assemblies, files and docker images; plain assets are not', () => {
    const dir = tempDir('pbc-pre-');
    const assembly = path.join(dir, 'cdk.out');
    writeAssembly(assembly, 'staging', {
      files: { plain: { source: { path: 'asset.1', packaging: 'file' }, destinations: {} }, built: { source: { executable: ['node', 'build.js'] }, destinations: {} } },
      dockerImages: { image: { source: { directory: 'asset.2' }, destinations: {} } },
    });
    // A top-level asset manifest named by the root manifest, with an image built by a command.
    const root = JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf-8'));
    root.artifacts['Top.assets'] = { type: 'cdk:asset-manifest', properties: { file: 'Top.assets.json' } };
    fs.writeFileSync(path.join(assembly, 'manifest.json'), JSON.stringify(root));
    fs.writeFileSync(path.join(assembly, 'Top.assets.json'), JSON.stringify({ dockerImages: { img: { source: { executable: 'docker-build.sh' } } } }));
    const found = preflight.executableAssets(assembly).map((a: any) => [path.relative(assembly, a.manifest), a.id, a.kind, a.command]);
    expect(found).toEqual([
      ['Top.assets.json', 'img', 'docker image', ['docker-build.sh']],
      ['assembly-staging/stagingStack.assets.json', 'built', 'file', ['node', 'build.js']],
    ]);
  });

  test('an assembly without any: nothing found', () => {
    const dir = tempDir('pbc-pre-');
    writeAssembly(path.join(dir, 'cdk.out'), 'staging', { files: { a: { source: { path: 'asset.1' } } } });
    expect(preflight.executableAssets(path.join(dir, 'cdk.out'))).toEqual([]);
  });
});

describe('the locked CLI entry', () => {
  test('copied from lockfile version 3 without the project-only flags', () => {
    const dir = tempDir('pbc-pre-');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), projectLockfile('2.1148.1'));
    const entry = inDir(dir, () => preflight.lockedCli('2.1148.1'));
    expect(entry).toMatchObject({ version: '2.1148.1', integrity: expect.stringMatching(/^sha512-/), resolved: expect.stringContaining('aws-cdk-2.1148.1.tgz') });
    expect(entry.dev).toBeUndefined();
  });

  test.each([
    ['no integrity', undefined, 'has no sha512 integrity for aws-cdk 2.1148.1'],
    ['a sha1 integrity', 'sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'has no sha512 integrity for aws-cdk 2.1148.1'],
  ])('%s: refused', (_what, integrity, message) => {
    const dir = tempDir('pbc-pre-');
    const lock = JSON.parse(projectLockfile('2.1148.1'));
    lock.packages['node_modules/aws-cdk'].integrity = integrity;
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
    writeAssembly(path.join(dir, 'cdk.out'), 'staging');
    const r = main(dir, ARGS);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });

  test('a project without aws-cdk in the lockfile: refused, saying how to add it', () => {
    const dir = tempDir('pbc-pre-');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': {} } }));
    writeAssembly(path.join(dir, 'cdk.out'), 'staging');
    const r = main(dir, ARGS);
    expect(r.code).toBe(1);
    expect(r.err).toContain('package-lock.json does not lock aws-cdk');
    expect(r.err).toContain('cdkCliVersion');
  });
});

test('an unreadable manifest is refused with its name, not a stack trace', () => {
  const dir = tempDir('pbc-pre-');
  fs.mkdirSync(path.join(dir, 'cdk.out'));
  fs.writeFileSync(path.join(dir, 'cdk.out', 'manifest.json'), '{ not json');
  const r = main(dir, ARGS);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^cdk\.out\/manifest\.json cannot be read as JSON/);
});

test('bad arguments: usage, exit 2, an odd argument not echoed', () => {
  const r = main(tempDir('pbc-pre-'), ['--environment', 'x', 'eyJhbGciOi.secret']);
  expect(r.code).toBe(2);
  expect(r.err).toContain('unknown or incomplete argument (not shown)');
  expect(r.err).not.toContain('secret');
});
