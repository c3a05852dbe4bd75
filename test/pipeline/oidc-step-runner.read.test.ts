/**
 * The preview and drift steps, as generated, run with bash: their lines and
 * the committed step runner's `preview`/`drift` (`.projen/oidc-step.js`),
 * with npm and npx stand-ins that record what they got.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { filesNamed, LOCKED_INTEGRITY, projectLockfile, stepEnv, stepFiles, StepWorld } from './deploy-step-fixture';
import { parsePipelines } from './pipeline-helpers';
import { runLikeBitbucket } from './script-runner';
import { CREDENTIAL_FILE_VARIABLES, LEFTOVER_CREDENTIAL_VARIABLES } from '../../src/pipeline/credential-sources';
import { OidcStepRunner } from '../../src/pipeline/oidc-step-runner';
import { newProject, tempDir, twoEnvironmentOptions } from '../util';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwcmV2aWV3LXN1YmplY3QifQ.fake-signature-41b2e8';
const LEFTOVER_KEY = 'AKIAleftoverpreviewkey';

/**
 * `npm` and `npx` stand-ins: each records its arguments, its environment,
 * whether a token file existed anywhere under TMPDIR when it ran, and the
 * token and credential files it was given (the runner removes them
 * afterwards); `npx` exits with `$FAKE_TOOL_EXIT` (the tool's exit code).
 */
function recorder(name: string): string {
  return [
    `#!${process.execPath}`,
    "const fs = require('fs'); const path = require('path'); const e = process.env;",
    'const tokenFiles = (fs.readdirSync(e.TMPDIR, { recursive: true })).filter((f) => f.endsWith(\'web-identity-token\'));',
    'const look = (f) => { try { return { content: fs.readFileSync(f, "utf-8"), mode: (fs.statSync(f).mode & 0o777).toString(8),'
      + ' dirMode: (fs.statSync(path.dirname(f)).mode & 0o777).toString(8) }; } catch { return undefined; } };',
    'const files = Object.fromEntries(["AWS_WEB_IDENTITY_TOKEN_FILE", ...' + JSON.stringify(CREDENTIAL_FILE_VARIABLES) + '].map((v) => [v, e[v] && look(e[v])]));',
    `fs.writeFileSync(path.join(e.RECORD_DIR, ${JSON.stringify(`${name}.json`)}), JSON.stringify({ args: process.argv.slice(2), env: e, tokenFiles, files }));`,
    `process.exit(${name === 'npx' ? 'Number(process.env.FAKE_TOOL_EXIT || 0)' : '0'});`,
  ].join('\n');
}

/** The clone holds the committed runner and pre-flight script (its lockfile check runs first) and `lockfile`. */
function world(options: { tmpInsideClone?: boolean; lockfile?: string } = {}): StepWorld {
  const root = tempDir('pbc-read-step-');
  const clone = path.join(root, 'build');
  const tmp = options.tmpInsideClone ? path.join(clone, 'tmp') : path.join(root, 'tmp');
  const w: StepWorld = { root, clone, tmp, home: path.join(root, 'home'), bin: path.join(root, 'bin'), record: path.join(root, 'record') };
  for (const dir of [clone, tmp, w.home, w.bin, w.record]) fs.mkdirSync(dir, { recursive: true });
  for (const tool of ['npm', 'npx']) fs.writeFileSync(path.join(w.bin, tool), recorder(tool), { mode: 0o755 });
  fs.mkdirSync(path.join(clone, '.projen'));
  for (const [file, text] of Object.entries(stepFiles(files))) fs.writeFileSync(path.join(clone, file), text);
  fs.writeFileSync(path.join(clone, 'package-lock.json'), options.lockfile ?? projectLockfile(project.settings.cdkCliVersion));
  return w;
}

