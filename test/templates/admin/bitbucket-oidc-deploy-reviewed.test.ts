/**
 * The reviewed OIDC deploy's checks of a pull request's `cdk.oidc.out`
 * artifact, called in-process on a real synthesised OIDC assembly that each
 * test tampers with; and its order of work with a stand-in pre-flight and
 * CLI. The generated script in a hostile project: test/oidc/oidc-reviewed-deploy.test.ts.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { removeWorkDirs } from '../../support/generated-oidc-app';
import { oidcArtifact } from '../../support/oidc-assembly';
import { tempDir, twoEnvironmentOptions } from '../../util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require('../../../templates/admin/bitbucket-oidc-deploy-reviewed.js');

const STACK_NAME = 'bitbucket-oidc-my-app-3f0c9a42';
const A = '111111111111';
const ID = `BitbucketOidc-${A}`;
const EXPECTED = { stackNames: [STACK_NAME] };
const pristine = oidcArtifact(twoEnvironmentOptions());
afterAll(removeWorkDirs);

/** A fresh copy of the real artifact. */
function artifact(): string {
  const dir = path.join(tempDir('pbc-reviewed-'), 'cdk.oidc.out');
  fs.cpSync(pristine, dir, { recursive: true });
  return dir;
}
const readJson = (dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf-8'));
const writeJson = (dir: string, file: string, value: unknown) => fs.writeFileSync(path.join(dir, file), JSON.stringify(value));
function edit(dir: string, file: string, change: (doc: any) => void): void {
  const doc = readJson(dir, file);
  change(doc);
  writeJson(dir, file, doc);
}
const check = (dir: string, account = A, expected = EXPECTED) => () => script.checkReviewedAssembly(dir, account, expected);

describe('a real OIDC assembly', () => {
  test('is accepted, for each of its accounts: only OIDC stacks, whose one asset is their own template', () => {
    expect(script.checkReviewedAssembly(pristine, A, EXPECTED)).toBe(ID);
    expect(script.checkReviewedAssembly(pristine, '222222222222', EXPECTED)).toBe('BitbucketOidc-222222222222');
    // The premise: the default synthesizer uploads each template as a file asset.
    expect(Object.keys(readJson(pristine, `${ID}.assets.json`).files)).toHaveLength(1);
  });

  test('without a stack of the account: refused', () => {
    expect(check(pristine, '333333333333')).toThrow(`has no OIDC stack of account 333333333333 (it has ${ID}, BitbucketOidc-222222222222)`);
  });
});

describe('assets are refused', () => {
  test.each([
    ['a second file asset', (a: any) => { a.files.extra = { source: { path: 'asset.x.zip', packaging: 'file' }, destinations: {} }; }],
    ['a Docker image', (a: any) => { a.dockerImages.image = { source: { directory: 'asset.y' }, destinations: {} }; }],
    ['an executable source instead of the template', (a: any) => {
      const [k] = Object.keys(a.files);
      a.files[k].source = { executable: ['node', '-e', 'require("fs").writeFileSync("/tmp/x", "")'] };
    }],
    ['the template uploaded to another bucket', (a: any) => {
      const [k] = Object.keys(a.files);
      const [d] = Object.keys(a.files[k].destinations);
      a.files[k].destinations[d].bucketName = 'attacker-bucket';
    }],
  ])('%s', (_what, change) => {
    const dir = artifact();
    edit(dir, `${ID}.assets.json`, change);
    expect(check(dir)).toThrow(/it has assets besides its own template .*Refused: nothing was deployed and no AWS call was made/);
  });

  test('an asset folder in the assembly', () => {
    const dir = artifact();
    fs.mkdirSync(path.join(dir, 'asset.1234'));
    expect(check(dir)).toThrow(`${path.join(dir, 'asset.1234')} is a folder; an OIDC assembly holds only plain files`);
  });

  test('a symbolic link (e.g. a template pointing at a credentials file)', () => {
    const dir = artifact();
    fs.rmSync(path.join(dir, `${ID}.template.json`));
    fs.symlinkSync('/etc/hostname', path.join(dir, `${ID}.template.json`));
    expect(check(dir)).toThrow('is a symbolic link');
  });

  test('the deployment reading another object than the uploaded template (e.g. an older, wider one already in the bucket)', () => {
    const dir = artifact();
    const older = crypto.createHash('sha256').update('older template').digest('hex');
    edit(dir, 'manifest.json', (m) => {
      m.artifacts[ID].properties.stackTemplateAssetObjectUrl = `s3://cdk-hnb659fds-assets-${A}-eu-west-1/${older}.json`;
    });
    expect(check(dir)).toThrow(`its template would be read from "s3://cdk-hnb659fds-assets-${A}-eu-west-1/${older}.json"`);
  });

  test('a template edited after synthesis (its hash no longer the uploaded key)', () => {
    const dir = artifact();
    fs.appendFileSync(path.join(dir, `${ID}.template.json`), ' ');
    expect(check(dir)).toThrow('(the sha256 of BitbucketOidc-111111111111.template.json)');
  });
});

describe('unexpected stacks are refused', () => {
  test('a stack that is not an OIDC stack', () => {
    const dir = artifact();
    edit(dir, 'manifest.json', (m) => {
      m.artifacts.Evil = { ...m.artifacts[ID], displayName: 'Evil' };
    });
    expect(check(dir)).toThrow('Stack Evil of');
    expect(check(dir)).toThrow('not an OIDC stack');
  });

  test('another stack name (another project\'s OIDC stack, or an app stack)', () => {
    const dir = artifact();
    edit(dir, 'manifest.json', (m) => { m.artifacts[ID].properties.stackName = 'bitbucket-oidc-payments-3f0c9a42'; });
    expect(check(dir)).toThrow('its stack name "bitbucket-oidc-payments-3f0c9a42" is not the OIDC stack the main branch declares (bitbucket-oidc-my-app-3f0c9a42)');
    expect(check(dir)).toThrow('pass --stack-name <that name>');
    // The administrator states the new name of a renamed project.
    expect(script.checkReviewedAssembly(dir, A, { stackNames: [STACK_NAME, 'bitbucket-oidc-payments-3f0c9a42'] })).toBe(ID);
  });

  test('an OIDC stack ID pinned to another account', () => {
    const dir = artifact();
    edit(dir, 'manifest.json', (m) => { m.artifacts[ID].environment = 'aws://999999999999/eu-west-1'; });
    expect(check(dir)).toThrow('its environment "aws://999999999999/eu-west-1" is not account 111111111111');
  });

  test('a deploy or execution role that is not the account\'s bootstrap role', () => {
    const dir = artifact();
    edit(dir, 'manifest.json', (m) => {
      m.artifacts[ID].properties.cloudFormationExecutionRoleArn = `arn:\${AWS::Partition}:iam::${A}:role/AdminRole`;
    });
    expect(check(dir)).toThrow('its cloudFormationExecutionRoleArn');
  });

  test('a nested assembly, or any artifact type besides stacks, their assets and the tree', () => {
    const dir = artifact();
    edit(dir, 'manifest.json', (m) => { m.artifacts['assembly-x'] = { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-x' } }; });
    expect(check(dir)).toThrow('Artifact assembly-x of');
  });

  test('a dependency on another artifact', () => {
    const dir = artifact();
    edit(dir, 'manifest.json', (m) => { m.artifacts[ID].dependencies.push('BitbucketOidc-222222222222'); });
    expect(check(dir)).toThrow('it depends on "BitbucketOidc-222222222222"');
  });

  test('a manifest naming a file outside the folder', () => {
    const dir = artifact();
    edit(dir, 'manifest.json', (m) => { m.artifacts[ID].properties.templateFile = '../../home/admin/.aws/credentials'; });
    expect(check(dir)).toThrow('its templateFile is "../../home/admin/.aws/credentials", not a file of');
  });
});

describe('main', () => {
  /** A `.projen/` holding a stand-in pre-flight that "installs" a stand-in CLI recording each call (arguments, folder, what is in it). */
  function projenDir(): { here: string; record: string } {
    const root = tempDir('pbc-main-');
    const here = path.join(root, '.projen');
    const record = path.join(root, 'record');
    fs.mkdirSync(here);
    fs.mkdirSync(record);
    fs.writeFileSync(path.join(here, 'bitbucket-deploy-preflight.js'), [
      "const fs = require('fs'); const path = require('path');",
      'const args = process.argv.slice(2);',
      `fs.writeFileSync(${JSON.stringify(path.join(record, 'preflight.json'))}, JSON.stringify({ args, cwd: process.cwd() }));`,
      "const bin = path.join(args[args.indexOf('--install-into') + 1], 'cli/node_modules/aws-cdk/bin');",
      'fs.mkdirSync(bin, { recursive: true });',
      `fs.writeFileSync(path.join(bin, 'cdk'), ${JSON.stringify([
        "const fs = require('fs');",
        `fs.appendFileSync(${JSON.stringify(path.join(record, 'cdk.jsonl'))}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), files: fs.readdirSync('.') }) + '\\n');`,
      ].join('\n'))});`,
    ].join('\n'));
    return { here, record };
  }
  const calls = (record: string) => fs.existsSync(path.join(record, 'cdk.jsonl'))
    ? fs.readFileSync(path.join(record, 'cdk.jsonl'), 'utf-8').trim().split('\n').map((l) => JSON.parse(l)) : [];
  const GENERATED = { stackNames: [STACK_NAME], cliVersion: '2.1148.1', cliIntegrity: 'sha512-shipped' };
  const run = (args: string[], here: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = script.main(args, process.env, (l: string) => out.push(l), (l: string) => err.push(l), GENERATED, here);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('checks, installs the locked CLI through the pre-flight, then diff and deploy --require-approval broadening of the account\'s stack, in an empty folder', () => {
    const { here, record } = projenDir();
    const dir = artifact();
    const r = run(['--account', A, '--assembly', dir], here);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const preflight = JSON.parse(fs.readFileSync(path.join(record, 'preflight.json'), 'utf-8'));
    expect(preflight.cwd).toBe(path.dirname(here));
    // The deploy steps' CLI, its bytes required to match the integrity they require.
    expect(preflight.args).toEqual(['--environment', `oidc-${A}`, '--assembly', dir, '--cli-version', '2.1148.1', '--install-into', expect.any(String), '--cli-integrity', 'sha512-shipped']);
    const [diff, deploy, ...more] = calls(record);
    expect(more).toEqual([]);
    expect(diff.args).toEqual(['diff', '--app', dir, '--build', '', ID]);
    expect(deploy.args).toEqual(['deploy', '--app', dir, '--build', '', '--require-approval', 'broadening', ID]);
    // No cdk.json (app, build, plugins) of any checkout applies.
    expect(deploy.files).toEqual([]);
    expect(deploy.cwd.startsWith(path.dirname(here))).toBe(false);
  });

  test('--diff-only: no deploy', () => {
    const { here, record } = projenDir();
    expect(run(['--account', A, '--assembly', artifact(), '--diff-only'], here).code).toBe(0);
    expect(calls(record).map((c) => c.args[0])).toEqual(['diff']);
  });

  test('a refused artifact: exit 1, no pre-flight, no CLI', () => {
    const { here, record } = projenDir();
    const dir = artifact();
    fs.mkdirSync(path.join(dir, 'asset.1'));
    const r = run(['--account', A, '--assembly', dir], here);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is a folder');
    expect(fs.readdirSync(record)).toEqual([]);
  });

  test('the folder holding the unpacked artifact instead of the artifact: says which to name', () => {
    const { here } = projenDir();
    const dir = artifact();
    const r = run(['--account', A, '--assembly', path.dirname(dir)], here);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Did you mean --assembly ${dir}?`);
  });

  test.each([
    [['--assembly', 'x'], 'missing --account'],
    [['--account', '1234', '--assembly', 'x'], '--account must be a 12-digit AWS account ID, not "1234"'],
    [['--account', A, '--assembly', 'x', 'eyJhbGciOi.secret'], 'unknown or incomplete argument (not shown)'],
  ])('usage %j: exit 2', (args, message) => {
    const r = run(args, projenDir().here);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain('secret');
  });
});
