import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../util';

const SRC = path.resolve(__dirname, '../../src');
const BAD = `{ name: 'x', bitbucketWorkspace: 'acme', bitbucketWorkspaceUuid: 'nope',
  bitbucketRepositoryUuid: '3f0c9a42-5678-4e1f-8a3b-fedcba987654', deployAccount: '1234', deployRegion: 'eu-west-1' }`;

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
