/**
 * The pre-flight template's checks, called in-process (the generated step
 * runs them in test/pipeline/deploy-step-script.test.ts; the locked install
 * against a registry in bitbucket-deploy-preflight.registry.slow.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { LOCKED_INTEGRITY, projectLockfile, writeAssembly } from '../../pipeline/deploy-step-fixture';
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

function main(dir: string, args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = inDir(dir, () => preflight.main(args, env, (l: string) => out.push(l), (l: string) => err.push(l)));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ARGS = ['--environment', 'staging', '--assembly', 'cdk.out', '--cli-version', '2.1148.1', '--install-into', '/nonexistent-never-reached'];
/** A valid sha512 integrity of other bytes than the locked CLI's. */
const OTHER_INTEGRITY = `sha512-${'A'.repeat(86)}==`;

/** A project dir whose lockfile locks aws-cdk 2.1148.1 with `edit` applied to the entry. */
function lockedProject(edit: (entry: Record<string, unknown>) => void = () => {}, npmrc?: string): string {
  const dir = tempDir('pbc-pre-');
  const lock = JSON.parse(projectLockfile('2.1148.1'));
  edit(lock.packages['node_modules/aws-cdk']);
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
  if (npmrc !== undefined) fs.writeFileSync(path.join(dir, '.npmrc'), npmrc);
  writeAssembly(path.join(dir, 'cdk.out'), 'staging');
  return dir;
}

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

describe('the locked CLI must be the registry\'s own tarball of aws-cdk@<version>', () => {
  test.each([
    ['npm\'s registry', undefined, undefined],
    ['no resolved URL (npm resolves it from the registry)', null, undefined],
    ['the registry of the project\'s .npmrc', 'https://npm.example.com/api/npm/remote/aws-cdk/-/aws-cdk-2.1148.1.tgz', 'registry = "https://npm.example.com/api/npm/remote/"\n'],
  ])('%s: accepted', (_what, resolved, npmrc) => {
    const dir = lockedProject((e) => {
      if (resolved === null) delete e.resolved;
      else if (resolved) e.resolved = resolved;
    }, npmrc);
    expect(inDir(dir, () => preflight.lockedCli('2.1148.1', LOCKED_INTEGRITY)).integrity).toBe(LOCKED_INTEGRITY);
  });

  test.each([
    ['another package\'s tarball on npm\'s registry', 'https://registry.npmjs.org/evil-cdk/-/evil-cdk-1.0.0.tgz'],
    ['another file name for aws-cdk', 'https://registry.npmjs.org/aws-cdk/-/aws-cdk-2.1148.2.tgz'],
    ['another host', 'https://evil.example/aws-cdk/-/aws-cdk-2.1148.1.tgz'],
    ['plain http', 'http://registry.npmjs.org/aws-cdk/-/aws-cdk-2.1148.1.tgz'],
    ['a query string', 'https://registry.npmjs.org/aws-cdk/-/aws-cdk-2.1148.1.tgz?x=1'],
    ['a git URL', 'git+ssh://git@github.com/evil/aws-cdk.git#v2.1148.1'],
    ['a file URL', 'file:../evil/aws-cdk-2.1148.1.tgz'],
  ])('%s: refused before npm runs, naming the file, the URL and the fix', (_what, resolved) => {
    const dir = lockedProject((e) => { e.resolved = resolved; });
    // --install-into is never reached: the refusal comes before any npm call.
    const r = main(dir, [...ARGS, '--cli-integrity', LOCKED_INTEGRITY]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`package-lock.json locks aws-cdk 2.1148.1 at another tarball than the registry's own (resolved is ${JSON.stringify(resolved)}, expected https://registry.npmjs.org/aws-cdk/-/aws-cdk-2.1148.1.tgz)`);
    expect(r.err).toContain('delete node_modules/aws-cdk from package-lock.json, run npm install');
  });

  test('the registry of .npmrc does not admit another host', () => {
    const dir = lockedProject((e) => { e.resolved = 'https://evil.example/aws-cdk/-/aws-cdk-2.1148.1.tgz'; }, 'registry=https://npm.example.com/\n');
    const r = main(dir, ARGS);
    expect(r.code).toBe(1);
    expect(r.err).toContain('expected https://registry.npmjs.org/aws-cdk/-/aws-cdk-2.1148.1.tgz or https://npm.example.com/aws-cdk/-/aws-cdk-2.1148.1.tgz');
  });
});

