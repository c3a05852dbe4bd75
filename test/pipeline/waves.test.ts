/**
 * The acceptance scenario: one environment, then two in a wave, then
 * a manual production, a step after the wave and Docker image assets.
 */
import { Testing } from 'projen/lib/testing';
import { parsePipelines, schemaErrors, stepsOf } from './pipeline-helpers';
import { BitbucketCdkApp, BitbucketCdkAppOptions } from '../../src';
import { serviceMemoryLimit } from '../../src/pipeline/bitbucket-limits';
import { BitbucketPipelinesFile } from '../../src/pipeline/bitbucket-pipelines-file';
import { lintConfiguration } from '../../src/pipeline/pipeline-lints';
import { baseOptions, newProject } from '../util';

const A = '111111111111';
const B = '222222222222';

function fourEnvironments(overrides: Partial<BitbucketCdkAppOptions> = {}): BitbucketCdkAppOptions {
  return baseOptions({
    deployAccount: undefined,
    deployRegion: undefined,
    deployEnvironments: [
      { name: 'dev', account: A, region: 'eu-west-1' },
      { name: 'staging-eu', account: A, region: 'eu-central-1', bitbucketDeployment: 'staging-eu', wave: 'staging' },
      { name: 'staging-us', account: B, region: 'us-east-1', bitbucketDeployment: 'staging-us', wave: 'staging' },
      { name: 'production', account: B, region: 'us-west-2', manualApproval: true },
    ],
    dockerImageAssets: true,
    ...overrides,
  } as Partial<BitbucketCdkAppOptions>);
}

function mainOf(project: BitbucketCdkApp): { doc: any; main: any[] } {
  const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
  return { doc, main: doc.pipelines.branches.main };
}

describe('four environments: one, a wave of two, a manual production; a step after the wave; Docker image assets', () => {
  const project = newProject(fourEnvironments());
  project.pipelines.addStepsAfterEnvironment('staging-eu', { name: 'Integration tests', script: ['echo integ'] });
  const { doc, main } = mainOf(project);
  const envs = project.settings.environments;

  test('passes the official schema and the lints', () => {
    expect(schemaErrors(doc)).toEqual([]);
    expect(lintConfiguration(project.pipelines.configuration())).toEqual([]);
  });

  test('in exactly that order, the wave as one fail-fast parallel set', () => {
    const shape = main.map((item: any) => (item.parallel
      ? { 'parallel': item.parallel.steps.map((s: any) => s.step.name), 'fail-fast': item.parallel['fail-fast'] }
      : item.step.name));
    expect(shape).toEqual([
      'Build, test and synthesise',
      'Deploy dev',
      { 'parallel': ['Deploy staging-eu', 'Deploy staging-us'], 'fail-fast': true },
      'Integration tests',
      'Deploy production',
    ]);
    expect(main[4].step.trigger).toBe('manual');
    expect(stepsOf(main).filter((s: any) => s.trigger === 'manual')).toHaveLength(1);
  });

  test('each step of the wave keeps its own deployment, role and concurrency group', () => {
    const wave = main[2].parallel.steps.map((s: any) => s.step);
    expect(wave.map((s: any) => s.deployment)).toEqual(['staging-eu', 'staging-us']);
    expect(wave.map((s: any) => s['concurrency-group'])).toEqual(['deploy-staging-eu', 'deploy-staging-us']);
    expect(wave.map((s: any) => s.script.find((l: string) => l.startsWith('export AWS_ROLE_ARN=')))).toEqual(
      [envs[1], envs[2]].map((env) => `export AWS_ROLE_ARN=${env.deployRoleArn}`),
    );
    expect(wave.every((s: any) => s.oidc === true)).toBe(true);
  });

  test('the docker service on every deploy step, with the memory a deploy step leaves it', () => {
    const steps = stepsOf(main);
    expect(steps.map((s: any) => [s.name, s.services ?? []])).toEqual([
      ['Build, test and synthesise', []],
      ['Deploy dev', ['docker']],
      ['Deploy staging-eu', ['docker']],
      ['Deploy staging-us', ['docker']],
      ['Integration tests', []],
      ['Deploy production', ['docker']],
    ]);
    expect(doc.definitions.services.docker).toEqual({ memory: serviceMemoryLimit('1x') });
  });

  test('BitbucketCdkApp builds it with BitbucketPipelinesFile; steps have stable ids', () => {
    const file = BitbucketPipelinesFile.of(project)!;
    expect(file).toBe(project.pipelines.pipelinesFile);
    expect(file.branchPipeline('main').itemIds()).toEqual(['build', 'deploy-dev', 'wave-staging', 'after-staging-eu-1', 'deploy-production']);
    expect(file.findStep('deploy-staging-us')?.deployment).toBe('staging-us');
  });
});

