import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import * as vm from 'vm';
import { BitbucketCdkApp } from '../../src';
import { tempDir } from '../util';

const SRC = path.resolve(__dirname, '../../src');
const BAD = `{ name: 'x', bitbucketWorkspace: 'acme', bitbucketWorkspaceUuid: 'nope',
  bitbucketRepositoryUuid: '3f0c9a42-5678-4e1f-8a3b-fedcba987654', deployAccount: '1234', deployRegion: 'eu-west-1' }`;
const GOOD = `{ name: 'x', bitbucketWorkspace: 'acme', bitbucketWorkspaceUuid: '7baee083-1b2c-4c8d-9d2e-0123456789ab',
  bitbucketRepositoryUuid: '3f0c9a42-5678-4e1f-8a3b-fedcba987654', deployAccount: '123456789012', deployRegion: 'eu-west-1' }`;

/** Runs a `.projenrc.js` in a fresh folder, as `npx projen` would (in a child process). */
function runProjenrc(body: string) {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, '.projenrc.js'), `const { BitbucketCdkApp } = require(${JSON.stringify(SRC)});\n${body}\n`);
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '.projenrc.js'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.resolve(__dirname, '../../node_modules'), TS_NODE_PROJECT: path.resolve(__dirname, '../tsconfig.json') },
  });
  return { status: result.status, stderr: result.stderr, files: fs.readdirSync(dir) };
}

describe('what the user sees when .projenrc constructs the project with bad options', () => {
  test('the message first, nothing above or after it, exit code 1, nothing written', () => {
    const { status, stderr, files } = runProjenrc(`new BitbucketCdkApp({ outdir: __dirname, ...${BAD} }).synth();`);
    expect(status).toBe(1);
    expect(stderr.startsWith('BitbucketCdkApp: 2 invalid options; nothing was written.\n\n  bitbucketWorkspaceUuid: "nope"\n')).toBe(true);
    expect(stderr).toContain('  deployAccount: "1234"\n');
    expect(stderr).not.toMatch(/^\s+at |Node\.js v|\.projenrc\.js:\d|^\s*\^/m);
    expect(files).toEqual(['.projenrc.js']);
  });

  test('also from an async .projenrc (a rejected promise)', () => {
    const { status, stderr } = runProjenrc(`(async () => { new BitbucketCdkApp(${BAD}); })();`);
    expect(status).toBe(1);
    expect(stderr.startsWith('BitbucketCdkApp: 2 invalid options')).toBe(true);
  });

  test('a caller that catches the error keeps Node\'s own handling of later errors', () => {
    const { status, stderr } = runProjenrc(`try { new BitbucketCdkApp(${BAD}); } catch (e) { console.error('caught', e.name); }
setTimeout(() => { throw new Error('later'); }, 10);`);
    expect(stderr).toMatch(/^caught BitbucketCdkOptionsError\n/);
    expect(stderr).toContain('Error: later\n    at ');
    expect(status).toBe(1);
  });
});

describe('a host that handles errors itself keeps control', () => {
  test('with its own uncaughtException listener, the host gets the error and the process goes on', () => {
    const { status, stderr } = runProjenrc(`process.on('uncaughtException', (e) => { console.error('host got', e.name); });
setTimeout(() => { console.error('still running'); process.exitCode = 3; }, 10);
new BitbucketCdkApp(${BAD});`);
    expect(stderr).toBe('host got BitbucketCdkOptionsError\nstill running\n');
    expect(status).toBe(3);
  });

  test('without one, the message and exit code 1, and no process.exit: work already scheduled still runs', () => {
    const { status, stderr } = runProjenrc(`setTimeout(() => console.error('scheduled work ran'), 10);
new BitbucketCdkApp(${BAD});`);
    expect(stderr.startsWith('BitbucketCdkApp: 2 invalid options')).toBe(true);
    expect(stderr.endsWith('scheduled work ran\n')).toBe(true);
    expect(status).toBe(1);
  });
});

describe('what the user sees during `projen new` (the project is constructed in a vm, yargs prints the error)', () => {
  /** What projen's `createProject` and yargs' failure handler do with an error from the constructor. */
  function printedByProjenNew(code: string): string {
    const context = vm.createContext({ BitbucketCdkApp, outdir: tempDir() });
    try {
      vm.runInContext(code, context);
    } catch (e) {
      return format(e);
    }
    throw new Error('expected the constructor to throw');
  }

  test('option errors: the message only, no source line, no brackets', () => {
    const printed = printedByProjenNew(`new BitbucketCdkApp({ outdir, ...${BAD} })`);
    expect(printed.startsWith('BitbucketCdkApp: 2 invalid options; nothing was written.\n\n  bitbucketWorkspaceUuid: "nope"\n')).toBe(true);
    expect(printed).not.toMatch(/throw error|^\s*\^|^\[|\]$|problems\.js/m);
  });

  test('pipeline lint errors: the message once, not the problems a second time', () => {
    const printed = printedByProjenNew(`const p = new BitbucketCdkApp({ outdir, ...${GOOD} });
p.pipelines.addStepsBeforeDeploy({ name: 'Empty', script: [] });
p.synth();`);
    expect(printed.startsWith("bitbucket-pipelines.yml would break Bitbucket's rules (1 problem); nothing was written:\n  - ")).toBe(true);
    expect(printed.match(/has no script/g)).toHaveLength(1);
    expect(printed).not.toMatch(/problems:|^\s+at |^\[/m);
  });
});

describe('pipeline lint errors from .projenrc', () => {
  test('the message once, nothing above or after it, exit code 1', () => {
    const { status, stderr } = runProjenrc(`const p = new BitbucketCdkApp({ outdir: __dirname, ...${GOOD} });
p.pipelines.addStepsBeforeDeploy({ name: 'Empty', script: [] });
p.synth();`);
    expect(status).toBe(1);
    expect(stderr.startsWith("bitbucket-pipelines.yml would break Bitbucket's rules (1 problem); nothing was written:\n  - ")).toBe(true);
    expect(stderr.match(/has no script/g)).toHaveLength(1);
    expect(stderr).not.toMatch(/^\s+at |Node\.js v|\.projenrc\.js:\d|^\s*\^|problems:/m);
  });
});
