import * as fs from 'fs';
import * as path from 'path';
import { LEFTOVER_CREDENTIAL_VARIABLES, deployStepScript } from '../../src/pipeline/deploy-step-script';
import { newProject, tempDir, twoEnvironmentOptions } from '../util';
import { runLikeBitbucket } from './script-runner';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmYWtlLXN1YmplY3QifQ.fake-signature-7f3a9c';
const LEFTOVER_KEY = 'AKIAleftoverkeyvalue';

/** A stub `npx` that records its arguments and environment instead of deploying. */
function stubNpx(bin: string): void {
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'npx'),
    '#!/bin/bash\nprintf \'%s\\n\' "$@" > "$RECORD_DIR/args"\nenv > "$RECORD_DIR/env"\n',
    { mode: 0o755 },
  );
}

function envFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

describe('deploy step script, run with bash', () => {
  const project = newProject(twoEnvironmentOptions());
  const staging = project.settings.environments[0];
  const script: string[] = project.pipelines.deployStep(staging).script;

  function run(overrides: NodeJS.ProcessEnv = {}, tmpInsideClone = false, shell = 'bash') {
    const root = tempDir('pbc-step-');
    const clone = path.join(root, 'build');
    const tmp = tmpInsideClone ? path.join(clone, 'tmp') : path.join(root, 'tmp');
    const record = path.join(root, 'record');
    const bin = path.join(root, 'bin');
    for (const dir of [clone, tmp, record]) fs.mkdirSync(dir, { recursive: true });
    stubNpx(bin);
    const env: NodeJS.ProcessEnv = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: root,
      TMPDIR: tmp,
      RECORD_DIR: record,
      BITBUCKET_STEP_OIDC_TOKEN: TOKEN,
      BITBUCKET_BUILD_NUMBER: '42',
      BITBUCKET_CLONE_DIR: clone,
      AWS_ACCESS_KEY_ID: LEFTOVER_KEY,
      AWS_PROFILE: 'leftover-profile',
      ...overrides,
    };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const result = runLikeBitbucket(script, clone, env, shell);
    const called = fs.existsSync(path.join(record, 'args'));
    return {
      ...result,
      clone,
      called,
      args: called ? fs.readFileSync(path.join(record, 'args'), 'utf-8').trimEnd().split('\n') : [],
      stubEnv: called ? envFile(fs.readFileSync(path.join(record, 'env'), 'utf-8')) : {},
    };
  }

  describe('with a token', () => {
    const r = run();

    test('succeeds and calls the pinned CDK CLI with the deploy task arguments', () => {
      expect(r.status).toBe(0);
      expect(r.args).toEqual(['-y', `aws-cdk@${project.settings.cdkCliVersion}`, 'deploy', '--app', 'cdk.out', '--build', '', '--require-approval', 'never', '--progress', 'events', 'staging/*']);
    });

    test('the CLI sees the role, region, session name and token file', () => {
      expect(r.stubEnv.AWS_ROLE_ARN).toBe(staging.deployRoleArn);
      expect(r.stubEnv.AWS_REGION).toBe('eu-west-1');
      expect(r.stubEnv.AWS_ROLE_SESSION_NAME).toBe('bitbucket-staging-42');
      expect(r.stubEnv.AWS_ROLE_SESSION_NAME).toMatch(/^[\w+=,.@-]{2,64}$/);
    });

    test('the token file holds the token, is owner-only and lies outside the clone directory', () => {
      const file = r.stubEnv.AWS_WEB_IDENTITY_TOKEN_FILE;
      expect(fs.readFileSync(file, 'utf-8')).toBe(TOKEN);
      expect(fs.statSync(file).mode.toString(8).slice(-3)).toBe('600');
      expect(path.relative(r.clone, file).startsWith('..')).toBe(true);
    });

    test('leftover static credentials are gone, named in a warning, values never printed', () => {
      expect(r.stubEnv.AWS_ACCESS_KEY_ID).toBeUndefined();
      expect(r.stubEnv.AWS_PROFILE).toBeUndefined();
      expect(r.stderr).toMatch(/Warning: ignoring AWS_ACCESS_KEY_ID AWS_PROFILE /);
      expect(r.stderr).not.toContain('AWS_SECRET_ACCESS_KEY');
      expect(r.stdout + r.stderr).not.toContain(LEFTOVER_KEY);
      expect(r.stdout + r.stderr).not.toContain('leftover-profile');
    });

    test('the token never appears in the log, not even in part', () => {
      // The log shows every line (Bitbucket echoes them), so this also proves no line expands it.
      expect(r.stdout).toContain('+ export AWS_WEB_IDENTITY_TOKEN_FILE=');
      for (const part of TOKEN.split('.')) {
        expect(r.stdout + r.stderr).not.toContain(part);
      }
    });
  });

  test('POSIX sh (images without bash) runs it the same way', () => {
    const r = run({}, false, 'sh');
    expect(r.status).toBe(0);
    expect(r.stubEnv.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(r.stubEnv.AWS_ROLE_SESSION_NAME).toBe('bitbucket-staging-42');
    expect(fs.readFileSync(r.stubEnv.AWS_WEB_IDENTITY_TOKEN_FILE, 'utf-8')).toBe(TOKEN);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  test('no leftover credentials: no warning', () => {
    const r = run({ AWS_ACCESS_KEY_ID: undefined, AWS_PROFILE: undefined });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('Warning');
  });

  test('every leftover variable is unset', () => {
    const leftovers = Object.fromEntries(LEFTOVER_CREDENTIAL_VARIABLES.map((v) => [v, `value-of-${v}`]));
    const r = run(leftovers);
    expect(r.status).toBe(0);
    for (const v of LEFTOVER_CREDENTIAL_VARIABLES) {
      expect(r.stubEnv[v]).toBeUndefined();
      expect(r.stderr).toContain(v);
      expect(r.stdout + r.stderr).not.toContain(`value-of-${v}`);
    }
  });

  test.each([['empty', ''], ['missing', undefined]])('a %s token fails early with a clear message', (_what, token) => {
    const r = run({ BITBUCKET_STEP_OIDC_TOKEN: token });
    expect(r.status).not.toBe(0);
    expect(r.called).toBe(false);
    expect(r.stderr).toContain("BITBUCKET_STEP_OIDC_TOKEN is empty: this deploy step needs 'oidc: true'");
  });

  test('a temporary directory inside the clone directory is refused before the token is written', () => {
    const r = run({}, true);
    expect(r.status).not.toBe(0);
    expect(r.called).toBe(false);
    expect(r.stderr).toContain('inside the clone directory');
    const tmp = path.join(r.clone, 'tmp');
    const written = fs.readdirSync(tmp).flatMap((d) => fs.readdirSync(path.join(tmp, d)));
    expect(written).toEqual([]);
  });

  test('an odd build number still gives a valid session name of at most 64 characters', () => {
    const long = deployStepScript({ environmentName: 'x'.repeat(60), region: 'eu-west-1', roleArn: 'arn:aws:iam::111111111111:role/r', command: 'npx -y aws-cdk@2 deploy' });
    const root = tempDir('pbc-step-');
    const bin = path.join(root, 'bin');
    stubNpx(bin);
    const r = runLikeBitbucket(long, root, {
      PATH: `${bin}:${process.env.PATH}`,
      TMPDIR: root,
      RECORD_DIR: root,
      BITBUCKET_CLONE_DIR: path.join(root, 'build'),
      BITBUCKET_STEP_OIDC_TOKEN: TOKEN,
      BITBUCKET_BUILD_NUMBER: '12 34/"$x"'.repeat(5),
    });
    expect(r.status).toBe(0);
    const name = envFile(fs.readFileSync(path.join(root, 'env'), 'utf-8')).AWS_ROLE_SESSION_NAME;
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(name.startsWith('bitbucket-xxx')).toBe(true);
  });

  test('no line switches on xtrace, and the first switches it off', () => {
    expect(script[0]).toBe('set +x');
    expect(script.filter((l) => /set\s+-[a-z]*x|xtrace/.test(l))).toEqual([]);
  });
});
