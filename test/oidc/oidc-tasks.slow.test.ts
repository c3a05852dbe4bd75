import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BitbucketCdkApp } from '../../src';
import { PRODUCTION_UUID, REPOSITORY_UUID, STAGING_UUID, twoEnvironmentOptions } from '../util';

/**
 * `npx projen bitbucket:oidc:synth` run in a project folder as an
 * administrator would, before `bitbucket:oidc:deploy`. The folder is under
 * test/.work/ so that the project resolves this repository's packages.
 *
 * The CDK CLI is not a dependency of this repository, so a stand-in `cdk`
 * does what `cdk synth --app <cmd> --output <dir>` does: run the app with
 * CDK_OUTDIR set. The app, its aws-cdk-lib synthesis and the task steps are
 * real; test/rehearsal runs the same task with the real CLI.
 */
const WORK_ROOT = path.join(__dirname, '..', '.work');
const REPO = path.join(__dirname, '..', '..');
const CDK_STAND_IN = `#!/usr/bin/env node
const { spawnSync } = require('child_process');
const path = require('path');
const args = process.argv.slice(2);
const value = (flag) => args[args.indexOf(flag) + 1];
if (args[0] !== 'synth') { console.error('stand-in cdk: synth only'); process.exit(3); }
const r = spawnSync(value('--app'), { shell: true, stdio: 'inherit', env: { ...process.env, CDK_OUTDIR: path.resolve(value('--output')) } });
process.exit(r.status === null ? 1 : r.status);
`;

const OPTIONS = twoEnvironmentOptions();
const SUB_KEY = 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc:sub';

describe('bitbucket:oidc:synth synthesises what .projenrc.ts defines, into a clean cdk.oidc.out', () => {
  let dir: string;
  let run: ReturnType<typeof spawnSync>;
  const widened = "subjectPattern: '*'";

  beforeAll(() => {
    fs.mkdirSync(WORK_ROOT, { recursive: true });
    dir = fs.mkdtempSync(path.join(WORK_ROOT, 'oidc-synth-'));
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
    // The project's .projenrc.ts: this repository's source, with the options of the project.
    fs.writeFileSync(path.join(dir, '.projenrc.ts'), [
      `import { BitbucketCdkApp } from ${JSON.stringify(path.join(REPO, 'src'))};`,
      `new BitbucketCdkApp(${JSON.stringify(OPTIONS)}).synth();`,
      '',
    ].join('\n'));
    const env = process.env.PROJEN_DISABLE_POST;
    process.env.PROJEN_DISABLE_POST = 'true';
    try {
      new BitbucketCdkApp({ ...OPTIONS, outdir: dir }).synth();
    } finally {
      if (env === undefined) delete process.env.PROJEN_DISABLE_POST;
      else process.env.PROJEN_DISABLE_POST = env;
    }

    // Someone widens the "read-only" trust by hand: every role would trust any subject.
    const config = path.join(dir, 'src', 'bitbucket-oidc', 'config.ts');
    fs.chmodSync(config, 0o644);
    fs.writeFileSync(config, fs.readFileSync(config, 'utf-8').replace(/subjectPattern: '[^']*'/g, widened));
    expect(fs.readFileSync(config, 'utf-8')).toContain(widened);
    // And an account removed since the last synthesis left its template behind.
    fs.mkdirSync(path.join(dir, 'cdk.oidc.out'));
    fs.writeFileSync(path.join(dir, 'cdk.oidc.out', 'BitbucketOidc-999999999999.template.json'), '{"Resources":{}}');

    const bin = fs.mkdtempSync(path.join(WORK_ROOT, 'bin-'));
    fs.writeFileSync(path.join(bin, 'cdk'), CDK_STAND_IN, { mode: 0o755 });
    run = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'projen', 'bin', 'projen'), 'bitbucket:oidc:synth'], {
      cwd: dir,
      encoding: 'utf-8',
      timeout: 170_000,
      // Transpile only: the type check of .projenrc.ts and of the OIDC app is not what is tested here.
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH}`, HOME: process.env.HOME, TS_NODE_TRANSPILE_ONLY: 'true', PROJEN_DISABLE_POST: 'true' },
    });
    fs.rmSync(bin, { recursive: true, force: true });
  }, 180_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the task succeeds', () => {
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/Error/);
    expect(run.status).toBe(0);
  });

  test('a hand-widened trust file does not reach the synthesised templates: the trust of .projenrc.ts does', () => {
    const subjects = ['111111111111', '222222222222'].flatMap((account) => {
      const template = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.oidc.out', `BitbucketOidc-${account}.template.json`), 'utf-8'));
      // The deploy roles; the read-only PreviewRole trusts every step of the repository by design.
      return Object.entries<any>(template.Resources)
        .filter(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('DeployRole'))
        .map(([, r]) => r.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringLike[SUB_KEY]);
    });
    expect(subjects).toEqual([`{${REPOSITORY_UUID}}*{${STAGING_UUID}}:*`, `{${REPOSITORY_UUID}}*{${PRODUCTION_UUID}}:*`]);
    // The file itself is generated again.
    expect(fs.readFileSync(path.join(dir, 'src', 'bitbucket-oidc', 'config.ts'), 'utf-8')).not.toContain(widened);
  });

  test('templates of accounts no longer configured are gone', () => {
    const templates = fs.readdirSync(path.join(dir, 'cdk.oidc.out')).filter((f) => f.endsWith('.template.json')).sort();
    expect(templates).toEqual(['BitbucketOidc-111111111111.template.json', 'BitbucketOidc-222222222222.template.json']);
  });
});
