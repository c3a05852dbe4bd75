/**
 * README examples that change the generated pipeline, run as a user runs them
 * in `.projenrc.ts`, so the README stays right.
 */
import * as fs from 'fs';
import * as path from 'path';
import { JsonPatch, Testing } from 'projen';
import * as ts from 'typescript';
import { BitbucketCdkApp } from '../../src';
import { parsePipelines, schemaErrors, stepsOf } from '../pipeline/pipeline-helpers';
import { newProject, twoEnvironmentOptions } from '../util';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');

/** The TypeScript block that follows `<!-- README example: <name> ... -->`. */
function example(name: string): string {
  const match = new RegExp(`<!-- README example: ${name}\\b[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(README);
  if (!match) throw new Error(`README has no example "${name}"`);
  return match[1];
}

/** Runs an example's code against `project`, its `import` lines provided as the modules they name. */
function runExample(code: string, project: BitbucketCdkApp): void {
  const body = code.split('\n').filter((line) => !line.startsWith('import ')).join('\n');
  const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } }).outputText;
  new Function('project', 'JsonPatch', js)(project, JsonPatch);
}

/** A project whose main pipeline has a user step before and after the deploys. */
function projectWithUserSteps(): BitbucketCdkApp {
  const project = newProject(twoEnvironmentOptions());
  project.pipelines.addStepsBeforeDeploy({ name: 'Integration tests', script: ['echo integ'] });
  project.pipelines.addStepsAfterDeploy({ name: 'Notify', script: ['echo done'] });
  return project;
}

describe('Docker image assets: the docker service in every deploy step', () => {
  const project = projectWithUserSteps();
  runExample(example('docker-services'), project);
  const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
  const main = doc.pipelines.branches.main;

  test('the main pipeline stays a list of steps, valid against the official schema', () => {
    expect(Array.isArray(main)).toBe(true);
    expect(schemaErrors(doc)).toEqual([]);
  });

  test('every deploy step, and only the deploy steps, gets the docker service', () => {
    const withDocker = stepsOf(main).map((s: any) => [s.name, s.services ?? []]);
    expect(withDocker).toEqual([
      ['Build, test and synthesise', []],
      ['Integration tests', []],
      ['Deploy staging', ['docker']],
      ['Deploy production', ['docker']],
      ['Notify', []],
    ]);
  });
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

  test('the Docker example follows another default branch', () => {
    const project = newProject(twoEnvironmentOptions({ defaultReleaseBranch: 'trunk' }));
    runExample(example('docker-services'), project);
    const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
    expect(Object.keys(doc.pipelines.branches)).toEqual(['trunk']);
    expect(stepsOf(doc.pipelines.branches.trunk).map((s: any) => s.services ?? [])).toEqual([[], ['docker'], ['docker']]);
    expect(schemaErrors(doc)).toEqual([]);
  });
});
