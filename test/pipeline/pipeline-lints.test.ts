import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen';
import { directorySnapshot } from 'projen/lib/util/synth';
import { parse } from 'yaml';
import { BitbucketCdkApp } from '../../src';
import { PipelineStep, StepSize, StepTrigger } from '../../src/pipeline/configuration-model';
import { NPX_NO_DOWNLOADS } from '../../src/pipeline/npx-policy';
import { awsCommand, lintConfiguration, PipelineLintError, projenTasksCalled, readRoleCommand, unlockedNpx } from '../../src/pipeline/pipeline-lints';
import { newProject, tempDir, twoEnvironmentOptions } from '../util';

/** projen's synth without post-synth steps (no npm install), as Testing.synth does. */
function synthQuietly(project: BitbucketCdkApp): void {
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = previous;
  }
}

// One synthesised project; every failing case synthesises over a copy of it.
const base = tempDir('pbc-lint-base-');
synthQuietly(newProject({ ...twoEnvironmentOptions(), outdir: base }));
const baseFiles = directorySnapshot(base);

/**
 * Synthesises a project changed through the escape hatch over an existing
 * one; returns the lint error and whether the folder is still unchanged.
 */
function failingSynth(change: (project: BitbucketCdkApp) => void): { error: PipelineLintError; unchanged: boolean; pipelineFileKept: boolean } {
  const dir = tempDir('pbc-lint-');
  fs.cpSync(base, dir, { recursive: true });
  // Removing a generated file makes any write visible: synthesis would restore it.
  fs.rmSync(path.join(dir, '.gitattributes'));
  const project = newProject({ ...twoEnvironmentOptions(), outdir: dir });
  change(project);
  let error: unknown;
  try {
    synthQuietly(project);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PipelineLintError);
  const { ['.gitattributes']: _removed, ...expected } = baseFiles;
  const after = directorySnapshot(dir);
  return {
    error: error as PipelineLintError,
    unchanged: JSON.stringify(after) === JSON.stringify(expected),
    pipelineFileKept: after['bitbucket-pipelines.yml'] === baseFiles['bitbucket-pipelines.yml'],
  };
}

function step(name: string, script: string[], extra: Partial<PipelineStep> = {}): PipelineStep {
  return { name, script, ...extra };
}

