import * as fs from 'fs';
import * as path from 'path';
import { runTask, synthToDisk } from './task-runner';
import { writeAssembly } from '../pipeline/deploy-step-fixture';
import { newProject, tempDir, twoEnvironmentOptions } from '../util';

const cdk = (dir: string, task: string) => {
  const r = runTask(dir, task, { fakes: ['cdk'] });
  return { ...r, cdkArgs: r.calls.cdk?.args };
};

describe('deploy:<env> and diff:<env>, run with projen\'s task runtime', () => {
  const dir = tempDir('pbc-tasks-');
  synthToDisk(newProject({ ...twoEnvironmentOptions(), outdir: dir }));

  test.each(['deploy:staging', 'diff:production'])('%s without cdk.out: a plain message what to run first, and no CDK call', (task) => {
    fs.rmSync(path.join(dir, 'cdk.out'), { recursive: true, force: true });
    const r = cdk(dir, task);
    expect(r.status).not.toBe(0);
    // A line of its own: projen also prints the command, which contains the text.
    expect(r.stderr.split('\n')).toContain('cdk.out/manifest.json is missing: there is no synthesised app to deploy or compare. Run npx projen build (or npx projen synth:silent) first, then this task again.');
    expect(r.cdkArgs).toBeUndefined();
  });

  test('with cdk.out: runs the CDK CLI on it, for the stacks of that environment', () => {
    writeAssembly(path.join(dir, 'cdk.out'), 'staging');
    const r = cdk(dir, 'deploy:staging');
    expect(r.status).toBe(0);
    expect(r.cdkArgs).toEqual(['deploy', '--app', 'cdk.out', '--build', '', '--require-approval', 'never', '--progress', 'events', 'staging/*']);
  });
});

test('every argument is quoted on its own: an assembly folder with a space and a quote reaches the CLI as one argument', () => {
  const dir = tempDir('pbc-tasks-');
  const cdkout = "cdk out's";
  synthToDisk(newProject({ ...twoEnvironmentOptions({ cdkout }), outdir: dir }));
  writeAssembly(path.join(dir, cdkout), 'staging');
  const r = cdk(dir, 'diff:staging');
  expect(r.status).toBe(0);
  expect(r.cdkArgs).toEqual(['diff', '--app', cdkout, '--build', '', 'staging/*']);
});
