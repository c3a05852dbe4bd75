import { awscdk } from 'projen';
import { Testing } from 'projen/lib/testing';
import { parsePipelines, schemaErrors, stepsOf, THREE_ENVIRONMENTS } from './pipeline-helpers';
import { BitbucketCdkAppOptions, DeployTasks, PreviewTasks } from '../../src';
import { BitbucketPipelines } from '../../src/pipeline/bitbucket-pipelines';
import { StepSize } from '../../src/pipeline/configuration-model';
import { PipelineLintError } from '../../src/pipeline/pipeline-lints';
import { parsePreviewArgs } from '../../src/preview/args';
import { baseOptions, newProject, tempDir, twoEnvironmentOptions } from '../util';


function yamlOf(options: BitbucketCdkAppOptions): any {
  return parsePipelines(Testing.synth(newProject(options))['bitbucket-pipelines.yml']);
}

/** The read-only steps' common shape: OIDC, no deployment lock or queue, small and short. */
function expectReadOnlyStep(step: any, maxTime: number): void {
  expect(step.oidc).toBe(true);
  expect(step.deployment).toBeUndefined();
  expect(step['concurrency-group']).toBeUndefined();
  expect(step.trigger).toBeUndefined();
  expect(step.size).toBe('1x');
  expect(step['max-time']).toBe(maxTime);
  expect(step.caches).toEqual([BitbucketPipelines.NPM_CACHE]);
}

describe('pull-request previews (three environments in two accounts)', () => {
  const project = newProject(baseOptions(THREE_ENVIRONMENTS));
  const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
  const pr = doc.pipelines['pull-requests']['**'];

  test('build first, publishing cdk.out; then every environment\'s preview at once, each finishing whatever the others do', () => {
    expect(pr).toHaveLength(2);
    expect(pr[0].step.name).toBe('Build, test and synthesise (pull request)');
    // cdk.out for the previews; cdk.oidc.out for the administrator's reviewed trust deploy.
    expect(pr[0].step.artifacts).toEqual(['cdk.out/**', 'cdk.oidc.out/**']);
    expect(pr[1].parallel['fail-fast']).toBe(false);
    expect(pr[1].parallel.steps.map((s: any) => s.step.name)).toEqual(['Preview test', 'Preview staging', 'Preview production']);
  });

  test('each preview step: OIDC, no deployment, 1x, 15 minutes, the npm cache, cdk.preview/ kept; runs preview:<env> --report', () => {
    project.settings.environments.forEach((env, i) => {
      const step = pr[1].parallel.steps[i].step;
      expectReadOnlyStep(step, 15);
      expect(step.artifacts).toEqual(['cdk.preview/**']);
      expect(step.script.at(-1)).toBe(`node .projen/oidc-step.js preview ${env.name} -- npx projen preview:${env.name} --report`);
      expect(step.script).toContain(`export AWS_ROLE_ARN=${env.previewRoleArn}`);
    });
  });

  test('the main-branch pipeline is unchanged by previews: no preview step there', () => {
    const main = stepsOf(doc.pipelines.branches.main);
    expect(main.map((s: any) => s.name)).toEqual(['Build, test and synthesise', 'Deploy test', 'Deploy staging', 'Deploy production']);
  });

  test('the steps are addressable by id (preview, preview-<env>) and keep their place when changed', () => {
    const file = project.pipelines.pipelinesFile;
    expect(file.allIds()).toEqual(expect.arrayContaining(['pull-request-build', 'preview', 'preview-test', 'preview-staging', 'preview-production']));
    expect(file.findStep(BitbucketPipelines.previewStepId('staging'))?.name).toBe('Preview staging');
    file.updateStep('preview-staging', { ...file.findStep('preview-staging')!, size: StepSize.SIZE_2X });
    const pipeline = file.configuration().pipelines.pullRequests!['**'];
    expect(pipeline[1].parallel!.steps.map((s) => [s.name, s.size])).toEqual([['Preview test', '1x'], ['Preview staging', '2x'], ['Preview production', '1x']]);
  });

  test('steps added to pull requests come after the previews', () => {
    const p = newProject(twoEnvironmentOptions());
    p.pipelines.addPullRequestSteps({ name: 'Extra', script: ['echo extra'] });
    const items = parsePipelines(Testing.synth(p)['bitbucket-pipelines.yml']).pipelines['pull-requests']['**'];
    expect(items.map((i: any) => i.step?.name ?? 'parallel')).toEqual(['Build, test and synthesise (pull request)', 'parallel', 'Extra']);
  });
});

