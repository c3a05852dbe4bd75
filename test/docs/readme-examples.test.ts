/**
 * README examples that change the generated pipeline, run as a user runs them
 * in `.projenrc.ts`, so the README stays right.
 */
import * as fs from 'fs';
import * as path from 'path';
import { javascript, JsonPatch, Project, Testing, typescript } from 'projen';
import * as ts from 'typescript';
import { BitbucketCdkApp, BitbucketCdkAppOptions, BitbucketPipelinesFile, StepSize } from '../../src';
import { parsePipelines, schemaErrors, stepsOf } from '../pipeline/pipeline-helpers';
import { newProject, tempDir, twoEnvironmentOptions } from '../util';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');

/** The TypeScript block that follows `<!-- README example: <name> ... -->`. */
function example(name: string): string {
  const match = new RegExp(`<!-- README example: ${name}\\b[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(README);
  if (!match) throw new Error(`README has no example "${name}"`);
  return match[1];
}

/** Runs an example's code against `project`, its `import` lines provided as the modules they name. */
function runExample(code: string, project: Project): void {
  const body = code.split('\n').filter((line) => !line.startsWith('import ')).join('\n');
  const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } }).outputText;
  new Function('project', 'JsonPatch', 'StepSize', 'BitbucketPipelinesFile', js)(project, JsonPatch, StepSize, BitbucketPipelinesFile);
}

/** A project whose main pipeline has a user step before and after the deploys. */
function projectWithUserSteps(options: Partial<BitbucketCdkAppOptions> = {}): BitbucketCdkApp {
  const project = newProject(twoEnvironmentOptions(options));
  project.pipelines.addStepsBeforeDeploy({ name: 'Integration tests', script: ['echo integ'] });
  project.pipelines.addStepsAfterDeploy({ name: 'Notify', script: ['echo done'] });
  return project;
}

/** Options written in an example as `.projenrc.ts` lists them (`key: value,` lines). */
function exampleOptions(name: string): Partial<BitbucketCdkAppOptions> {
  const js = ts.transpileModule(`export default {\n${example(name)}\n};`, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } }).outputText;
  const module = { exports: {} as any };
  new Function('module', 'exports', js)(module, module.exports);
  return module.exports.default;
}

describe('Docker image assets: the docker service in every deploy step', () => {
  const project = projectWithUserSteps(exampleOptions('docker-services'));
  const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
  const main = doc.pipelines.branches.main;

  test('the main pipeline stays a list of steps, valid against the official schema', () => {
    expect(Array.isArray(main)).toBe(true);
    expect(schemaErrors(doc)).toEqual([]);
  });

  test('every deploy step, and only the deploy steps, gets the docker service, with the memory of a 2x step', () => {
    const withDocker = stepsOf(main).map((s: any) => [s.name, s.services ?? []]);
    expect(withDocker).toEqual([
      ['Build, test and synthesise', []],
      ['Integration tests', []],
      ['Deploy staging', ['docker']],
      ['Deploy production', ['docker']],
      ['Notify', []],
    ]);
    expect(doc.definitions.services).toEqual({ docker: { memory: 7168 } });
  });
});

describe('steps by id, as the README shows', () => {
  const project = projectWithUserSteps();
  runExample(example('step-ids'), project);
  const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
  const steps = stepsOf(doc.pipelines.branches.main);

  test('changes the steps it names, in place, and adds a step after production', () => {
    expect(schemaErrors(doc)).toEqual([]);
    expect(steps.map((s: any) => s.name)).toEqual(['Build, test and synthesise', 'Integration tests', 'Deploy staging', 'Deploy production', 'Notify', 'Notify']);
    expect(steps[3]).toMatchObject({ 'max-time': 240, 'size': '2x', 'deployment': 'Production' });
    expect(steps[0].caches).toEqual(['npm', 'node']);
    expect(steps[4].script).toEqual(['./notify.sh']);
  });
});

test('any projen project: a TypeScriptProject gets a linted, schema-valid pipeline from BitbucketPipelinesFile', () => {
  const project = new typescript.TypeScriptProject({
    name: 'lib', defaultReleaseBranch: 'main', outdir: tempDir(), github: false, packageManager: javascript.NodePackageManager.NPM,
  });
  runExample(example('any-project'), project);
  const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
  expect(schemaErrors(doc)).toEqual([]);
  expect(doc.pipelines.branches.main[1].parallel).toMatchObject({ 'fail-fast': true });
  expect(doc.pipelines['pull-requests']['**'][0].step.name).toBe('Build and test');
});

describe('the escape hatch, as the README describes it', () => {
  test('every generated step sets its own size and max-time, so options.max-time would change nothing', () => {
    const doc = parsePipelines(Testing.synth(projectWithUserSteps())['bitbucket-pipelines.yml']);
    const generated = stepsOf(doc.pipelines.branches.main).filter((s: any) => !['Integration tests', 'Notify'].includes(s.name));
    expect(generated.length).toBeGreaterThan(0);
    for (const step of generated) {
      expect(step['max-time']).toEqual(expect.any(Number));
      expect(step.size).toEqual(expect.any(String));
    }
  });

  test('addOverride of a key of an object works: clone.depth', () => {
    const project = projectWithUserSteps();
    project.pipelines.file.addOverride('clone.depth', 'full');
    const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
    expect(doc.clone).toEqual({ depth: 'full' });
    expect(schemaErrors(doc)).toEqual([]);
  });

  test('a path through a branch the file does not have makes an object where Bitbucket expects a list', () => {
    const project = newProject(twoEnvironmentOptions({ defaultReleaseBranch: 'trunk' }));
    project.pipelines.file.addOverride('pipelines.branches.main.1.step.services', ['docker']);
    const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
    expect(doc.pipelines.branches.main).toEqual({ 1: { step: { services: ['docker'] } } });
    expect(schemaErrors(doc)).not.toEqual([]);
  });

  test('the Docker option follows another default branch', () => {
    const project = newProject(twoEnvironmentOptions({ ...exampleOptions('docker-services'), defaultReleaseBranch: 'trunk' }));
    const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
    expect(Object.keys(doc.pipelines.branches)).toEqual(['trunk']);
    expect(stepsOf(doc.pipelines.branches.trunk).map((s: any) => s.services ?? [])).toEqual([[], ['docker'], ['docker']]);
    expect(schemaErrors(doc)).toEqual([]);
  });
});