describe('the locked integrity must be the one the pipeline was generated with', () => {
  test('another valid sha512 than --cli-integrity: refused, naming the file, both values and the fix', () => {
    const dir = lockedProject((e) => { e.integrity = OTHER_INTEGRITY; });
    const r = main(dir, [...ARGS, '--cli-integrity', LOCKED_INTEGRITY]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`package-lock.json locks aws-cdk 2.1148.1 with integrity ${OTHER_INTEGRITY},`);
    expect(r.err).toContain(`but this pipeline was generated for ${LOCKED_INTEGRITY}`);
    expect(r.err).toContain('set cdkCliIntegrity to the output of npm view aws-cdk@2.1148.1 dist.integrity');
  });

  test('the same: passes the check (npm ci then verifies the bytes)', () => {
    const dir = lockedProject();
    expect(inDir(dir, () => preflight.lockedCli('2.1148.1', LOCKED_INTEGRITY)).integrity).toBe(LOCKED_INTEGRITY);
  });

  test('the environment cannot stand in for --cli-integrity: a CDK_CLI_INTEGRITY variable is ignored', () => {
    const dir = lockedProject((e) => { e.integrity = OTHER_INTEGRITY; });
    expect(inDir(dir, () => preflight.parseArgs(ARGS, { CDK_CLI_INTEGRITY: LOCKED_INTEGRITY }))).toMatchObject({ cliIntegrity: undefined });
  });

  test('a malformed --cli-integrity is a usage error', () => {
    const r = main(tempDir('pbc-pre-'), [...ARGS, '--cli-integrity', 'sha1-abc']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--cli-integrity is not a sha512 integrity');
  });
});

describe('--check-lockfile: every package is the registry\'s own tarball of its name and version, with a sha512', () => {
  function problems(packages: Record<string, object>, npmrc?: string): string[] {
    const dir = tempDir('pbc-pre-');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'app' }, ...packages } }));
    if (npmrc !== undefined) fs.writeFileSync(path.join(dir, '.npmrc'), npmrc);
    return inDir(dir, () => preflight.lockfileProblems());
  }
  const ok = (name: string, version: string, registry = 'https://registry.npmjs.org') =>
    ({ version, resolved: `${registry}/${name}/-/${name.split('/').pop()}-${version}.tgz`, integrity: LOCKED_INTEGRITY });

  test('this repository\'s own package-lock.json passes (no false alarms on a real lockfile)', () => {
    expect(inDir(path.join(__dirname, '..', '..', '..'), () => preflight.lockfileProblems())).toEqual([]);
  });

  test('accepted: plain and scoped names, nested, aliases by their own name, no URL, a scope\'s registry, links inside the project, bundled packages', () => {
    expect(problems({
      'node_modules/yaml': ok('yaml', '2.9.1'),
      'node_modules/@aws-cdk/cloud-assembly-schema': ok('@aws-cdk/cloud-assembly-schema', '48.0.0'),
      'node_modules/a/node_modules/@s/b': ok('@s/b', '1.0.0', 'https://npm.example.com/scoped'),
      'node_modules/alias': { ...ok('real-name', '1.0.0'), name: 'real-name' },
      'node_modules/no-url': { version: '1.0.0', integrity: LOCKED_INTEGRITY },
      'node_modules/ws': { resolved: 'packages/ws', link: true },
      'packages/ws': { name: 'ws', version: '0.0.0' },
      'node_modules/x/node_modules/bundled': { version: '1.0.0', inBundle: true },
    }, '@s:registry=https://npm.example.com/scoped/\n')).toEqual([]);
  });

  test.each([
    ['another package\'s tarball', { ...ok('yaml', '2.9.1'), resolved: 'https://registry.npmjs.org/evil/-/evil-1.0.0.tgz' }, 'resolved is "https://registry.npmjs.org/evil/-/evil-1.0.0.tgz", expected https://registry.npmjs.org/yaml/-/yaml-2.9.1.tgz'],
    ['another version\'s tarball', { ...ok('yaml', '2.9.1'), resolved: 'https://registry.npmjs.org/yaml/-/yaml-2.0.0.tgz' }, 'resolved is "https://registry.npmjs.org/yaml/-/yaml-2.0.0.tgz"'],
    ['another host', { ...ok('yaml', '2.9.1'), resolved: 'https://evil.example/yaml/-/yaml-2.9.1.tgz' }, 'resolved is "https://evil.example/yaml/-/yaml-2.9.1.tgz"'],
    ['a git URL', { ...ok('yaml', '2.9.1'), resolved: 'git+https://github.com/evil/yaml.git#abc' }, 'resolved is "git+https://github.com/evil/yaml.git#abc"'],
    ['a file URL', { ...ok('yaml', '2.9.1'), resolved: 'file:../evil.tgz' }, 'resolved is "file:../evil.tgz"'],
    ['a sha1 integrity', { ...ok('yaml', '2.9.1'), integrity: 'sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, 'no sha512 integrity ("sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=")'],
    ['no integrity', { version: '2.9.1' }, 'no sha512 integrity (undefined)'],
  ])('refused: %s', (_what, entry, message) => {
    const found = problems({ 'node_modules/yaml': entry });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`node_modules/yaml (yaml@2.9.1): ${message}`);
  });

  test('refused: a scoped package at its unscoped path, and a link out of the project', () => {
    expect(problems({
      'node_modules/@s/b': { ...ok('@s/b', '1.0.0'), resolved: 'https://registry.npmjs.org/b/-/b-1.0.0.tgz' },
      'node_modules/out': { resolved: '../elsewhere', link: true },
    })).toEqual([
      'node_modules/@s/b (@s/b@1.0.0): resolved is "https://registry.npmjs.org/b/-/b-1.0.0.tgz", expected https://registry.npmjs.org/@s/b/-/b-1.0.0.tgz',
      'node_modules/out: a link to "../elsewhere", outside the project',
    ]);
  });

  test('the step\'s message names the file, each entry, what is accepted and the fix; exit 1', () => {
    const dir = tempDir('pbc-pre-');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/yaml': { version: '2.9.1' } } }));
    const r = main(dir, ['--check-lockfile']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('package-lock.json names 1 package that npm would not fetch as the registry\'s own tarball, verified by a sha512:\n  node_modules/yaml (yaml@2.9.1): no sha512 integrity');
    expect(r.err).toContain('Fix: delete those entries from package-lock.json');
  });

  test('a lockfile without "packages" (npm 6) or none at all: refused', () => {
    expect(problems({})).toEqual([]);
    const dir = tempDir('pbc-pre-');
    expect(main(dir, ['--check-lockfile']).err).toContain('package-lock.json is missing');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 1, dependencies: {} }));
    expect(main(dir, ['--check-lockfile']).err).toContain('package-lock.json has no "packages" (lockfileVersion 1); npm 7 or later writes them');
  });
});

