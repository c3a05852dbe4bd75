/**
 * docs/platform-teams.md, fast: the guide's preset class and a repository's
 * `.projenrc.ts`, run in-process against this repository's source, and the
 * versions the guide pins. The slow test/e2e/preset.test.ts runs the same
 * blocks as a person would (install, jsii, pack, projen new).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Logger } from 'projen';
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

/** The guide's repository `.projenrc.ts`, built (not synthesised) into `outdir`, from the given preset source. */
function repository(presetSource = guideBlock('preset/src/index.ts'), outdir = tempDir()): src.BitbucketCdkApp {
  const { AcmeApp } = evaluate(presetSource, { 'projen-bitbucket-cdk': src, './acme-app-options': {} });
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

test('a repository that deploys to only one of the preset\'s accounts: the other listed account is a warning, not an error', () => {
  const { AcmeApp } = evaluate(guideBlock('preset/src/index.ts'), { 'projen-bitbucket-cdk': src, './acme-app-options': {} });
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  try {
    const project = new AcmeApp({
      outdir: tempDir(),
      bitbucketRepositoryUuid: '{3f0c9a42-5678-4e1f-8a3b-fedcba987654}',
      deployEnvironments: [{ name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging' }],
    });
    expect(project.settings.oidcAccounts.map((a: any) => [a.account, a.providerExists])).toEqual([['111111111111', true]]);
    expect(warn.mock.calls.map((c) => c.join(' ')).join('\n')).toContain('oidcProviderExistsInAccounts[1]: no environment deploys to');
  } finally {
    warn.mockRestore();
  }
});

describe('the preset\'s next version adds an environment in a new account (guide, "Rolling out a new account")', () => {
  /** The guide's preset with an environment `qa` in account 333333333333 and that account's provider listed. */
  const nextVersion = guideBlock('preset/src/index.ts')
    .replace("        { name: 'production',", "        { name: 'qa', account: '333333333333', region: 'eu-central-1', bitbucketDeployment: 'Test' },\n        { name: 'production',")
    .replace("oidcProviderExistsInAccounts: ['111111111111', '222222222222']", "oidcProviderExistsInAccounts: ['111111111111', '222222222222', '333333333333']");

  /** Two `npx projen` runs of the repository in one folder (no install): with the preset, then with its next version. */
  function upgrade(): { project: src.BitbucketCdkApp; warnings: string } {
    const outdir = tempDir();
    const saved = process.env.PROJEN_DISABLE_POST;
    process.env.PROJEN_DISABLE_POST = 'true';
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      repository(undefined, outdir).synth();
      warn.mockClear();
      const project = repository(nextVersion, outdir);
      project.synth();
      return { project, warnings: warn.mock.calls.map((c) => c.join(' ')).join('\n') };
    } finally {
      warn.mockRestore();
      if (saved === undefined) delete process.env.PROJEN_DISABLE_POST;
      else process.env.PROJEN_DISABLE_POST = saved;
    }
  }

  const { project, warnings } = upgrade();

  test('the repository gets it without restating anything: its .projenrc.ts is unchanged, its UUIDs still apply', () => {
    expect(nextVersion).not.toBe(guideBlock('preset/src/index.ts'));
    expect(project.settings.environments.map((e) => [e.name, e.bitbucketDeploymentUuid])).toEqual([
      ['staging', 'a1b2c3d4-0000-4000-8000-000000000001'],
      ['qa', undefined],
      ['production', 'a1b2c3d4-0000-4000-8000-000000000002'],
    ]);
    // The new environment has no UUID in this repository yet: the usual warning says where to find it.
    expect(warnings).toMatch(/not set for "qa"/);
  });

  test('the one `npx projen` that makes the change says what AWS needs first, in the guide\'s order: bootstrap, provider, roles', () => {
    expect(warnings).toContain('Before merging this change');
    expect(warnings).toContain('npx cdk bootstrap aws://333333333333/eu-central-1');
    expect(warnings).toContain('npx projen bitbucket:oidc:provider:deploy:333333333333');
    // The roles come from the pull request's reviewed cdk.oidc.out, deployed from a checkout of main (guide, step 3).
    expect(warnings).toContain('node .projen/bitbucket-oidc-deploy-reviewed.js --account 333333333333 --assembly');
    const order = ['npx cdk bootstrap aws://333333333333', 'bitbucket:oidc:provider:deploy:333333333333', 'bitbucket-oidc-deploy-reviewed.js --account 333333333333'].map((c) => warnings.indexOf(c));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe('the versions the guide pins', () => {
  test('projen: the one this package builds with, in the first build and in projen new', () => {
    const projen = manifest(path.join(ROOT, 'node_modules', 'projen')).version;
    expect(installedVersion('projen')).toBe(projen);
    expect(peerRange('projen')).toBe(`>=${projen} <1.0.0`);
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
