import { javascript, typescript } from 'projen';
import { Testing } from 'projen/lib/testing';
import { BitbucketPipelinesFile } from '../../src/pipeline/bitbucket-pipelines-file';
import { StepSize, StepTrigger } from '../../src/pipeline/configuration-model';
import { tempDir } from '../util';
import { parsePipelines, schemaErrors } from './pipeline-helpers';

function tsProject(): typescript.TypeScriptProject {
  return new typescript.TypeScriptProject({
    name: 'a-library',
    defaultReleaseBranch: 'main',
    outdir: tempDir(),
    github: false,
    packageManager: javascript.NodePackageManager.NPM,
  });
}

function yamlOf(project: typescript.TypeScriptProject | javascript.NodeProject): any {
  return parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
}

describe('BitbucketPipelinesFile in a plain projen TypeScriptProject', () => {
  function fullProject() {
    const project = tsProject();
    const file = new BitbucketPipelinesFile(project, {
      image: { name: 'node:22' },
      clone: { depth: 10 },
      options: { maxTime: 30, size: StepSize.SIZE_1X, runsOn: ['self.hosted', 'linux'] },
    });
    file.addCache('npm', { path: '~/.npm/_cacache', keyFiles: ['package-lock.json'] });
    file.addService('docker', { memory: 2048 });
    file.addService('postgres', { image: { name: 'postgres:16' }, variables: { POSTGRES_PASSWORD: 'test' } });
    const main = file.branchPipeline('main');
    main.addStep('build', { name: 'Build', script: ['export npm_config_yes=false', 'npm ci', 'npx projen build'], caches: ['npm'], artifacts: { paths: ['dist/**'] } });
    main.addParallel('checks', {
      failFast: true,
      steps: [
        { id: 'unit', step: { name: 'Unit', script: ['export npm_config_yes=false', 'npm ci', 'npx projen test'], services: ['postgres'] } },
        { id: 'image', step: { name: 'Image', script: ['docker build .'], services: ['docker'], size: StepSize.SIZE_2X, maxTime: 20 } },
      ],
    });
    main.addStage('release', {
      name: 'Release',
      deployment: 'Production',
      trigger: StepTrigger.MANUAL,
      steps: [{ id: 'publish', step: { name: 'Publish', script: ['npm publish'], afterScript: ['echo done'], oidc: true, concurrencyGroup: 'release' } }],
    });
    file.pullRequestPipeline('**').addStep('pr-build', {
      name: 'PR build', script: ['export npm_config_yes=false', 'npm ci', 'npx projen build'], condition: { changesets: { includePaths: ['src/**'] } },
    });
    file.tagPipeline('v*').addStep('tag', { name: 'Tag', script: ['echo tagged'], runsOn: ['self.hosted'] });
    file.defaultPipeline().addStep('default', { script: ['export npm_config_yes=false', 'npm ci', 'npx projen test'] });
    file.customPipeline('nightly', { variables: [{ name: 'LEVEL', defaultValue: 'full', allowedValues: ['full', 'quick'] }] })
      .addStep('nightly', { name: 'Nightly', script: ['echo $LEVEL'] });
    return { project, file };
  }

  test('writes a schema-valid file with every part of the model in Bitbucket\'s keys', () => {
    const doc = yamlOf(fullProject().project);
    expect(schemaErrors(doc)).toEqual([]);
    expect(doc.image).toBe('node:22');
    expect(doc.options).toEqual({ 'max-time': 30, 'size': '1x', 'runs-on': ['self.hosted', 'linux'] });
    expect(doc.definitions.services.docker).toEqual({ memory: 2048 });
    const main = doc.pipelines.branches.main;
    expect(main.map((i: any) => Object.keys(i)[0])).toEqual(['step', 'parallel', 'stage']);
    expect(main[1].parallel['fail-fast']).toBe(true);
    expect(main[1].parallel.steps.map((s: any) => s.step.name)).toEqual(['Unit', 'Image']);
    expect(main[1].parallel.steps[1].step).toMatchObject({ 'size': '2x', 'max-time': 20, 'services': ['docker'] });
    expect(main[2].stage).toMatchObject({ name: 'Release', deployment: 'Production', trigger: 'manual' });
    expect(main[2].stage.steps[0].step).toMatchObject({ 'oidc': true, 'concurrency-group': 'release', 'after-script': ['echo done'] });
    expect(doc.pipelines['pull-requests']['**'][0].step.condition).toEqual({ changesets: { includePaths: ['src/**'] } });
    expect(doc.pipelines.tags['v*'][0].step['runs-on']).toEqual(['self.hosted']);
    expect(doc.pipelines.default[0].step.script).toEqual(['export npm_config_yes=false', 'npm ci', 'npx projen test']);
    expect(doc.pipelines.custom.nightly[0]).toEqual({ variables: [{ 'name': 'LEVEL', 'default': 'full', 'allowed-values': ['full', 'quick'] }] });
  });

  test('steps are found, updated, inserted next to and removed by id', () => {
    const { project, file } = fullProject();
    expect(file.findStep('image')?.name).toBe('Image');
    file.updateStep('image', { ...file.findStep('image')!, size: StepSize.SIZE_4X });
    file.branchPipeline('main').addStep('lint', { name: 'Lint', script: ['export npm_config_yes=false', 'npm ci', 'npx eslint .'] }, { before: 'checks' });
    file.branchPipeline('main').addStep('audit', { name: 'Audit', script: ['npm audit'] }, { after: 'unit' });
    file.removeStep('unit');
    file.removeStep('release');
    expect(file.branchPipeline('main').itemIds()).toEqual(['build', 'lint', 'checks', 'audit']);
    const main = yamlOf(project).pipelines.branches.main;
    expect(main.map((i: any) => i.step?.name ?? i.parallel.steps.map((s: any) => s.step.name).join('+'))).toEqual(['Build', 'Lint', 'Image', 'Audit']);
    expect(main[2].parallel.steps[0].step.size).toBe('4x');
    // A set whose last step goes goes too; its id is free again.
    file.removeStep('image');
    expect(file.branchPipeline('main').itemIds()).toEqual(['build', 'lint', 'audit']);
    file.branchPipeline('main').addStep('checks', { script: ['true'] });
  });

  test('ids are unique in the whole file; unknown ids are errors that list the known ones', () => {
    const { file } = fullProject();
    expect(() => file.tagPipeline('v*').addStep('build', { script: ['true'] })).toThrow(/id "build" is already used/);
    expect(() => file.updateStep('nope', { script: ['true'] })).toThrow(/no step, parallel set or stage has the id "nope"; ids: .*build/);
    expect(() => file.removeStep('nope')).toThrow(/"nope"/);
    expect(() => file.branchPipeline('main').addStep('x', { script: ['true'] }, { before: 'nope' })).toThrow(/no item or step "nope".*ids here: build, checks, release/);
    // A failed add claims no id.
    file.branchPipeline('main').addStep('x', { script: ['true'] });
  });

  test('one file per project', () => {
    const { project, file } = fullProject();
    expect(BitbucketPipelinesFile.of(project)).toBe(file);
    expect(() => new BitbucketPipelinesFile(project)).toThrow(/already has a bitbucket-pipelines.yml/);
  });

  test('the lints run on what the model holds and name the 0-based YAML path', () => {
    const project = tsProject();
    const file = new BitbucketPipelinesFile(project);
    file.branchPipeline('main').addStep('build', { script: ['export npm_config_yes=false', 'npm ci', 'npx projen build'] });
    file.branchPipeline('main').addStep('deploy', { name: 'Deploy', script: ['export npm_config_yes=false', 'npm ci', 'npx cdk deploy'] });
    file.branchPipeline('main').addStep('nope', { name: 'Nope', script: ['export npm_config_yes=false', 'npm ci', 'npx projen no-such-task'] });
    expect(() => Testing.synth(project)).toThrow(/pipelines\.branches\.main\[1\]\.step \("Deploy"\): runs "cdk deploy" without "oidc: true"[\s\S]*main\[2\]\.step \("Nope"\): calls the projen task "no-such-task"/);
  });

  test('usable in a NodeProject too', () => {
    const project = new javascript.NodeProject({ name: 'svc', defaultReleaseBranch: 'main', outdir: tempDir(), github: false, packageManager: javascript.NodePackageManager.NPM });
    new BitbucketPipelinesFile(project).branchPipeline('main').addStep('test', { script: ['npm ci', 'npm test'] });
    const doc = yamlOf(project);
    expect(schemaErrors(doc)).toEqual([]);
    expect(doc.pipelines.branches.main[0].step.script).toEqual(['npm ci', 'npm test']);
  });
});