describe('asset sources outside the assembly', () => {
  /** A project with an assembly holding `assets`; `prepare` may add files before the check. */
  function project(assets: { files?: object; dockerImages?: object }, prepare: (assembly: string, nested: string) => void = () => {}) {
    const dir = tempDir('pbc-pre-');
    const assembly = path.join(dir, 'cdk.out');
    writeAssembly(assembly, 'staging', assets);
    fs.mkdirSync(path.join(assembly, 'assembly-staging', 'asset.1'));
    fs.writeFileSync(path.join(assembly, 'assembly-staging', 'asset.1', 'index.js'), '');
    prepare(assembly, path.join(assembly, 'assembly-staging'));
    return dir;
  }
  const outside = (dir: string) => inDir(dir, () => preflight.sourcesOutside('cdk.out'))
    .map((o: any) => [o.id, o.field, o.value]);

  test('sources inside (relative to the asset manifest\'s folder) are fine', () => {
    const dir = project({
      files: { f: { source: { path: 'asset.1', packaging: 'zip' } }, up: { source: { path: '../assembly-staging/asset.1' } } },
      dockerImages: { d: { source: { directory: 'asset.1', dockerFile: 'Dockerfile' } } },
    });
    expect(outside(dir)).toEqual([]);
  });

  test.each([
    ['a file asset at /tmp', { files: { f1: { source: { path: '/tmp', packaging: 'zip' } } } }, ['f1', 'source.path', '/tmp']],
    ['a file asset up out of the assembly', { files: { f2: { source: { path: '../../package.json' } } } }, ['f2', 'source.path', '../../package.json']],
    ['a docker build context outside', { dockerImages: { d1: { source: { directory: '../../..' } } } }, ['d1', 'source.directory', '../../..']],
    ['a Dockerfile outside', { dockerImages: { d2: { source: { directory: 'asset.1', dockerFile: '../../../Dockerfile' } } } }, ['d2', 'source.dockerFile', '../../../Dockerfile']],
    ['a path that does not exist yet, outside', { files: { f3: { source: { path: '/nonexistent/x' } } } }, ['f3', 'source.path', '/nonexistent/x']],
  ])('refused: %s', (_what, assets, expected) => {
    expect(outside(project(assets))).toEqual([expected]);
  });

  test('refused: a symlink in the assembly that points out, and a symlink inside a zipped directory (the CLI follows it)', () => {
    const dir = project({ files: { link: { source: { path: 'asset.tmp', packaging: 'zip' } }, nested: { source: { path: 'asset.1', packaging: 'zip' } } } }, (_a, nested) => {
      fs.symlinkSync('/tmp', path.join(nested, 'asset.tmp'));
      fs.mkdirSync(path.join(nested, 'asset.1', 'lib'));
      fs.symlinkSync('/etc', path.join(nested, 'asset.1', 'lib', 'etc'));
    });
    expect(outside(dir)).toEqual([
      ['link', 'source.path', 'asset.tmp'],
      ['nested', 'source.path (symlink lib/etc)', 'asset.1'],
    ]);
  });

  test('the step refuses before installing the CLI, naming the asset, its source and where it leads', () => {
    const dir = project({ files: { f1: { source: { path: '/tmp', packaging: 'zip' } } } });
    fs.writeFileSync(path.join(dir, 'package-lock.json'), projectLockfile('2.1148.1'));
    const r = main(dir, ARGS);
    expect(r.code).toBe(1);
    expect(r.err).toContain('1 asset source of cdk.out lies outside it');
    expect(r.err).toMatch(/file asset 'f1' in cdk\.out\/assembly-staging\/stagingStack\.assets\.json: source\.path "\/tmp" is \/tmp/);
    expect(r.err).toContain('aws:cdk:disable-asset-staging');
  });
});

