/**
 * docs/platform-teams.md, fast: the guide's preset class and a repository's
 * `.projenrc.ts`, run in-process against this repository's source, and the
 * versions the guide pins. The slow test/e2e/preset.test.ts runs the same
 * blocks as a person would (install, jsii, pack, projen new).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import * as ts from 'typescript';
import * as src from '../../src';
import { guideBlock, installedVersion, peerRange } from '../e2e/preset-guide';
import { tempDir } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf-8'));

/** Evaluates a TypeScript block as a CommonJS module whose imports are the given modules. */
function evaluate(code: string, modules: Record<string, unknown>): any {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } }).outputText;
  const module = { exports: {} as any };
  const requireShim = (name: string) => {
    if (!(name in modules)) throw new Error(`the guide's block imports ${name}, which this test does not provide`);
    return modules[name];
  };
  new Function('require', 'exports', 'module', js)(requireShim, module.exports, module);
  return module.exports;
}

/** The guide's preset module, its `projen-bitbucket-cdk` being this repository's source. */
function presetModule(): any {
  return evaluate(guideBlock('preset/src/index.ts'), { 'projen-bitbucket-cdk': src, './acme-app-options': {} });
}

/** The guide's repository `.projenrc.ts`, built (not synthesised) into a fresh folder. */
function repository(): src.BitbucketCdkApp {
  const { AcmeApp } = presetModule();
  const outdir = tempDir();
  // Every project of the block lands in the temporary folder, never in this repository (same class name).
  const InTemp = {
    [AcmeApp.name]: class extends AcmeApp {
      constructor(options: any) { super({ ...options, outdir }); }
    },
  }[AcmeApp.name];
  const rc = guideBlock('app/.projenrc.ts');
  expect(rc).toMatch(/\nproject\.synth\(\);\n$/);
  return evaluate(rc.replace(/\nproject\.synth\(\);\n$/, '\nmodule.exports.project = project;\n'), { '@acme/projen-preset': { AcmeApp: InTemp } }).project;
}

describe('the guide\'s preset and repository, run against this package', () => {
  const project = repository();
  const files = Testing.synth(project);

  test('the preset\'s class extends BitbucketCdkApp; the repository gives only its UUIDs, by environment name', () => {
    expect(project).toBeInstanceOf(src.BitbucketCdkApp);
    const config: string = files['src/bitbucket-oidc/config.ts'];
    expect(config).toContain("deploymentUuid: 'a1b2c3d4-0000-4000-8000-000000000001'");
    expect(config).toContain("deploymentUuid: 'a1b2c3d4-0000-4000-8000-000000000002'");
    expect(project.settings.environments.map((e) => [e.name, e.account])).toEqual([['staging', '111111111111'], ['production', '222222222222']]);
  });

  test('every account imports the provider, which the platform team creates with the task the guide names', () => {
    expect(files['src/bitbucket-oidc/config.ts'].match(/providerExists: true/g)).toHaveLength(2);
    const tasks = files['.projen/tasks.json'].tasks;
    for (const account of ['111111111111', '222222222222']) expect(tasks[`bitbucket:oidc:provider:deploy:${account}`]).toBeDefined();
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'platform-teams.md'), 'utf-8')).toContain('npx projen bitbucket:oidc:provider:deploy:333333333333');
  });

  test('the preset\'s step runs after the deploys; the README says the defaults come from AcmeApp', () => {
    const pipeline: string = files['bitbucket-pipelines.yml'];
    expect(pipeline.indexOf('name: Notify')).toBeGreaterThan(pipeline.indexOf('name: Deploy production'));
    expect(files['README.md']).toContain('This repository was made from `AcmeApp`');
  });
});

describe('the versions the guide pins', () => {
  test('projen: the one this package builds with, in the first build and in projen new', () => {
    const projen = manifest(path.join(ROOT, 'node_modules', 'projen')).version;
    expect(installedVersion('projen')).toBe(projen);
    expect(peerRange('projen')).toBe(`>=${projen} <0.104.0`);
    expect(guideBlock('app/new')).toContain(`npx -y projen@${projen} new --from "@acme/projen-preset@file:`);
    expect(guideBlock('app/new')).toContain(`--projen-version ${projen}`);
  });

  test('constructs: the peer\'s floor is the constructs projen carries, so jsii sees one copy', () => {
    const carried = manifest(path.join(ROOT, 'node_modules', 'constructs')).version;
    expect(installedVersion('constructs')).toBe(carried);
    expect(peerRange('constructs')).toBe(`^${carried}`);
    // projen's own range admits it.
    const projenRange: string = manifest(path.join(ROOT, 'node_modules', 'projen')).dependencies.constructs;
    expect(projenRange).toMatch(/^\^10\.\d+\.\d+$/);
    expect(Number(carried.split('.')[1])).toBeGreaterThanOrEqual(Number(projenRange.split('.')[1]));
  });

  test('projen-bitbucket-cdk: the peer range starts at the version installed for the first synthesis', () => {
    expect(peerRange('projen-bitbucket-cdk')).toBe(`^${installedVersion('projen-bitbucket-cdk')}`);
  });

  test('@mrgrain/jsii-struct-builder: the version this package uses', () => {
    const used = manifest(ROOT).devDependencies['@mrgrain/jsii-struct-builder'];
    expect(installedVersion('@mrgrain/jsii-struct-builder')).toBe(used);
    expect(guideBlock('preset/.projenrc.ts')).toContain(`'@mrgrain/jsii-struct-builder@^${used}'`);
  });

  test('the preset spells out projenrcTs, npm and no GitHub', () => {
    const rc = guideBlock('preset/.projenrc.ts');
    expect(rc).toContain('new cdk.JsiiProject({');
    expect(rc).toContain('projenrcTs: true,');
    expect(rc).toContain('packageManager: javascript.NodePackageManager.NPM,');
    expect(rc).toContain('github: false,');
  });
});