describe('lints of parallel sets and services', () => {
  function lintOf(build: (file: BitbucketPipelinesFile) => void): () => void {
    const project = tsProject();
    const file = new BitbucketPipelinesFile(project);
    file.branchPipeline('main').addStep('first', { script: ['true'] });
    build(file);
    return () => Testing.synth(project);
  }

  test('a manual step inside a parallel set is refused', () => {
    expect(lintOf((f) => f.branchPipeline('main').addParallel('p', {
      steps: [{ id: 'a', step: { script: ['true'], trigger: StepTrigger.MANUAL } }, { id: 'b', step: { script: ['true'] } }],
    }))).toThrow(/main\[1\]\.parallel\.steps\[0\]\.step: "trigger: manual" on a step inside a parallel set/);
  });

  test('services must be defined and fit the step size', () => {
    expect(lintOf((f) => f.branchPipeline('main').addStep('s', { script: ['true'], services: ['redis'] })))
      .toThrow(/main\[1\]\.step: uses the service "redis", which is not under definitions.services/);
    expect(lintOf((f) => {
      f.addService('docker', { memory: 4096 });
      f.branchPipeline('main').addStep('s', { script: ['docker build .'], services: ['docker'] });
    })).toThrow(/its services need 4096 MB, a 1x step leaves 3072 MB/);
    // The same memory fits a 2x step.
    expect(lintOf((f) => {
      f.addService('docker', { memory: 4096 });
      f.branchPipeline('main').addStep('s', { script: ['docker build .'], services: ['docker'], size: StepSize.SIZE_2X });
    })).not.toThrow();
  });
});
