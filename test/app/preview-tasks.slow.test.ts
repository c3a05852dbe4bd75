import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { runTask, synthToDisk } from './task-runner';
import { PreviewTasks } from '../../src/app/preview-tasks';
import { PREVIEW_DEPENDENCIES } from '../../src/versions';
import { writeAssembly } from '../pipeline/deploy-step-fixture';
import { newProject, tasks, tempDir, twoEnvironmentOptions } from '../util';

const TOOLS = [PreviewTasks.PREVIEW_BIN, PreviewTasks.DRIFT_BIN];

describe('preview:<env> and drift:<env>, run with projen\'s task runtime', () => {
  const dir = tempDir('pbc-preview-tasks-');
  synthToDisk(newProject({ ...twoEnvironmentOptions({ cdkBootstrapQualifier: 'acme1234' }), outdir: dir }));

  test.each(['preview:staging', 'drift:production'])('%s without cdk.out: says what to run first, and the tool never runs', (task) => {
    fs.rmSync(path.join(dir, 'cdk.out'), { recursive: true, force: true });
    const r = runTask(dir, task, { fakes: TOOLS });
    expect(r.status).not.toBe(0);
    expect(r.stderr.split('\n')).toContain('cdk.out/manifest.json is missing: there is no synthesised app to deploy or compare. Run npx projen build (or npx projen synth:silent) first, then this task again.');
    expect(Object.values(r.calls).filter(Boolean)).toEqual([]);
  });

  describe('with cdk.out', () => {
    beforeAll(() => writeAssembly(path.join(dir, 'cdk.out'), 'staging'));

    test('preview:<env> runs bitbucket-cdk-preview with the environment, account, region, assembly and bootstrap qualifier', () => {
      const r = runTask(dir, 'preview:staging', { fakes: TOOLS });
      expect(r.status).toBe(0);
      expect(r.calls[PreviewTasks.PREVIEW_BIN]?.args).toEqual([
        '--environment', 'staging', '--account', '111111111111', '--region', 'eu-west-1',
        '--assembly', 'cdk.out', '--bootstrap-qualifier', 'acme1234',
      ]);
      expect(r.calls[PreviewTasks.DRIFT_BIN]).toBeUndefined();
    });

    test('arguments given to the task reach the tool after its own (the pipeline adds --report)', () => {
      const r = runTask(dir, 'preview:production', { fakes: TOOLS, args: ['--report'] });
      expect(r.status).toBe(0);
      expect(r.calls[PreviewTasks.PREVIEW_BIN]?.args).toEqual([
        '--environment', 'production', '--account', '222222222222', '--region', 'us-east-1',
        '--assembly', 'cdk.out', '--bootstrap-qualifier', 'acme1234', '--report',
      ]);
    });

    test('drift:<env> runs bitbucket-cdk-drift with the environment, account, region and assembly', () => {
      const r = runTask(dir, 'drift:production', { fakes: TOOLS });
      expect(r.status).toBe(0);
      expect(r.calls[PreviewTasks.DRIFT_BIN]?.args).toEqual(['--environment', 'production', '--account', '222222222222', '--region', 'us-east-1', '--assembly', 'cdk.out']);
    });

    test('the tool\'s exit code is the task\'s (drift: 1 when a stack drifted)', () => {
      const r = runTask(dir, 'drift:staging', { fakes: TOOLS, exitCode: 1 });
      expect(r.calls[PreviewTasks.DRIFT_BIN]).toBeDefined();
      expect(r.status).toBe(1);
    });
  });
});

test('every argument reaches the tool as one argument, whatever it holds (an assembly folder with a space and a quote)', () => {
  const dir = tempDir('pbc-preview-tasks-');
  const cdkout = "cdk out's";
  synthToDisk(newProject({ ...twoEnvironmentOptions({ cdkout }), outdir: dir }));
  writeAssembly(path.join(dir, cdkout), 'staging');
  const preview = runTask(dir, 'preview:staging', { fakes: TOOLS });
  expect(preview.status).toBe(0);
  expect(preview.calls[PreviewTasks.PREVIEW_BIN]?.args).toEqual([
    '--environment', 'staging', '--account', '111111111111', '--region', 'eu-west-1', '--assembly', cdkout, '--bootstrap-qualifier', 'hnb659fds',
  ]);
  const drift = runTask(dir, 'drift:staging', { fakes: TOOLS });
  expect(drift.calls[PreviewTasks.DRIFT_BIN]?.args).toEqual(['--environment', 'staging', '--account', '111111111111', '--region', 'eu-west-1', '--assembly', cdkout]);
});

describe('what the project gets', () => {
  test('the tools\' libraries as devDependencies at exactly the tested versions; cdk.preview/ ignored by git', () => {
    const files = Testing.synth(newProject(twoEnvironmentOptions()));
    const devDeps = files['package.json'].devDependencies;
    expect(Object.keys(PREVIEW_DEPENDENCIES).length).toBeGreaterThan(0);
    for (const [name, version] of Object.entries(PREVIEW_DEPENDENCIES)) expect(devDeps[name]).toBe(version);
    expect(files['.gitignore'].split('\n')).toContain('/cdk.preview/');
  });

  test('descriptions say that locally the tasks use the caller\'s own AWS credentials', () => {
    const t = tasks(Testing.synth(newProject(twoEnvironmentOptions())));
    expect(t['preview:staging'].description).toContain('your own AWS credentials');
    expect(t['drift:production'].description).toContain('your own AWS credentials');
  });

  test.each([
    ['pullRequestPreview: false', { pullRequestPreview: false }, [], ['drift:staging', 'drift:production']],
    ['driftDetection: false', { driftDetection: false }, ['preview:staging', 'preview:production'], []],
    ['pullRequestPipeline: false (no previews)', { pullRequestPipeline: false }, [], ['drift:staging', 'drift:production']],
  ])('%s: only the tasks that are on', (_name, options, previews, drifts) => {
    const t = tasks(Testing.synth(newProject(twoEnvironmentOptions(options))));
    expect(Object.keys(t).filter((n) => n.startsWith('preview:')).sort()).toEqual([...previews].sort());
    expect(Object.keys(t).filter((n) => n.startsWith('drift:')).sort()).toEqual([...drifts].sort());
  });

  test('both off: no tasks, no dependencies, nothing ignored', () => {
    const files = Testing.synth(newProject(twoEnvironmentOptions({ pullRequestPreview: false, driftDetection: false })));
    expect(Object.keys(tasks(files)).filter((n) => /^(preview|drift):/.test(n))).toEqual([]);
    for (const name of Object.keys(PREVIEW_DEPENDENCIES)) expect(files['package.json'].devDependencies[name]).toBeUndefined();
    expect(files['.gitignore']).not.toContain('cdk.preview');
  });
});