type SeenFile = { content: string; mode: string; dirMode: string };
type Call = { args: string[]; env: Record<string, string>; tokenFiles: string[]; files: Record<string, SeenFile | undefined> };
function call(w: StepWorld, tool: string): Call | undefined {
  const file = path.join(w.record, `${tool}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : undefined;
}

// The scripts as Bitbucket reads them: from the generated YAML.
const project = newProject(twoEnvironmentOptions());
const files = Testing.synth(project);
const doc = parsePipelines(files['bitbucket-pipelines.yml']);
const staging = project.settings.environments[0];
const previewScript: string[] = doc.pipelines['pull-requests']['**'][1].parallel.steps[0].step.script;
const driftScript: string[] = doc.pipelines.custom['drift-detection'][1].parallel.steps[0].step.script;

function run(script: string[], overrides: NodeJS.ProcessEnv = {}, options: { shell?: string; tmpInsideClone?: boolean; lockfile?: string } = {}) {
  const w = world(options);
  const r = runLikeBitbucket(script, w.clone, stepEnv(w, TOKEN, { AWS_ACCESS_KEY_ID: LEFTOVER_KEY, ...overrides }), options.shell);
  return { ...r, w, npm: call(w, 'npm'), npx: call(w, 'npx'), log: r.stdout + r.stderr };
}

describe('preview step script, run with bash', () => {
  const r = run(previewScript);
  const tool = r.npx!;

  test('the step is its region, its read-only role and one runner line with the command', () => {
    expect(previewScript).toEqual([
      'export npm_config_yes=false',
      'export AWS_REGION=eu-west-1',
      `export AWS_ROLE_ARN=${staging.previewRoleArn}`,
      `node ${OidcStepRunner.FILE_PATH} preview staging -- npx projen preview:staging --report`,
    ]);
  });

  test('succeeds and runs npx projen preview:<env> --report', () => {
    expect(r.status).toBe(0);
    expect(tool.args).toEqual(['projen', 'preview:staging', '--report']);
  });

  test('says what it does in plain lines', () => {
    expect(r.stdout).toContain('package-lock.json: every package comes from the registry\'s own tarball of its name and version, with a sha512.');
    expect(r.stdout).toContain('Installing the project\'s locked packages: npm ci --ignore-scripts (no install scripts, no token).');
    expect(r.stdout).toContain(`preview staging: reading eu-west-1 as ${staging.previewRoleArn} (session bitbucket-preview-staging-42)`);
  });

  test('npx runs with npm_config_yes=false: it runs the installed projen, never a download', () => {
    expect(tool.env.npm_config_yes).toBe('false');
  });

  test('the tool sees the read-only role of the environment\'s account, its region, a session name and the token file', () => {
    expect(tool.env.AWS_ROLE_ARN).toBe(staging.previewRoleArn);
    expect(tool.env.AWS_ROLE_ARN).toMatch(/^arn:aws:iam::111111111111:role\/bitbucket-preview-/);
    expect(tool.env.AWS_REGION).toBe('eu-west-1');
    expect(tool.env.AWS_ROLE_SESSION_NAME).toBe('bitbucket-preview-staging-42');
    expect(tool.tokenFiles).toHaveLength(1);
  });

  test('the token file held the token, owner-only, in a private directory outside the clone directory, removed afterwards', () => {
    const file = tool.env.AWS_WEB_IDENTITY_TOKEN_FILE;
    expect(tool.files.AWS_WEB_IDENTITY_TOKEN_FILE).toEqual({ content: TOKEN, mode: '600', dirMode: '700' });
    expect(path.relative(r.w.clone, file).startsWith('..')).toBe(true);
    expect(fs.readdirSync(r.w.tmp)).toEqual([]);
  });

  test('npm ci --ignore-scripts runs before the token file exists, without the token or leftover keys in its environment', () => {
    const npm = r.npm!;
    expect(npm.args).toEqual(['ci', '--ignore-scripts']);
    expect(npm.tokenFiles).toEqual([]);
    expect(npm.env.BITBUCKET_STEP_OIDC_TOKEN).toBeUndefined();
    expect(npm.env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(Object.values(npm.env).join('\n')).not.toContain(TOKEN);
  });

  test('the tool has the token only through the file, and no other credential source', () => {
    expect(tool.env.BITBUCKET_STEP_OIDC_TOKEN).toBeUndefined();
    expect(Object.values(tool.env).join('\n')).not.toContain(TOKEN);
    expect(tool.env.AWS_ACCESS_KEY_ID).toBeUndefined();
    for (const v of CREDENTIAL_FILE_VARIABLES) expect(tool.files[v]?.content).toBe('');
    expect(tool.env.AWS_EC2_METADATA_DISABLED).toBe('true');
    expect(r.stderr).toMatch(/Warning: ignoring AWS_ACCESS_KEY_ID \(.*this step reads AWS with the OIDC role arn:aws:iam::111111111111:role\/bitbucket-preview-/);
  });

  test('the token and the leftover key never appear in the log, not even in part', () => {
    expect(r.stdout).toContain('-- npx projen preview:staging --report');
    for (const part of TOKEN.split('.')) expect(r.log).not.toContain(part);
    expect(r.log).not.toContain(LEFTOVER_KEY);
  });
});

describe('without a token the preview still runs (and reports it), never red for that', () => {
  test.each([['missing', undefined], ['empty', '']])('%s token: exit 0, the tool runs with the role but no token file, a warning says why', (_what, token) => {
    const r = run(previewScript, { BITBUCKET_STEP_OIDC_TOKEN: token });
    expect(r.status).toBe(0);
    expect(r.npx?.args).toEqual(['projen', 'preview:staging', '--report']);
    expect(r.npx?.env.AWS_ROLE_ARN).toBe(staging.previewRoleArn);
    expect(r.npx?.env.AWS_WEB_IDENTITY_TOKEN_FILE).toBeUndefined();
    expect(r.npx?.tokenFiles).toEqual([]);
    expect([...filesNamed(r.w.root, 'web-identity-token')]).toEqual([]);
    expect(r.stderr).toContain('No OIDC token in this step (BITBUCKET_STEP_OIDC_TOKEN is empty');
  });
});

test('POSIX sh (images without bash) runs it the same way', () => {
  const r = run(previewScript, {}, { shell: 'sh' });
  expect(r.status).toBe(0);
  expect(r.npx?.env.AWS_ACCESS_KEY_ID).toBeUndefined();
  expect(r.npx?.env.AWS_ROLE_SESSION_NAME).toBe('bitbucket-preview-staging-42');
  expect(r.npx?.files.AWS_WEB_IDENTITY_TOKEN_FILE?.content).toBe(TOKEN);
  expect(r.log).not.toContain(TOKEN);
});

test('every other credential source is shut out before npm runs: variables, and files they point to', () => {
  const leftovers = Object.fromEntries([...LEFTOVER_CREDENTIAL_VARIABLES, ...CREDENTIAL_FILE_VARIABLES].map((v) => [v, `value-of-${v}`]));
  const r = run(previewScript, leftovers);
  expect(r.status).toBe(0);
  for (const env of [r.npm!.env, r.npx!.env]) {
    for (const v of LEFTOVER_CREDENTIAL_VARIABLES) expect(env[v]).toBeUndefined();
    for (const v of CREDENTIAL_FILE_VARIABLES) expect(env[v]).not.toMatch(/value-of-/);
  }
  expect(r.log).not.toMatch(/value-of-/);
});

test('a temporary directory inside the clone directory is refused before anything runs', () => {
  const r = run(previewScript, {}, { tmpInsideClone: true });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('inside the clone directory');
  expect(r.npm).toBeUndefined();
  expect(r.npx).toBeUndefined();
});

describe('drift step script', () => {
  test('runs npx projen drift:<env> with the read-only role, the token file and its own session name', () => {
    const r = run(driftScript);
    expect(r.status).toBe(0);
    expect(r.npm?.args).toEqual(['ci', '--ignore-scripts']);
    expect(r.npm?.tokenFiles).toEqual([]);
    expect(r.npx?.args).toEqual(['projen', 'drift:staging']);
    expect(r.npx?.env.AWS_ROLE_ARN).toBe(staging.previewRoleArn);
    expect(r.npx?.env.AWS_ROLE_SESSION_NAME).toBe('bitbucket-drift-staging-42');
    expect(r.npx?.files.AWS_WEB_IDENTITY_TOKEN_FILE?.content).toBe(TOKEN);
    expect(r.log).not.toContain(TOKEN);
  });

  test('a drifted stack (the tool exits 1) fails the step, so Bitbucket notifies', () => {
    const r = run(driftScript, { FAKE_TOOL_EXIT: '1' });
    expect(r.npx).toBeDefined();
    expect(r.status).toBe(1);
    expect(fs.readdirSync(r.w.tmp)).toEqual([]);
  });
});

describe('a lockfile entry that is not the registry\'s own tarball stops the step before npm ci, the token file and the tool', () => {
  function tampered(edit: (entry: Record<string, unknown>) => void): string {
    const lock = JSON.parse(projectLockfile(project.settings.cdkCliVersion));
    lock.packages['node_modules/left-pad'] = {
      version: '1.3.0',
      resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
      // Any sha512: the format is checked here, the bytes by npm ci.
      integrity: LOCKED_INTEGRITY,
    };
    edit(lock.packages['node_modules/left-pad']);
    return JSON.stringify(lock);
  }

  test.each([
    ['another package\'s tarball', (e: Record<string, unknown>) => { e.resolved = 'https://registry.npmjs.org/evil/-/evil-1.0.0.tgz'; }, 'resolved is "https://registry.npmjs.org/evil/-/evil-1.0.0.tgz"'],
    ['another host', (e: Record<string, unknown>) => { e.resolved = 'https://evil.example/left-pad/-/left-pad-1.3.0.tgz'; }, 'expected https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz'],
    ['a git URL', (e: Record<string, unknown>) => { e.resolved = 'git+ssh://git@github.com/evil/left-pad.git#abc'; }, 'resolved is "git+ssh://git@github.com/evil/left-pad.git#abc"'],
    ['no integrity', (e: Record<string, unknown>) => { delete e.integrity; }, 'no sha512 integrity'],
  ])('%s: refused, naming the entry', (_what, edit, message) => {
    for (const script of [previewScript, driftScript]) {
      const r = run(script, {}, { lockfile: tampered(edit) });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('package-lock.json names 1 package that npm would not fetch as the registry\'s own tarball');
      expect(r.stderr).toContain('  node_modules/left-pad (left-pad@1.3.0): ');
      expect(r.stderr).toContain(message);
      expect(r.npm).toBeUndefined();
      expect(r.npx).toBeUndefined();
      expect(filesNamed(r.w.root, 'web-identity-token')).toEqual([]);
    }
  });
});
