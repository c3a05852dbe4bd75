/**
 * Every line of a generated bitbucket-pipelines.yml stays readable: at most
 * MAX_SCRIPT_LINE_LENGTH characters, for a project with five environments
 * and every pipeline on (previews, drift detection, upgrades, the doctor).
 */
import { Testing } from 'projen/lib/testing';
import { parsePipelines } from './pipeline-helpers';
import { MAX_SCRIPT_LINE_LENGTH } from '../../src/pipeline/bitbucket-limits';
import { baseOptions, newProject } from '../util';

const NAMES = ['dev', 'test', 'staging', 'preprod', 'production-eu-central-longest-32'];

function fiveEnvironments() {
  const project = newProject(baseOptions({
    deployAccount: undefined,
    deployRegion: undefined,
    pullRequestPreview: true,
    driftDetection: true,
    deployEnvironments: NAMES.map((name, i) => ({
      name,
      account: `${i + 1}`.repeat(12),
      region: i === 4 ? 'ap-southeast-2' : 'eu-west-1',
      bitbucketDeployment: `Env ${name}`,
      bitbucketDeploymentUuid: `a1b2c3d4-0000-4000-8000-00000000000${i + 1}`,
      manualApproval: name.startsWith('production'),
    })),
  }));
  return { project, yaml: Testing.synth(project)['bitbucket-pipelines.yml'] as string };
}

const { project, yaml } = fiveEnvironments();

test(`no line of the file is longer than ${MAX_SCRIPT_LINE_LENGTH} characters`, () => {
  const long = yaml.split('\n').filter((l) => l.length > MAX_SCRIPT_LINE_LENGTH);
  expect(long).toEqual([]);
});

test('the file holds every kind of step, so the limit covers them all', () => {
  const doc = parsePipelines(yaml);
  expect(Object.keys(doc.pipelines.custom)).toEqual(expect.arrayContaining(['drift-detection']));
  const text = JSON.stringify(doc);
  for (const action of ['deploy', 'preview', 'drift']) {
    expect(text).toContain(`node .projen/oidc-step.js ${action} production-eu-central-longest-32 -- `);
  }
  expect(text).toContain('bitbucket-oidc-doctor.js production-eu-central-longest-32 --after-script');
  expect(project.settings.environments).toHaveLength(5);
});

test('each OIDC step is at most 8 script lines', () => {
  const doc = parsePipelines(yaml);
  const steps: any[] = [];
  const collect = (items: any[]) => items.forEach((i) => {
    if (i.step) steps.push(i.step);
    i.parallel?.steps?.forEach((s: any) => steps.push(s.step));
  });
  collect(doc.pipelines.branches.main);
  collect(doc.pipelines['pull-requests']['**']);
  collect(doc.pipelines.custom['drift-detection']);
  const oidc = steps.filter((s) => s.oidc);
  expect(oidc).toHaveLength(15);
  for (const s of oidc) expect(s.script.length).toBeLessThanOrEqual(8);
});
