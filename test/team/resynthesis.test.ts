/**
 * `npx projen` on an existing checkout: a re-run with unchanged options
 * changes no byte; a changed option changes exactly the generated files that
 * depend on it; files the user owns are never touched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BitbucketCdkAppOptions, DeployEnvironment } from '../../src';
import { tempDir, twoEnvironmentOptions } from '../util';
import { changedPaths, readTree, synthInto } from './workspace';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function freshDir(): string {
  const dir = tempDir('pbc-resynth-');
  dirs.push(dir);
  return dir;
}

const base = twoEnvironmentOptions();
const [staging, production] = base.deployEnvironments!;
function withEnvironments(...deployEnvironments: DeployEnvironment[]): BitbucketCdkAppOptions {
  return twoEnvironmentOptions({ deployEnvironments });
}

/** What the user writes or edits after `projen new`: their app, their test, their own stack. */
const USER_EDITS: Record<string, string> = {
  'src/main.ts': '// edited by the user\nimport { App } from \'aws-cdk-lib\';\nnew App().synth();\n',
  'test/main.test.ts': '// edited by the user\ntest(\'x\', () => expect(1).toBe(1));\n',
  'src/stacks/orders-stack.ts': '// written by the user\nexport const ORDERS = 1;\n',
};

function editAsUser(dir: string): void {
  for (const [file, text] of Object.entries(USER_EDITS)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}

function withoutScripts(json: Buffer): unknown {
  const { scripts, ...rest } = JSON.parse(json.toString('utf-8'));
  return rest;
}

test('a second synthesis with unchanged options changes no byte of any file', () => {
  const dir = freshDir();
  synthInto(dir, base);
  const first = readTree(dir);
  expect(first.has('bitbucket-pipelines.yml')).toBe(true);
  expect(first.has('src/bitbucket-oidc/config.ts')).toBe(true);
  synthInto(dir, base);
  expect(changedPaths(first, readTree(dir))).toEqual([]);
});

// Each change, and exactly the files it must change. package.json changes only
// in `scripts` (projen mirrors every task there); tasks.json gains or renames
// deploy:<env> and bitbucket:oidc:deploy:<account> tasks; the generation record follows
// environments and accounts.
const CHANGES: Array<[string, BitbucketCdkAppOptions, string[]]> = [
  ['adding an environment in a new account', withEnvironments(staging, production, { name: 'dev', account: '333333333333', region: 'eu-west-1' }), [
    '.projen/bitbucket-cdk-generation.json', '.projen/bitbucket-oidc-doctor.js', '.projen/tasks.json', 'bitbucket-pipelines.yml', 'package.json',
    'src/bitbucket-oidc/config.ts', 'src/deploy-environments.ts',
  ]],
  ['turning on manual approval', withEnvironments({ ...staging, manualApproval: true }, production), [
    'bitbucket-pipelines.yml',
  ]],
  ['moving an environment to another account', withEnvironments({ ...staging, account: '444444444444' }, production), [
    '.projen/bitbucket-cdk-generation.json', '.projen/bitbucket-oidc-doctor.js', '.projen/tasks.json', 'bitbucket-pipelines.yml', 'package.json',
    'src/bitbucket-oidc/config.ts', 'src/deploy-environments.ts',
  ]],
];

describe.each(CHANGES)('%s', (_name, changed, expected) => {
  const dir = freshDir();
  let before: Map<string, Buffer>;
  let after: Map<string, Buffer>;

  beforeAll(() => {
    synthInto(dir, base);
    editAsUser(dir);
    before = readTree(dir);
    synthInto(dir, changed);
    after = readTree(dir);
  });

  test('changes exactly the files that depend on it', () => {
    expect(changedPaths(before, after)).toEqual(expected);
  });

  test('package.json changes only in its scripts', () => {
    expect(withoutScripts(after.get('package.json')!)).toEqual(withoutScripts(before.get('package.json')!));
  });

  test('leaves the user\'s files byte for byte as they edited them', () => {
    for (const [file, text] of Object.entries(USER_EDITS)) {
      expect(after.get(file)?.toString('utf-8')).toBe(text);
    }
  });

  test('switching back restores every generated file', () => {
    synthInto(dir, base);
    expect(changedPaths(before, readTree(dir))).toEqual([]);
  });
});
