import * as fs from 'fs';
import * as path from 'path';
import { BitbucketCdkApp } from '../../src';
import { BitbucketCdkOptionsError } from '../../src/validation/problems';
import { baseOptions, tempDir, twoEnvironmentOptions } from '../util';

type Entry = { mode: number; mtimeMs: number; bytes?: Buffer };

/** Every file and folder under `dir` with its mode, bytes and modification time (a rewrite with equal bytes shows too). */
function snapshot(dir: string): Map<string, Entry> {
  const result = new Map<string, Entry>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const file = path.join(rel, entry.name);
      const { mode, mtimeMs } = fs.lstatSync(path.join(dir, file));
      if (entry.isDirectory()) {
        result.set(`${file}/`, { mode, mtimeMs });
        walk(file);
      } else {
        result.set(file, { mode, mtimeMs, bytes: fs.readFileSync(path.join(dir, file)) });
      }
    }
  };
  walk('');
  return result;
}

describe('a failed construction leaves an existing project byte-identical', () => {
  const outdir = tempDir();
  // project.synth(), not Testing.synth: that one removes the folder after reading it.
  process.env.PROJEN_DISABLE_POST = 'true'; // no npm install
  new BitbucketCdkApp({ ...twoEnvironmentOptions(), outdir }).synth();
  // A file the user owns, read-only, next to the generated ones.
  fs.mkdirSync(path.join(outdir, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'lib', 'mine.ts'), '// my code\n');
  fs.chmodSync(path.join(outdir, 'lib', 'mine.ts'), 0o444);
  const before = snapshot(outdir);

  test('the generated project is there to protect', () => {
    expect([...before.keys()]).toEqual(expect.arrayContaining(['package.json', '.projen/tasks.json', '.projen/deps.json', 'lib/mine.ts']));
  });

  test('bad options throw and write nothing', () => {
    expect(() => new BitbucketCdkApp({ ...baseOptions({ deployAccount: '1234' }), outdir })).toThrow(BitbucketCdkOptionsError);
    expect(snapshot(outdir)).toEqual(before);
  });

  test('constructing with valid options writes nothing either: only synth() writes, so an error found after validation leaves the files too', () => {
    new BitbucketCdkApp({ ...baseOptions(), outdir });
    expect(snapshot(outdir)).toEqual(before);
  });
});
