import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { projenTasksCalled } from '../../src/pipeline/pipeline-lints';
import { newProject, twoEnvironmentOptions } from '../util';
import { allScriptLines, installs, parsePipelines, synths } from './pipeline-helpers';

/** The value a script line exports, e.g. `export AWS_ROLE_ARN=...`. */
function exported(script: string[], name: string): string | undefined {
  const line = script.find((l) => l.startsWith(`export ${name}=`));
  return line?.slice(`export ${name}=`.length).replace(/^'|'$/g, '');
}

describe('pipeline, tasks and OIDC settings agree', () => {
  const project = newProject(twoEnvironmentOptions());
  const settings = project.settings;
  const files = Testing.synth(project);
  const doc = parsePipelines(files['bitbucket-pipelines.yml']);
  const tasks = files['.projen/tasks.json'].tasks;
  const main: any[] = doc.pipelines.branches[settings.mainBranch];
  const deploySteps = main.map((i) => i.step).filter((s) => s.deployment);

  test('one deploy step per environment, in configured order, deployment names unique', () => {
    expect(deploySteps.map((s) => s.deployment)).toEqual(settings.environments.map((e) => e.bitbucketDeployment));
    expect(new Set(deploySteps.map((s) => s.deployment.toLowerCase())).size).toBe(deploySteps.length);
    expect(deploySteps.map((s) => s.name)).toEqual(['Deploy staging', 'Deploy production']);
  });

  test('every deploy step assumes the role the OIDC stack creates, in its region', () => {
    settings.environments.forEach((env, i) => {
      expect(exported(deploySteps[i].script, 'AWS_ROLE_ARN')).toBe(env.deployRoleArn);
      expect(exported(deploySteps[i].script, 'AWS_REGION')).toBe(env.region);
    });
  });

  test('deploy steps have oidc, the manual gate where configured, their own size and max-time from settings', () => {
    settings.environments.forEach((env, i) => {
      const step = deploySteps[i];
      expect(step.oidc).toBe(true);
      expect(step.trigger).toBe(env.manualApproval ? 'manual' : undefined);
      expect(step.size).toBe(settings.deployStepSize);
      expect(step['max-time']).toBe(settings.deployStepMaxTime);
    });
    expect([settings.deployStepSize, settings.deployStepMaxTime]).toEqual(['1x', 120]);
    expect(main[0].step.trigger).toBeUndefined();
    expect(main[0].step.size).toBe(settings.pipelineStepSize);
    expect(main[0].step['max-time']).toBe(settings.pipelineMaxTime);
  });

  test('the deploy command is the deploy:<env> task, run by the step runner with the CLI it installs at the pinned version', () => {
    settings.environments.forEach((env, i) => {
      const script: string[] = deploySteps[i].script;
      const command = script.at(-1) as string;
      const prefix = `node .projen/oidc-step.js deploy ${env.name} -- `;
      expect(command.startsWith(prefix)).toBe(true);
      const task = tasks[`deploy:${env.name}`];
      expect(`cdk ${command.slice(prefix.length)}`).toBe(task.steps.at(-1).exec);
    });
    expect(files['.projen/oidc-step.js']).toContain(`"cliVersion": "${settings.cdkCliVersion}"`);
  });

  test('the CLI version is the one the project pins', () => {
    expect(files['package.json'].devDependencies['aws-cdk']).toBe(settings.cdkCliVersion);
  });

  test('every projen task the YAML calls exists', () => {
    const called = allScriptLines(doc).flatMap(projenTasksCalled);
    expect(called).toContain('build');
    for (const task of called) {
      expect(Object.keys(tasks)).toContain(task);
    }
  });

  test('one install and one synth per main-branch run, both in the build step, which publishes cdk.out', () => {
    const steps = main.map((i) => i.step);
    expect(steps.flatMap(installs)).toEqual(['npm ci']);
    expect(steps.flatMap(synths)).toEqual(['npx projen build']);
    expect(installs(steps[0])).toHaveLength(1);
    expect(steps[0].artifacts).toEqual(['cdk.out/**']);
    expect(steps[0].caches).toEqual(['npm']);
    expect(doc.definitions.caches.npm).toEqual({ key: { files: ['package-lock.json'] }, path: '~/.npm/_cacache' });
  });

  test('deploy steps neither install nor use caches', () => {
    for (const step of deploySteps) {
      expect(installs(step)).toEqual([]);
      expect(synths(step)).toEqual([]);
      expect(step.caches).toBeUndefined();
    }
  });

  test('no step line names the token or a token file: the runner keeps it outside $BITBUCKET_CLONE_DIR (oidc-step-runner.test.ts)', () => {
    for (const step of deploySteps) {
      expect(step.script.join('\n')).not.toMatch(/BITBUCKET_STEP_OIDC_TOKEN|AWS_WEB_IDENTITY_TOKEN_FILE/);
    }
    // The artifact glob cannot reach the runner's private directory either.
    expect(path.isAbsolute(main[0].step.artifacts[0])).toBe(false);
  });

  test('the pull-request pipeline builds, tests, synthesises and checks for stale files, then previews each environment', () => {
    const pr = doc.pipelines['pull-requests']['**'];
    expect(pr).toHaveLength(2);
    expect(pr[0].step.script.slice(0, 3)).toEqual(['export npm_config_yes=false', 'npm ci', 'npx projen build']);
    expect(pr[0].step.script[3]).toContain('git status --porcelain');
    // The previews read the build's assembly; an administrator reviews and deploys the OIDC trust from cdk.oidc.out.
    expect(pr[0].step.artifacts).toEqual(['cdk.out/**', 'cdk.oidc.out/**']);
    expect(pr[0].step.script).toEqual([...main[0].step.script, 'npx projen bitbucket:oidc:synth:app']);
    expect(pr[1].parallel.steps.map((s: any) => s.step.name)).toEqual(['Preview staging', 'Preview production']);
  });

  test('every preview and drift step assumes the read-only role of its environment\'s account, in its region', () => {
    const previews = doc.pipelines['pull-requests']['**'][1].parallel.steps.map((s: any) => s.step);
    const drifts = doc.pipelines.custom['drift-detection'][1].parallel.steps.map((s: any) => s.step);
    for (const steps of [previews, drifts]) {
      settings.environments.forEach((env, i) => {
        expect(exported(steps[i].script, 'AWS_ROLE_ARN')).toBe(env.previewRoleArn);
        expect(env.previewRoleArn).toBe(`arn:aws:iam::${env.account}:role/${settings.previewRoleName}`);
        expect(exported(steps[i].script, 'AWS_REGION')).toBe(env.region);
      });
    }
  });
});