describe('drift-detection custom pipeline', () => {
  const project = newProject(baseOptions(THREE_ENVIRONMENTS));
  const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
  const drift = doc.pipelines.custom['drift-detection'];

  test('synthesises once (cdk.out names each stage\'s stacks), then checks every environment at once, each to the end', () => {
    expect(drift).toHaveLength(2);
    expect(drift[0].step.script).toEqual(['export npm_config_yes=false', 'npm ci', 'npx projen synth:silent']);
    expect(drift[0].step.artifacts).toEqual(['cdk.out/**']);
    expect(drift[0].step.oidc).toBeUndefined();
    expect(drift[1].parallel['fail-fast']).toBe(false);
    expect(drift[1].parallel.steps.map((s: any) => s.step.name)).toEqual(['Drift test', 'Drift staging', 'Drift production']);
  });

  test('each drift step: OIDC with the read-only role, no deployment, 1x; runs drift:<env>', () => {
    project.settings.environments.forEach((env, i) => {
      const step = drift[1].parallel.steps[i].step;
      expectReadOnlyStep(step, 30);
      expect(step.script.at(-1)).toBe(`node .projen/oidc-step.js drift ${env.name} -- npx projen drift:${env.name}`);
      expect(step.script).toContain(`export AWS_ROLE_ARN=${env.previewRoleArn}`);
    });
  });

  test('ids: drift-synth, drift, drift-<env>', () => {
    expect(project.pipelines.pipelinesFile.allIds()).toEqual(expect.arrayContaining(['drift-synth', 'drift', 'drift-test', 'drift-staging', 'drift-production']));
    expect(project.pipelines.pipelinesFile.findStep(BitbucketPipelines.driftStepId('production'))?.name).toBe('Drift production');
  });

  test('a custom pipeline of that name cannot be added a second time', () => {
    expect(() => project.pipelines.addCustomPipeline(BitbucketPipelines.DRIFT_PIPELINE_NAME, { items: [{ step: { script: ['true'] } }] })).toThrow(/already exists/);
  });
});

test('one environment: a lone preview step and a lone drift step, no parallel set of one', () => {
  const doc = yamlOf(baseOptions());
  const pr = doc.pipelines['pull-requests']['**'];
  expect(pr.map((i: any) => Object.keys(i)[0])).toEqual(['step', 'step']);
  expect(pr[1].step.name).toBe('Preview production');
  const drift = doc.pipelines.custom['drift-detection'];
  expect(drift.map((i: any) => Object.keys(i)[0])).toEqual(['step', 'step']);
  expect(drift[1].step.script.at(-1)).toBe('node .projen/oidc-step.js drift production -- npx projen drift:production');
  expect(schemaErrors(doc)).toEqual([]);
});

test('waves do not split the previews: every environment in one set', () => {
  const doc = yamlOf(baseOptions({
    ...THREE_ENVIRONMENTS,
    deployEnvironments: [
      { name: 'eu', account: '111111111111', region: 'eu-west-1', wave: 'edge' },
      { name: 'us', account: '111111111111', region: 'us-east-1', wave: 'edge' },
      { name: 'production', account: '222222222222', region: 'us-east-1' },
    ],
  }));
  expect(doc.pipelines['pull-requests']['**'][1].parallel.steps.map((s: any) => s.step.name)).toEqual(['Preview eu', 'Preview us', 'Preview production']);
});

