import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { baseOptions, newProject } from './util';

const SOURCE = fs.readFileSync(path.join(__dirname, '..', 'src', 'cdk-app-common-options.ts'), 'utf-8');
const declared = new Set([...SOURCE.matchAll(/^ {2}readonly (\w+)\??:/gm)].map((m) => m[1]));

test('options that do nothing on Bitbucket are not offered (GitHub, mergify, auto-approve, release workflows, other package managers)', () => {
  const withoutEffect = ['github', 'githubOptions', 'autoMerge', 'autoApproveUpgrades', 'buildWorkflow', 'pullRequestTemplate', 'stale',
    'release', 'releaseTrigger', 'releaseWorkflowName', 'publishTasks', 'packageManager', 'pnpmVersion', 'yarnBerryOptions', 'bunVersion'];
  expect(withoutEffect.filter((o) => declared.has(o))).toEqual([]);
  // What the project does use stays.
  expect(['workflowNodeVersion', 'depsUpgrade', 'cdkVersion', 'cdkout', 'jestOptions', 'deps'].filter((o) => !declared.has(o))).toEqual([]);
});

test('an untyped caller passing them anyway gets no GitHub files and npm', () => {
  const files = Testing.synth(newProject(baseOptions({ github: true, pullRequestTemplate: true } as any)));
  expect(Object.keys(files).filter((f) => f.startsWith('.github/') || f === '.mergify.yml')).toEqual([]);
  expect(files['.projen/tasks.json'].tasks.install.steps[0].exec).toMatch(/^npm /);
});