describe('lints refuse what Bitbucket or AWS would reject, and write nothing', () => {
  test('messages name the step by its 0-based path in the YAML file, the path file.patch/addOverride address', () => {
    const r = failingSynth((p) => {
      p.pipelines.addStepsBeforeDeploy(step('Smoke', []));
      p.pipelines.addCustomPipeline('with-variables', {
        variables: [{ name: 'TARGET' }],
        items: [{ step: step('First', ['echo ok']) }, { step: step('Empty', []) }],
      });
    });
    expect(r.error.problems).toEqual([
      'pipelines.branches.main[1].step ("Smoke"): has no script; give the step at least one command',
      'pipelines.custom.with-variables[2].step ("Empty"): has no script; give the step at least one command',
    ]);
    // The same paths in the file the project writes once the steps are fixed.
    const project = newProject({ ...twoEnvironmentOptions(), outdir: tempDir() });
    project.pipelines.addStepsBeforeDeploy(step('Smoke', ['echo ok']));
    project.pipelines.addCustomPipeline('with-variables', {
      variables: [{ name: 'TARGET' }],
      items: [{ step: step('First', ['echo ok']) }, { step: step('Empty', ['echo ok']) }],
    });
    const yaml = parse(Testing.synth(project)['bitbucket-pipelines.yml']);
    expect(yaml.pipelines.branches.main[1].step.name).toBe('Smoke');
    expect(yaml.pipelines.custom['with-variables'][2].step.name).toBe('Empty');
  });

  test('the base project passes the lints', () => {
    expect(baseFiles['bitbucket-pipelines.yml']).toContain('Deploy production');
  });

  test('a pipeline that starts with a manual step', () => {
    const r = failingSynth((p) => p.pipelines.addCustomPipeline('approve-first', { items: [{ step: step('Approve', ['echo ok'], { trigger: StepTrigger.MANUAL }) }] }));
    expect(r.error.problems).toEqual([
      'pipelines.custom.approve-first: the first step is "trigger: manual", which Bitbucket rejects; make it automatic, or put manual-only work into a custom pipeline (addCustomPipeline)',
    ]);
    expect(r.error.message).toContain('nothing was written');
    expect(r.unchanged).toBe(true);
  });

  test('one deployment environment twice, in another case', () => {
    const r = failingSynth((p) => p.pipelines.addStepsAfterDeploy(step('Deploy again', ['echo again'], { deployment: 'STAGING' })));
    expect(r.error.problems).toEqual([
      'pipelines.branches.main[3].step ("Deploy again"): deployment "STAGING" is already used by pipelines.branches.main[1].step ("Deploy staging"); Bitbucket allows each deployment environment once per pipeline (deployment names are case-insensitive). Use another environment, or one stage with "deployment:" around several steps',
    ]);
    expect(r.unchanged).toBe(true);
  });

  test('more than 100 steps', () => {
    const many = Array.from({ length: 98 }, (_, i) => step(`Check ${i}`, ['true']));
    const r = failingSynth((p) => p.pipelines.addStepsBeforeDeploy(...many));
    expect(r.error.problems).toEqual([
      'pipelines.branches.main: has 101 steps, Bitbucket allows at most 100 per pipeline; merge steps or split the work into custom pipelines',
    ]);
    expect(r.unchanged).toBe(true);
  });

  test('a step that deploys without oidc: true', () => {
    const r = failingSynth((p) => p.pipelines.addStepsAfterDeploy(step('Redeploy', ['npm ci', 'npx projen deploy:staging'])));
    expect(r.error.problems).toEqual([
      'pipelines.branches.main[3].step ("Redeploy"): runs "deploy:staging" without "oidc: true", so it gets no OIDC token and cannot assume the deploy role; set oidc: true on the step (and a deployment: for an environment-scoped role)',
    ]);
    expect(r.unchanged).toBe(true);
  });

  test('a step that previews or checks drift without oidc: true', () => {
    const r = failingSynth((p) => p.pipelines.addPullRequestSteps(
      step('Preview again', ['npm ci', 'npx projen preview:staging']),
      step('Drift', ['npm ci', 'npx bitbucket-cdk-drift --environment staging --account 111111111111 --region eu-west-1']),
    ));
    expect(r.error.problems).toEqual([
      'pipelines.pull-requests."**"[2].step ("Preview again"): runs "preview:staging" without "oidc: true", so it gets no OIDC token and cannot assume the read-only role; set oidc: true on the step',
      'pipelines.pull-requests."**"[3].step ("Drift"): runs "bitbucket-cdk-drift" without "oidc: true", so it gets no OIDC token and cannot assume the read-only role; set oidc: true on the step',
    ]);
    expect(r.unchanged).toBe(true);
  });

  test('a pull-request step that diffs with cdk without oidc: true', () => {
    const r = failingSynth((p) => p.pipelines.addPullRequestSteps(step('Diff', ['npm ci', 'npx aws-cdk diff --app cdk.out'])));
    expect(r.error.problems).toHaveLength(1);
    // After the build [0] and the preview set [1].
    expect(r.error.problems[0]).toMatch(/^pipelines\.pull-requests\."\*\*"\[2\]\.step \("Diff"\): runs "aws-cdk diff" without "oidc: true"/);
    expect(r.unchanged).toBe(true);
  });

  test.each([['empty', '  '], ['multi-line', 'Prod\nEU']])('an invalid (%s) deployment name', (_what, name) => {
    const r = failingSynth((p) => p.pipelines.addStepsAfterDeploy(step('Odd', ['echo'], { deployment: name })));
    expect(r.error.problems).toEqual([
      `pipelines.branches.main[3].step ("Odd"): deployment ${JSON.stringify(name)} is not a valid environment name; give the name as shown in Repository settings → Deployments (one line, 1 to 100 characters)`,
    ]);
    expect(r.unchanged).toBe(true);
  });

  test('a step size that does not exist', () => {
    const r = failingSynth((p) => p.pipelines.addStepsBeforeDeploy(step('Big', ['true'], { size: '3x' as StepSize })));
    expect(r.error.problems).toEqual([
      'pipelines.branches.main[1].step ("Big"): size "3x" does not exist; use one of 1x, 2x, 4x, 8x, 16x, 32x (StepSize)',
    ]);
    expect(r.unchanged).toBe(true);
  });

  test.each([[0], [721], [1.5]])('a max-time of %p', (maxTime) => {
    const r = failingSynth((p) => p.pipelines.addStepsBeforeDeploy(step('Slow', ['true'], { maxTime })));
    expect(r.error.problems).toEqual([
      `pipelines.branches.main[1].step ("Slow"): max-time ${maxTime} is out of range; Bitbucket accepts 1 to 720 whole minutes`,
    ]);
    expect(r.unchanged).toBe(true);
  });

  test.each([['empty', ' '], ['51 characters', 'x'.repeat(51)], ['multi-line', 'a\nb']])('a concurrency group that Bitbucket refuses (%s)', (_what, group) => {
    const r = failingSynth((p) => p.pipelines.addStepsAfterDeploy(step('Smoke', ['true'], { concurrencyGroup: group })));
    expect(r.error.problems).toEqual([
      `pipelines.branches.main[3].step ("Smoke"): concurrency-group ${JSON.stringify(group)} is not valid; Bitbucket accepts one line of 1 to 50 characters`,
    ]);
    expect(r.unchanged).toBe(true);
  });

  test.each([
    ['npx -y aws-cdk@2.1148.1 --version', 'npx -y aws-cdk@2.1148.1'],
    ['npx --yes cowsay hi', 'npx --yes cowsay'],
    ['npm ci && npx -p typescript tsc', 'npx -p typescript'],
    ['npx --package=npm-check-updates ncu', 'npx --package=npm-check-updates ncu'],
    ['if true; then npx --yes a; fi', 'npx --yes a'],
  ])('an npx call that installs what the lockfile does not hold: %s', (line, shown) => {
    const r = failingSynth((p) => p.pipelines.addStepsAfterDeploy(step('Tool', [line])));
    expect(r.error.problems).toEqual([
      `pipelines.branches.main[3].step ("Tool"): runs ${JSON.stringify(shown)}, which makes npx download and run a package that package-lock.json does not lock (any registry or .npmrc decides its bytes); add the tool as a devDependency and call it without -y/--yes/-p/--package`,
    ]);
  });

  test('npx in a step with no npm ci before it (a deploy step installs only the CDK CLI): it would download the package of that name', () => {
    const r = failingSynth((p) => {
      const file = p.pipelines.pipelinesFile;
      const deploy = file.findStep('deploy-staging')!;
      file.updateStep('deploy-staging', { ...deploy, script: [...deploy.script!, 'npx cdk --version'] });
      p.pipelines.addStepsAfterDeploy(step('Version', ['npx cdk --version', 'npm ci']));
    });
    const problem = (where: string) => `${where}: runs "npx cdk" with no "npm ci" before it in the step, so nothing package-lock.json locks is installed there `
      + 'and npx would download "cdk" from the registry and run whatever is served under that name; '
      + 'run "npm ci" earlier in the same step (with the tool as a devDependency), or run the tool without npx';
    expect(r.error.problems).toEqual([
      problem('pipelines.branches.main[1].step ("Deploy staging")'),
      problem('pipelines.branches.main[3].step ("Version")'),
    ]);
    expect(r.unchanged).toBe(true);
  });

  test('npx cdk --version is locked once npm ci ran before it in the same step (earlier line or earlier in the line)', () => {
    const project = newProject({ ...twoEnvironmentOptions(), outdir: tempDir() });
    project.pipelines.addStepsAfterDeploy(step('Version', ['npm ci', 'npx cdk --version']), step('Same line', ['npm ci && npx cdk --version']));
    expect(lintConfiguration(project.pipelines.configuration(), () => true)).toEqual([]);
  });

  test('a step added to the file directly that runs npx without npm_config_yes=false exported first (script and after-script on their own)', () => {
    const r = failingSynth((p) => {
      const main = p.pipelines.pipelinesFile.branchPipeline('main');
      main.addStep('direct', step('Direct', ['npm ci', 'npx projen build']));
      main.addStep('after', step('After', [NPX_NO_DOWNLOADS, 'npm ci'], { afterScript: ['npx projen test'] }));
    });
    const problem = (where: string, command: string, section: string) => `${where}: runs ${JSON.stringify(command)} in its ${section} without "export npm_config_yes=false" before it: `
      + `in CI, npx (npm 11) downloads and runs a package that npm ci did not install without asking; add "export npm_config_yes=false" as the first line of the step's ${section}`;
    expect(r.error.problems).toEqual([
      problem('pipelines.branches.main[3].step ("Direct")', 'npx projen', 'script'),
      problem('pipelines.branches.main[4].step ("After")', 'npx projen', 'after-script'),
    ]);
    expect(r.unchanged).toBe(true);
  });

  test('steps added through the project get the export first when they run npx (and stay as written when they do not)', () => {
    const project = newProject({ ...twoEnvironmentOptions(), outdir: tempDir() });
    project.pipelines.addStepsAfterDeploy(step('Smoke', ['npm ci', 'npx projen test']), step('Plain', ['./check.sh']));
    project.pipelines.addCustomPipeline('report', { items: [{ step: step('Report', ['npm ci'], { afterScript: ['npx projen test'] }) }] });
    const yaml = parse(Testing.synth(project)['bitbucket-pipelines.yml']);
    expect(yaml.pipelines.branches.main[3].step.script).toEqual([NPX_NO_DOWNLOADS, 'npm ci', 'npx projen test']);
    expect(yaml.pipelines.branches.main[4].step.script).toEqual(['./check.sh']);
    expect(yaml.pipelines.custom.report[0].step.script).toEqual(['npm ci']);
    expect(yaml.pipelines.custom.report[0].step['after-script']).toEqual([NPX_NO_DOWNLOADS, 'npx projen test']);
  });

  test('a call of a projen task that does not exist', () => {
    const r = failingSynth((p) => p.pipelines.addStepsAfterDeploy(step('Smoke', ['npm ci', 'npx projen smoke-test'])));
    expect(r.error.problems).toEqual([
      'pipelines.branches.main[3].step ("Smoke"): calls the projen task "smoke-test", which does not exist; see .projen/tasks.json or add the task in .projenrc.ts',
    ]);
    expect(r.unchanged).toBe(true);
  });

  test('xtrace in a step holding an OIDC token', () => {
    const r = failingSynth((p) => p.pipelines.addStepsAfterDeploy(step('Debug', ['set -ex', 'echo hi'], { oidc: true })));
    expect(r.error.problems).toHaveLength(1);
    expect(r.error.problems[0]).toContain('[3].step ("Debug"): switches on xtrace ("set -ex")');
    expect(r.unchanged).toBe(true);
  });

  test('every problem is reported at once, and the pipeline file is not touched', () => {
    const r = failingSynth((p) => {
      p.pipelines.addStepsAfterDeploy(step('A', ['cdk deploy --all'], { maxTime: 0 }), step('B', [], { deployment: 'Production' }));
      p.pipelines.addCustomPipeline('manual', { items: [{ step: step('M', ['true'], { trigger: StepTrigger.MANUAL }) }] });
    });
    expect(r.error.problems).toHaveLength(5);
    expect(r.error.message).toMatch(/^bitbucket-pipelines\.yml would break Bitbucket's rules \(5 problems\); nothing was written:\n {2}- /);
    expect(r.pipelineFileKept).toBe(true);
    expect(r.unchanged).toBe(true);
  });
});

describe('lint helpers', () => {
  test.each([
    ['npx projen deploy:staging', 'deploy:staging'],
    ['npx projen diff:prod-eu -- --context x=1', 'diff:prod-eu'],
    ['npm run deploy:staging', 'deploy:staging'],
    ['cdk deploy --all', 'cdk deploy'],
    ['npx cdk --app cdk.out diff', 'cdk diff'],
    ['npx -y aws-cdk@2.1148.1 deploy --app cdk.out', 'aws-cdk@2.1148.1 deploy'],
    ['./node_modules/.bin/cdk deploy', './node_modules/.bin/cdk deploy'],
    ['npm ci && cdk deploy', 'cdk deploy'],
    ["node .projen/oidc-step.js deploy staging -- deploy --app cdk.out 'staging/*'", '.projen/oidc-step.js deploy'],
    ['node "${BITBUCKET_CLONE_DIR}"/.projen/oidc-step.js deploy prod-eu -- deploy', '.projen/oidc-step.js deploy'],
  ])('%s needs AWS credentials', (line, found) => {
    expect(awsCommand(line)).toBe(found);
  });

  test.each([
    'npx projen build',
    'cdk synth',
    'echo "ready to deploy"; cdk synth',
    'npx projen bitbucket:oidc:synth',
    'cdk synth --context stage=deploy-test',
    'node .projen/oidc-step.js preview staging -- npx projen synth:silent',
  ])('%s does not', (line) => {
    expect(awsCommand(line)).toBeUndefined();
  });

  test.each([
    ['npx projen preview:staging --report', 'preview:staging'],
    ['npx projen drift:prod-eu', 'drift:prod-eu'],
    ['node_modules/.bin/bitbucket-cdk-preview --environment x', 'bitbucket-cdk-preview'],
    ['npm ci && bitbucket-cdk-drift --environment x', 'bitbucket-cdk-drift'],
  ])('%s reads AWS with the read-only role', (line, found) => {
    expect(readRoleCommand(line)).toBe(found);
  });

  test.each(['npx projen build', 'echo "preview ready"', 'cp -r cdk.preview out', 'npx projen bitbucket:oidc:synth'])('%s does not', (line) => {
    expect(readRoleCommand(line)).toBeUndefined();
  });

  // Flags only: whether the package is locked depends on the step (npm ci before it), see npxCalls.
  test.each(['npx projen build', 'npx cdk --version', 'npx --no-install eslint .', 'npx --yes=false tsc', 'echo npx -y is refused'])('%s asks npx for no download', (line) => {
    expect(unlockedNpx(line)).toBeUndefined();
  });

  test('projen task calls', () => {
    expect(projenTasksCalled('npx projen build && npx projen test:update')).toEqual(['build', 'test:update']);
    expect(projenTasksCalled('npx projen --help; echo .projenrc.ts')).toEqual([]);
  });

  test('an item with two kinds, an empty pipeline and an empty stage are refused', () => {
    const problems = lintConfiguration({
      pipelines: {
        defaultPipeline: [],
        branches: { dev: [{ step: step('x', ['true']), parallel: { steps: [step('y', ['true'])] } }, { stage: { steps: [] } }] },
      },
    });
    expect(problems).toEqual([
      'pipelines.default: has no steps; add a step or remove the pipeline',
      'pipelines.branches.dev[0]: an item needs exactly one of step, parallel or stage (got step, parallel)',
      'pipelines.branches.dev[1].stage: a stage needs at least one step',
    ]);
  });

  test('changeset conditions: one kind of paths, and none inside a stage', () => {
    const changesets = { includePaths: ['src/**'], excludePaths: ['docs/**'] };
    expect(lintConfiguration({
      pipelines: {
        branches: {
          dev: [
            { step: step('x', ['true'], { condition: { changesets } }) },
            { stage: { name: 'S', steps: [step('y', ['true'], { condition: { state: 'A == 1' } })] } },
          ],
        },
      },
    })).toEqual([
      'pipelines.branches.dev[1].stage.steps[0].step ("y"): a step inside a stage cannot have a condition; put the condition on the stage',
      'pipelines.branches.dev[0].step ("x"): condition.changesets may have includePaths or excludePaths, not both; keep one',
    ]);
  });

  test('global options are checked too', () => {
    expect(lintConfiguration({ options: { maxTime: 1000 }, pipelines: {} })).toEqual([
      'options: max-time 1000 is out of range; Bitbucket accepts 1 to 720 whole minutes',
    ]);
  });
});
