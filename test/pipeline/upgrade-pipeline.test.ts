import { Testing } from 'projen/lib/testing';
import { parsePipelines, schemaErrors } from './pipeline-helpers';
import { UpgradePipeline } from '../../src';
import { lintConfiguration } from '../../src/pipeline/pipeline-lints';
import { baseOptions, newProject, tasks } from '../util';

function upgradeSteps(files: Record<string, any>): any[] {
  const custom = parsePipelines(files['bitbucket-pipelines.yml']).pipelines.custom ?? {};
  return (custom[UpgradePipeline.PIPELINE_NAME] ?? []).map((item: any) => item.step);
}

describe('upgrade-dependencies custom pipeline', () => {
  test('by default: one step that installs, runs the upgrade task, builds, and pushes a deps/ branch only when something changed', () => {
    const project = newProject(baseOptions());
    const files = Testing.synth(project);
    const [step, ...rest] = upgradeSteps(files);
    expect(rest).toEqual([]);
    const script: string[] = step.script;
    // The task it runs is the one projen's depsUpgrade defines.
    expect(tasks(files).upgrade).toBeDefined();
    expect(script.slice(0, 3)).toEqual(['npm ci', 'npx projen upgrade', 'npx projen build']);
    const status = script.findIndex((l) => l.startsWith('changes="$(git status --porcelain)" ||') && l.includes('exit 1'));
    const noChange = script.findIndex((l) => l.includes('-z "$changes"') && l.includes('exit 0'));
    expect(status).toBe(noChange - 1);
    const push = script.findIndex((l) => l.startsWith('git push'));
    expect(noChange).toBeGreaterThan(2);
    expect(push).toBeGreaterThan(noChange);
    expect(script).toContain('branch=deps/upgrade-"${BITBUCKET_BUILD_NUMBER:?}"');
    expect(script[push]).toBe('git push origin "$branch"');
    // The only push, and no line names the main branch as a target.
    expect(script.filter((l) => /\bgit\s+push\b/.test(l))).toHaveLength(1);
    expect(script.join('\n')).not.toMatch(/\bmain\b|HEAD:/);
    expect(step.caches).toEqual(['npm']);
    expect(step.oidc).toBeUndefined();
    expect(step.deployment).toBeUndefined();
  });

  test('the file stays valid: schema and Bitbucket lints', () => {
    const project = newProject(baseOptions());
    const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
    expect(schemaErrors(doc)).toEqual([]);
    expect(lintConfiguration(project.pipelines.configuration(), (t) => project.tasks.tryFind(t) !== undefined)).toEqual([]);
  });

  test('upgradePipeline: false, or no upgrade task, leaves it out', () => {
    expect(newProject(baseOptions({ upgradePipeline: false })).upgradePipeline).toBeUndefined();
    const withoutTask = newProject(baseOptions({ depsUpgrade: false }));
    expect(withoutTask.upgradePipeline).toBeUndefined();
    expect(upgradeSteps(Testing.synth(withoutTask))).toEqual([]);
  });

  test('asking for it without an upgrade task is an error that names both options', () => {
    expect(() => newProject(baseOptions({ depsUpgrade: false, upgradePipeline: true }))).toThrow(/upgradePipeline: true[\s\S]*depsUpgrade/);
  });

  test('a renamed upgrade task is the one the pipeline runs', () => {
    const project = newProject(baseOptions({ depsUpgradeOptions: { taskName: 'bump' } }));
    expect(upgradeSteps(Testing.synth(project))[0].script[1]).toBe('npx projen bump');
  });

  test('a branch prefix that could name the main branch is refused', () => {
    const project = newProject(baseOptions({ upgradePipeline: false, defaultReleaseBranch: 'deps/upgrade-main' }));
    expect(() => new UpgradePipeline(project, {
      pipelines: project.pipelines, settings: project.settings, upgradeTask: project.upgradeWorkflow!.upgradeTask!,
    })).toThrow(/cannot name the main branch/);
    expect(() => new UpgradePipeline(project, {
      pipelines: project.pipelines, settings: project.settings, upgradeTask: project.upgradeWorkflow!.upgradeTask!, branchPrefix: 'nodash',
    })).toThrow(/branchPrefix/);
  });
});