describe('pullRequestPreviewFailsOnStatefulRisk', () => {
  test('on: every preview step also passes --fail-on-stateful-risk, which the preview tool accepts; the local task stays without it', () => {
    const project = newProject(baseOptions({ ...THREE_ENVIRONMENTS, pullRequestPreviewFailsOnStatefulRisk: true }));
    const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
    const steps = doc.pipelines['pull-requests']['**'][1].parallel.steps.map((s: any) => s.step);
    expect(steps.map((s: any) => s.script.at(-1))).toEqual(project.settings.environments.map((env) => `node .projen/oidc-step.js preview ${env.name} -- npx projen preview:${env.name} --report --fail-on-stateful-risk`));
    // What the task hands the tool: its own arguments, then the step's.
    const env = project.settings.environments[0];
    const argv = [...project.previewTasks.previewArguments(env), '--report', '--fail-on-stateful-risk'];
    expect(parsePreviewArgs(argv)).toMatchObject({ report: true, failOnStatefulRisk: true });
    const local = JSON.stringify(project.tasks.tryFind(PreviewTasks.previewTaskName(env.name))!.steps);
    expect(local).not.toContain('--fail-on-stateful-risk');
    expect(local).not.toContain('--report');
    // Only the preview steps: the drift steps and the deploy steps are unchanged.
    expect(JSON.stringify([doc.pipelines.custom, doc.pipelines.branches])).not.toContain('--fail-on-stateful-risk');
    expect(schemaErrors(doc)).toEqual([]);
  });

  test('off (the default): the preview steps run preview:<env> --report only', () => {
    const doc = yamlOf(twoEnvironmentOptions());
    expect(JSON.stringify(doc)).not.toContain('--fail-on-stateful-risk');
  });
});

describe('options off', () => {
  test('pullRequestPreview: false: the pull-request build alone, publishing only the OIDC trust for review', () => {
    const doc = yamlOf(twoEnvironmentOptions({ pullRequestPreview: false }));
    const pr = doc.pipelines['pull-requests']['**'];
    expect(pr).toHaveLength(1);
    expect(pr[0].step.artifacts).toEqual(['cdk.oidc.out/**']);
    expect(doc.pipelines.custom['drift-detection']).toBeDefined();
  });

  test('pullRequestPipeline: false: no pull-request pipeline, so no preview', () => {
    const doc = yamlOf(twoEnvironmentOptions({ pullRequestPipeline: false }));
    expect(doc.pipelines['pull-requests']).toBeUndefined();
    expect(JSON.stringify(doc)).not.toContain('preview:');
  });

  test('driftDetection: false: no drift-detection pipeline', () => {
    const doc = yamlOf(twoEnvironmentOptions({ driftDetection: false }));
    expect(Object.keys(doc.pipelines.custom)).toEqual(['upgrade-dependencies']);
    expect(doc.pipelines['pull-requests']['**']).toHaveLength(2);
  });
});

describe('the lints cover the new steps', () => {
  test('preview steps count towards the 100 steps of a pipeline', () => {
    const project = newProject(twoEnvironmentOptions());
    // 1 build + 2 previews + 98 = 101; without the previews counted it would be 99.
    project.pipelines.addPullRequestSteps(...Array.from({ length: 98 }, (_, i) => ({ name: `Extra ${i}`, script: ['true'] })));
    let error: unknown;
    try {
      Testing.synth(project);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PipelineLintError);
    expect((error as PipelineLintError).problems).toEqual([expect.stringMatching(/^pipelines\.pull-requests\."\*\*": has 101 steps, Bitbucket allows at most 100/)]);
  });

  test('a preview step whose task is gone is refused, naming the task', () => {
    const project = newProject(twoEnvironmentOptions());
    project.tasks.removeTask(PreviewTasks.previewTaskName('production'));
    expect(() => Testing.synth(project)).toThrow(/Preview production"\): calls the projen task "preview:production", which does not exist/);
  });
});

test.each(['pullRequestPreview', 'driftDetection'])('BitbucketPipelines on its own: %s needs each environment\'s read-only role', (option) => {
  const settings = newProject(twoEnvironmentOptions({ pullRequestPreview: false, driftDetection: false })).settings;
  expect(settings.environments[0].previewRoleArn).toBeUndefined();
  const app = new awscdk.AwsCdkTypeScriptApp({ name: 'plain', defaultReleaseBranch: 'main', cdkVersion: '2.200.0', outdir: tempDir(), github: false });
  const deployTasks = new DeployTasks(app, { environments: settings.environments });
  const options = { environments: settings.environments, cdkCliVersion: settings.cdkCliVersion, deployTasks };
  expect(() => new BitbucketPipelines(app, { ...options, [option]: true }))
    .toThrow(`BitbucketPipelines: ${option} needs the read-only role of environment "staging" (previewRoleArn), which is undefined`);
});
