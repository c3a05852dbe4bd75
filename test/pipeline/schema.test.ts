import { Testing } from 'projen/lib/testing';
import { BitbucketCdkApp } from '../../src';
import { StepSize, StepTrigger } from '../../src/pipeline/configuration-model';
import { baseOptions, newProject, twoEnvironmentOptions } from '../util';
import { parsePipelines, schemaErrors, THREE_ENVIRONMENTS } from './pipeline-helpers';

function yamlOf(project: BitbucketCdkApp): any {
  return parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
}


const cases: Array<[string, () => BitbucketCdkApp]> = [
  ['one environment (defaults)', () => newProject(baseOptions())],
  ['two environments, production gated', () => newProject(twoEnvironmentOptions())],
  ['three environments, two gated', () => newProject(baseOptions(THREE_ENVIRONMENTS))],
  ['custom image', () => newProject(baseOptions({ pipelineImage: 'public.ecr.aws/docker/library/node:22-bookworm' }))],
  ['custom size and max-time', () => newProject(twoEnvironmentOptions({ pipelineStepSize: '4x', pipelineMaxTime: 90 }))],
  ['no pull-request pipeline', () => newProject(baseOptions({ pullRequestPipeline: false }))],
  ['no previews, no drift detection', () => newProject(twoEnvironmentOptions({ pullRequestPreview: false, driftDetection: false }))],
  ['another main branch', () => newProject(baseOptions({ defaultReleaseBranch: 'trunk' }))],
  ['user-added steps and custom pipelines', () => {
    const project = newProject(twoEnvironmentOptions());
    project.pipelines.addStepsBeforeDeploy({ name: 'Security scan', script: ['npm ci', 'npx audit-ci --high'], caches: ['node'] });
    project.pipelines.addStepsAfterDeploy({ name: 'Smoke test', script: ['curl -fsS https://example.com/health'], size: StepSize.SIZE_1X, maxTime: 5 });
    project.pipelines.addPullRequestSteps({ name: 'Diff staging', oidc: true, script: ['npm ci', 'npx projen diff:staging'], condition: { changesets: { includePaths: ['src/**'] } } });
    project.pipelines.addCache('cdk-context', { path: '.cdk-cache' });
    project.pipelines.addCustomPipeline('diff-all', {
      variables: [{ name: 'STACKS', defaultValue: '*', allowedValues: ['*', 'staging/*'], description: 'Stacks to compare' }],
      items: [
        { step: { name: 'Build', script: ['npm ci', 'npx projen build'], caches: ['npm'], artifacts: { paths: ['cdk.out/**'] } } },
        {
          parallel: {
            failFast: true,
            steps: [
              { name: 'Diff staging', oidc: true, script: ['npm ci', 'npx projen diff:staging'] },
              { name: 'Diff production', oidc: true, script: ['npm ci', 'npx projen diff:production'] },
            ],
          },
        },
        { stage: { name: 'Gated', trigger: StepTrigger.MANUAL, steps: [{ name: 'Echo', script: ['echo ok'], clone: { enabled: false } }] } },
      ],
    });
    return project;
  }],
];

describe('bitbucket-pipelines.yml passes the official schema', () => {
  test.each(cases)('%s', (_name, make) => {
    const doc = yamlOf(make());
    expect(schemaErrors(doc)).toEqual([]);
    // A non-trivial document: the schema accepts almost any object, so also check it holds pipelines.
    expect(Object.keys(doc.pipelines.branches)).toHaveLength(1);
  });

  test('the checked documents hold the new parts: the preview set and the drift-detection pipeline (one environment: lone steps)', () => {
    const three = yamlOf(newProject(baseOptions(THREE_ENVIRONMENTS)));
    expect(three.pipelines['pull-requests']['**'][1].parallel.steps).toHaveLength(3);
    expect(three.pipelines.custom['drift-detection'][1].parallel.steps).toHaveLength(3);
    expect(schemaErrors(three)).toEqual([]);
    const one = yamlOf(newProject(baseOptions()));
    expect(one.pipelines['pull-requests']['**'][1].step.oidc).toBe(true);
    expect(one.pipelines.custom['drift-detection'][1].step.oidc).toBe(true);
    expect(schemaErrors(one)).toEqual([]);
  });

  test('the validator rejects a broken preview set (the check can fail on the new parts)', () => {
    const doc = yamlOf(newProject(baseOptions(THREE_ENVIRONMENTS)));
    doc.pipelines['pull-requests']['**'][1].parallel['fail-fast'] = 'no';
    doc.pipelines.custom['drift-detection'][1].parallel.steps[0].step.oidc = 'yes';
    expect(schemaErrors(doc).length).toBeGreaterThan(0);
  });

  test('the validator does reject a broken document (the check can fail)', () => {
    const doc = yamlOf(newProject(baseOptions()));
    const main = doc.pipelines.branches.main;
    main[0].step.size = '3x';
    main[1].step['max-time'] = 0;
    expect(schemaErrors(doc).length).toBeGreaterThan(0);
  });
});
