import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { userEnv } from '../../scripts/project-factory';
import { synth, tasks, tempDir, twoEnvironmentOptions } from '../util';

const PROJEN = require.resolve('projen/bin/projen');

/**
 * A synthesised two-environment project (staging, production) with a
 * synthesised assembly and a stand-in `cdk` that records its arguments, so
 * tasks run as `npx projen <task>` runs them, without AWS.
 */
interface TaskRun {
  readonly status: number | null;
  readonly stderr: string;
  /** Arguments of every `cdk` call, one line each. */
  readonly cdkCalls: string[];
}

function projectWithRecordingCdk(): { files: Record<string, any>; run: (task: string) => TaskRun } {
  const files = synth(twoEnvironmentOptions());
  // Testing.synth removes its folder: write the synthesised files to another one.
  const dir = tempDir();
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  }
  fs.mkdirSync(path.join(dir, 'cdk.out'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'cdk.out/manifest.json'), '{}');
  const bin = path.join(dir, 'node_modules/.bin');
  fs.mkdirSync(bin, { recursive: true });
  const calls = path.join(dir, 'cdk-calls.txt');
  fs.writeFileSync(path.join(bin, 'cdk'), `#!/bin/sh\necho "$*" >> ${JSON.stringify(calls)}\n`, { mode: 0o755 });
  const run = (task: string): TaskRun => {
    // As a user runs it: without jest's variables (NODE_ENV=test switches projen's logging, and so `say`, off).
    const env = userEnv();
    const r = spawnSync(process.execPath, [PROJEN, task], { cwd: dir, encoding: 'utf-8', env });
    const cdkCalls = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf-8').trim().split('\n') : [];
    fs.rmSync(calls, { force: true });
    return { status: r.status, stderr: r.stderr, cdkCalls };
  };
  return { files, run };
}

jest.setTimeout(60_000);
const app = projectWithRecordingCdk();

test('`npx projen diff` diffs every environment from cdk.out, in pipeline order', () => {
  const r = app.run('diff');
  expect(r.status).toBe(0);
  expect(r.cdkCalls).toEqual([
    'diff --app cdk.out --build  staging/*',
    'diff --app cdk.out --build  production/*',
  ]);
});

test('`npx projen deploy` deploys nothing and lists the deploy:<env> tasks', () => {
  const r = app.run('deploy');
  expect(r.status).not.toBe(0);
  expect(r.cdkCalls).toEqual([]);
  expect(r.stderr).toContain('"npx projen deploy" deploys nothing here');
  expect(r.stderr).toContain('  npx projen deploy:staging\n  npx projen deploy:production');
  expect(r.stderr).not.toMatch(/specify which stacks/);
});

test('`npx projen destroy` destroys nothing and says how to destroy one environment', () => {
  const r = app.run('destroy');
  expect(r.status).not.toBe(0);
  expect(r.cdkCalls).toEqual([]);
  expect(r.stderr).toContain("  npx cdk destroy --app cdk.out --build '' 'staging/*'\n  npx cdk destroy --app cdk.out --build '' 'production/*'");
  expect(r.stderr).toContain('Remove the environment from .projenrc.ts first');
});

test('`watch` compiles in the background and never hot-swaps or deploys', () => {
  const watch = tasks(app.files).watch;
  expect(watch.steps).toEqual([{ exec: 'tsc --build -w' }]);
  expect(JSON.stringify(tasks(app.files))).not.toMatch(/hotswap|cdk watch|"cdk deploy"/);
});

test('synth and synth:silent stay (the build runs them)', () => {
  const t = tasks(app.files);
  expect(t.synth.steps).toEqual([{ execArgs: ['cdk', 'synth'] }]);
  expect(t['synth:silent'].steps).toEqual([{ execArgs: ['cdk', 'synth', '-q'] }]);
  expect(JSON.stringify(t['post-compile'].steps)).toContain('synth:silent');
});
