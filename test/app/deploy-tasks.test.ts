import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeAssembly } from '../pipeline/deploy-step-fixture';
import { newProject, tempDir, twoEnvironmentOptions } from '../util';

/** Runs a task of the synthesised project with projen's task runtime, `cdk` being a stub that records its arguments. */
function runTask(dir: string, task: string) {
  const bin = tempDir('pbc-bin-');
  fs.writeFileSync(path.join(bin, 'cdk'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${JSON.stringify(path.join(bin, 'args'))}\n`, { mode: 0o755 });
  const projen = path.dirname(require.resolve('projen/package.json'));
  // projen's own task runner, as `npx projen <task>` runs it.
  const r = spawnSync(process.execPath, [path.join(projen, 'lib', 'run-task.cjs'), task], {
    cwd: dir, env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir }, encoding: 'utf-8', timeout: 30_000,
  });
  const argsFile = path.join(bin, 'args');
  return { ...r, cdkArgs: fs.existsSync(argsFile) ? fs.readFileSync(argsFile, 'utf-8').trimEnd().split('\n') : undefined };
}

describe('deploy:<env> and diff:<env>, run with projen\'s task runtime', () => {
  const dir = tempDir('pbc-tasks-');
  const project = newProject({ ...twoEnvironmentOptions(), outdir: dir });
  // Written to disk, as `npx projen` would (Testing.synth keeps no files); no post-synth npm install.
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    delete process.env.PROJEN_DISABLE_POST;
  }

  test.each(['deploy:staging', 'diff:production'])('%s without cdk.out: a plain message what to run first, and no CDK call', (task) => {
    fs.rmSync(path.join(dir, 'cdk.out'), { recursive: true, force: true });
    const r = runTask(dir, task);
    expect(r.status).not.toBe(0);
    // A line of its own: projen also prints the command, which contains the text.
    expect(r.stderr.split('\n')).toContain('cdk.out/manifest.json is missing: there is no synthesised app to deploy or compare. Run npx projen build (or npx projen synth:silent) first, then this task again.');
    expect(r.cdkArgs).toBeUndefined();
  });

  test('with cdk.out: runs the CDK CLI on it, for the stacks of that environment', () => {
    writeAssembly(path.join(dir, 'cdk.out'), 'staging');
    const r = runTask(dir, 'deploy:staging');
    expect(r.status).toBe(0);
    expect(r.cdkArgs).toEqual(['deploy', '--app', 'cdk.out', '--build', '', '--require-approval', 'never', '--progress', 'events', 'staging/*']);
  });
});