describe('Docker build options that reach the step\'s machine', () => {
  const ASSETS = {
    dockerImages: {
      img: {
        source: {
          directory: 'asset.1',
          dockerBuildSecrets: { npmrc: 'src=/tmp/token' },
          dockerBuildContexts: { extra: '/tmp' },
          networkMode: 'host',
          dockerBuildArgs: { A: 'b' },
          platform: 'linux/arm64',
        },
      },
    },
  };
  function dir() {
    const d = tempDir('pbc-pre-');
    writeAssembly(path.join(d, 'cdk.out'), 'staging', ASSETS);
    fs.mkdirSync(path.join(d, 'cdk.out', 'assembly-staging', 'asset.1'));
    fs.writeFileSync(path.join(d, 'package-lock.json'), projectLockfile('2.1148.1'));
    return d;
  }

  test('found: secrets, contexts and network mode (build args and platform are fine)', () => {
    const d = dir();
    expect(inDir(d, () => preflight.dockerBuildOptions('cdk.out')).map((o: any) => [o.id, o.option])).toEqual([
      ['img', 'dockerBuildSecrets'], ['img', 'dockerBuildContexts'], ['img', 'networkMode'],
    ]);
  });

  test('refused by default, naming the asset, each option with its value, and allowDockerBuildOptions', () => {
    const r = main(dir(), ARGS);
    expect(r.code).toBe(1);
    expect(r.err).toContain('3 Docker build options of cdk.out reach this deploy step\'s machine outside the build context');
    expect(r.err).toContain("docker image asset 'img' in cdk.out/assembly-staging/stagingStack.assets.json: dockerBuildSecrets {\"npmrc\":\"src=/tmp/token\"}");
    expect(r.err).toContain("docker image asset 'img' in cdk.out/assembly-staging/stagingStack.assets.json: networkMode \"host\"");
    expect(r.err).toContain('set allowDockerBuildOptions: true in .projenrc.ts');
  });

  test('with --allow-docker-build-options: a warning naming them, and the step goes on to the CLI', () => {
    const r = main(dir(), [...ARGS, '--allow-docker-build-options']);
    expect(r.err).toContain('Warning: these Docker build options reach this step\'s machine');
    expect(r.err).toContain('(allowDockerBuildOptions: true)');
    expect(r.err).not.toContain('Nothing was deployed');
  });
});