describe('waves that Bitbucket refuses or that cannot be ordered', () => {
  const envs = (fourEnvironments().deployEnvironments ?? []).map((e) => ({ ...e }));

  test('a wave split by another environment', () => {
    const split = [envs[1], envs[0], envs[2], envs[3]];
    expect(() => newProject(fourEnvironments({ deployEnvironments: split }))).toThrow(
      /deployEnvironments\[2\]\.wave[\s\S]*"staging"[\s\S]*split by "dev"[\s\S]*consecutive/,
    );
  });

  test('a wave mixing manual and automatic environments', () => {
    const mixed = [envs[0], envs[1], { ...envs[2], manualApproval: true }, envs[3]];
    expect(() => newProject(fourEnvironments({ deployEnvironments: mixed }))).toThrow(/deployEnvironments\[2\]\.manualApproval[\s\S]*same manualApproval/);
  });

  test('a wave where only some environments look like production is warned about (Bitbucket wants one environment type per parallel set)', () => {
    const mixed = [envs[0], envs[1], { ...envs[2], name: 'prod-us', bitbucketDeployment: 'prod-us' }, envs[3]];
    const project = newProject(fourEnvironments({ deployEnvironments: mixed }));
    expect(project.settings.warnings).toContainEqual(expect.stringMatching(/deployEnvironments\[2\]\.wave[\s\S]*"prod-us"[\s\S]*same type/));
    expect(newProject(fourEnvironments()).settings.warnings.filter((w) => /same type/.test(w))).toEqual([]);
  });

  test('a wave name that is not a name', () => {
    const bad = [envs[0], { ...envs[1], wave: 'a b' }, envs[2], envs[3]];
    expect(() => newProject(fourEnvironments({ deployEnvironments: bad }))).toThrow(/deployEnvironments\[1\]\.wave/);
  });

  test('a manual wave starts with one manual step before the set; the set\'s steps stay automatic', () => {
    const manual = [envs[0], { ...envs[1], manualApproval: true }, { ...envs[2], manualApproval: true }, envs[3]];
    const { doc, main } = mainOf(newProject(fourEnvironments({ deployEnvironments: manual })));
    expect(schemaErrors(doc)).toEqual([]);
    expect(main[2].step).toMatchObject({ name: 'Start wave staging', trigger: 'manual' });
    expect(main[2].step.deployment).toBeUndefined();
    expect(main[3].parallel.steps.map((s: any) => s.step.trigger)).toEqual([undefined, undefined]);
  });
});

describe('steps between environments', () => {
  test('before and after an environment, after a wave\'s environment after the whole wave, in call order', () => {
    const project = newProject(fourEnvironments({ dockerImageAssets: false }));
    project.pipelines.addStepsBeforeEnvironment('production', { name: 'Check 1', script: ['true'] }, { name: 'Check 2', script: ['true'] });
    project.pipelines.addStepsAfterEnvironment('staging-us', { name: 'After wave', script: ['true'] });
    project.pipelines.addStepsBeforeEnvironment('staging-eu', { name: 'Before wave', script: ['true'] });
    project.pipelines.addStepsAfterEnvironment('dev', { name: 'After dev', script: ['true'] });
    project.pipelines.addStepsAfterEnvironment('staging-us', { name: 'After wave 2', script: ['true'] });
    project.pipelines.addStepsBeforeDeploy({ name: 'Before deploys', script: ['true'] });
    project.pipelines.addStepsAfterDeploy({ name: 'After deploys', script: ['true'] });
    project.pipelines.addStepsAfterEnvironment('production', { name: 'After production', script: ['true'] });
    const { doc, main } = mainOf(project);
    expect(main.map((i: any) => i.step?.name ?? 'wave')).toEqual([
      'Build, test and synthesise', 'Before deploys', 'Deploy dev', 'After dev', 'Before wave', 'wave', 'After wave', 'After wave 2',
      'Check 1', 'Check 2', 'Deploy production', 'After production', 'After deploys',
    ]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(doc.definitions.services).toBeUndefined();
  });

  test('added steps get the build steps\' size and max-time unless they set their own', () => {
    const project = newProject(fourEnvironments({ pipelineStepSize: '4x', pipelineMaxTime: 45 }));
    project.pipelines.addStepsAfterEnvironment('dev', { name: 'Plain', script: ['true'] });
    project.pipelines.addStepsBeforeDeploy({ name: 'Own', script: ['true'], size: '1x' as any, maxTime: 5 });
    const steps = stepsOf(mainOf(project).main);
    expect(steps.find((s: any) => s.name === 'Plain')).toMatchObject({ 'size': '4x', 'max-time': 45 });
    expect(steps.find((s: any) => s.name === 'Own')).toMatchObject({ 'size': '1x', 'max-time': 5 });
  });

  test('an unknown environment name is an error listing the known ones', () => {
    const project = newProject(fourEnvironments());
    expect(() => project.pipelines.addStepsAfterEnvironment('prod', { script: ['true'] })).toThrow(
      /no environment "prod"; known: "dev", "staging-eu", "staging-us", "production"/,
    );
  });
});

describe('per-step settings through the step API', () => {
  test('a deploy step changed by id keeps its place, and the lints check the change', () => {
    const project = newProject(fourEnvironments());
    const file = project.pipelines.pipelinesFile;
    file.updateStep('deploy-staging-us', { ...file.findStep('deploy-staging-us')!, size: '2x' as any, maxTime: 240, caches: ['npm'] });
    const { main } = mainOf(project);
    expect(main[2].parallel.steps[1].step).toMatchObject({ 'name': 'Deploy staging-us', 'size': '2x', 'max-time': 240, 'caches': ['npm'] });
    file.updateStep('deploy-dev', { ...file.findStep('deploy-dev')!, maxTime: 1000 });
    expect(lintConfiguration(project.pipelines.configuration())).toEqual([
      expect.stringMatching(/^pipelines\.branches\.main\[1\]\.step \("Deploy dev"\): max-time 1000 is out of range/),
    ]);
  });
});

describe('dockerImageAssets', () => {
  test('sizes the docker service for the deploy step size', () => {
    const doc = parsePipelines(Testing.synth(newProject(fourEnvironments({ deployStepSize: '2x' })))['bitbucket-pipelines.yml']);
    expect(doc.definitions.services.docker.memory).toBe(7168);
    expect(schemaErrors(doc)).toEqual([]);
  });

  test('is true or false', () => {
    expect(() => newProject(fourEnvironments({ dockerImageAssets: 'yes' as any }))).toThrow(/dockerImageAssets[\s\S]*"yes"[\s\S]*true or false/);
  });
});
