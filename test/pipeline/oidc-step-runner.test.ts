/**
 * The deploy step, as generated, run with bash: its lines and the committed
 * step runner they call (`.projen/oidc-step.js`), with a stub npm
 * and a fake CDK CLI that records what it got (deploy-step-fixture.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { cdkRecord, filesNamed, npmEnv, stepEnv, stepFiles, stepWorld, StepWorldOptions } from './deploy-step-fixture';
import { runLikeBitbucket } from './script-runner';
import { BitbucketCdkAppOptions } from '../../src';
import { CREDENTIAL_FILE_VARIABLES, LEFTOVER_CREDENTIAL_VARIABLES } from '../../src/pipeline/credential-sources';
import { OidcStepAction, OidcStepRunner } from '../../src/pipeline/oidc-step-runner';
import { DEFAULT_CDK_CLI_INTEGRITY } from '../../src/versions';
import { newProject, twoEnvironmentOptions } from '../util';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmYWtlLXN1YmplY3QifQ.fake-signature-7f3a9c';
const LEFTOVER_KEY = 'AKIAleftoverkeyvalue';

function generated(overrides: Partial<BitbucketCdkAppOptions> = {}) {
  const project = newProject(twoEnvironmentOptions(overrides));
  const files = Testing.synth(project);
  const staging = project.settings.environments[0];
  const script = project.pipelines.deployStep(staging).script as string[];
  return { project, staging, script, files: stepFiles(files), runner: files[OidcStepRunner.FILE_PATH] as string };
}

describe('deploy step, run with bash', () => {
  const { project, staging, script, files } = generated();
  const version = project.settings.cdkCliVersion;

  function run(overrides: NodeJS.ProcessEnv = {}, world: Partial<StepWorldOptions> = {}, shell = 'bash', lines = script) {
    const w = stepWorld({ files, lockedVersion: version, assemblyStage: 'staging', ...world });
    const env = stepEnv(w, TOKEN, { AWS_ACCESS_KEY_ID: LEFTOVER_KEY, AWS_PROFILE: 'leftover-profile', ...overrides });
    const result = runLikeBitbucket(lines, w.clone, env, shell);
    const cdk = cdkRecord(w);
    return { ...result, world: w, cdk, cliEnv: cdk?.env ?? {}, log: result.stdout + result.stderr };
  }

  describe('with a token', () => {
    const r = run({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });

    test('the step is its region, its role and one runner line with the deploy task arguments', () => {
      expect(script).toEqual([
        'export npm_config_yes=false',
        'export AWS_REGION=eu-west-1',
        `export AWS_ROLE_ARN=${staging.deployRoleArn}`,
        `node ${OidcStepRunner.FILE_PATH} deploy staging -- deploy --app cdk.out --build '' --require-approval never --progress events 'staging/*'`,
      ]);
    });

    test('succeeds and runs the CLI the pre-flight installed, with the deploy task arguments', () => {
      expect(r.status).toBe(0);
      expect(r.cdk?.args).toEqual(['deploy', '--app', 'cdk.out', '--build', '', '--require-approval', 'never', '--progress', 'events', 'staging/*']);
      expect(r.stdout).toContain(`CDK CLI aws-cdk@${version} installed as locked in package-lock.json`);
    });

    test('says what it does in plain lines', () => {
      expect(r.stdout).toContain("Checked cdk.out for 'staging': 1 asset manifest, no executable assets, every asset source inside cdk.out.");
      expect(r.stdout).toContain(`Deploying staging to eu-west-1 as ${staging.deployRoleArn} (session bitbucket-staging-42)`);
    });

    test('the CLI sees the role, region, session name and token file, and AWS_ENDPOINT_URL as set', () => {
      expect(r.cliEnv.AWS_ROLE_ARN).toBe(staging.deployRoleArn);
      expect(r.cliEnv.AWS_REGION).toBe('eu-west-1');
      expect(r.cliEnv.AWS_ROLE_SESSION_NAME).toBe('bitbucket-staging-42');
      expect(r.cliEnv.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:9');
    });

    test('the CLI, and any npx it or an asset build starts, runs with npm_config_yes=false: npx refuses to download', () => {
      expect(r.cliEnv.npm_config_yes).toBe('false');
    });

    test('neither the CLI nor npm has the token in its environment; the CLI reads it from the file only', () => {
      expect(r.cliEnv.BITBUCKET_STEP_OIDC_TOKEN).toBeUndefined();
      expect(Object.values(r.cliEnv).join('\n')).not.toContain(TOKEN);
      const npm = npmEnv(r.world)!;
      expect(npm).toBeDefined();
      expect(npm.BITBUCKET_STEP_OIDC_TOKEN).toBeUndefined();
      expect(Object.values(npm).join('\n')).not.toContain(TOKEN);
    });

    test('the token file held the token, owner-only, in a private directory outside the clone directory', () => {
      const file = r.cliEnv.AWS_WEB_IDENTITY_TOKEN_FILE;
      expect(r.cdk?.files.token).toEqual({ content: TOKEN, mode: '600', dirMode: '700' });
      expect(path.relative(r.world.clone, file).startsWith('..')).toBe(true);
      expect(path.relative(r.world.tmp, file).startsWith('..')).toBe(false);
    });

    test('the private directory, token file and installed CLI included, is gone after the step', () => {
      expect(fs.existsSync(path.dirname(r.cliEnv.AWS_WEB_IDENTITY_TOKEN_FILE))).toBe(false);
      expect(fs.readdirSync(r.world.tmp)).toEqual([]);
    });

    test('the CLI sees only empty credential and config files of the step, and no instance metadata', () => {
      const dir = path.dirname(r.cliEnv.AWS_WEB_IDENTITY_TOKEN_FILE);
      for (const v of CREDENTIAL_FILE_VARIABLES) expect(path.dirname(r.cliEnv[v])).toBe(dir);
      expect(r.cdk?.files.credentials?.content).toBe('');
      expect(r.cdk?.files.config?.content).toBe('');
      expect(r.cliEnv.AWS_EC2_METADATA_DISABLED).toBe('true');
    });

    test('leftover credentials are gone, named in a warning, values never printed', () => {
      expect(r.cliEnv.AWS_ACCESS_KEY_ID).toBeUndefined();
      expect(r.cliEnv.AWS_PROFILE).toBeUndefined();
      expect(r.stderr).toMatch(/Warning: ignoring AWS_ACCESS_KEY_ID AWS_PROFILE \(/);
      expect(r.stderr).not.toContain('AWS_SECRET_ACCESS_KEY');
      expect(r.log).not.toContain(LEFTOVER_KEY);
      expect(r.log).not.toContain('leftover-profile');
    });

    test('the token never appears in the log, not even in part', () => {
      // The log shows every line (Bitbucket echoes them), so this also proves no line expands it.
      expect(r.stdout).toContain(`+ node ${OidcStepRunner.FILE_PATH} deploy staging`);
      for (const part of TOKEN.split('.')) expect(r.log).not.toContain(part);
    });
  });

  test('POSIX sh (images without bash) runs it the same way', () => {
    const r = run({}, {}, 'sh');
    expect(r.status).toBe(0);
    expect(r.cliEnv.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(r.cliEnv.BITBUCKET_STEP_OIDC_TOKEN).toBeUndefined();
    expect(r.cliEnv.AWS_ROLE_SESSION_NAME).toBe('bitbucket-staging-42');
    expect(r.cdk?.files.token?.content).toBe(TOKEN);
    expect(r.log).not.toContain(TOKEN);
  });

  test('with xtrace on (set -x in the image or a user line), no line prints the token: no line names it', () => {
    const r = run({}, {}, 'bash', ['set -x', ...script]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('+ node .projen/oidc-step.js deploy staging');
    for (const part of TOKEN.split('.')) expect(r.log).not.toContain(part);
    expect(script.join('\n')).not.toContain('BITBUCKET_STEP_OIDC_TOKEN');
  });

  test('the CLI\'s exit code is the step\'s, and the private directory is removed after a failure too', () => {
    const r = run({ FAKE_CDK_EXIT: '3' });
    expect(r.status).toBe(3);
    expect(r.cdk?.files.token?.content).toBe(TOKEN);
    expect(fs.readdirSync(r.world.tmp)).toEqual([]);
  });

  test('no leftover credentials: no warning', () => {
    const r = run({ AWS_ACCESS_KEY_ID: undefined, AWS_PROFILE: undefined });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('Warning');
  });

  test('every other credential source is shut out and named: variables, ~/.aws files, files that variables point to', () => {
    const leftovers = Object.fromEntries([...LEFTOVER_CREDENTIAL_VARIABLES, ...CREDENTIAL_FILE_VARIABLES].map((v) => [v, `value-of-${v}`]));
    const w = stepWorld({ files, lockedVersion: version, assemblyStage: 'staging' });
    fs.mkdirSync(path.join(w.home, '.aws'));
    fs.writeFileSync(path.join(w.home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAHOMEFILE\naws_secret_access_key = home-secret\n');
    fs.writeFileSync(path.join(w.home, '.aws', 'config'), '[default]\nregion = eu-west-1\n');
    const r = runLikeBitbucket(script, w.clone, stepEnv(w, TOKEN, { ...leftovers, AWS_EC2_METADATA_DISABLED: 'false' }));
    expect(r.status).toBe(0);
    const env = cdkRecord(w)!.env;
    for (const v of LEFTOVER_CREDENTIAL_VARIABLES) {
      expect(env[v]).toBeUndefined();
      expect(r.stderr).toContain(` ${v}`);
    }
    for (const v of CREDENTIAL_FILE_VARIABLES) {
      expect(r.stderr).toContain(` ${v}`);
      expect(env[v]).not.toMatch(/value-of-/);
    }
    expect(cdkRecord(w)!.files.credentials?.content).toBe('');
    expect(cdkRecord(w)!.files.config?.content).toBe('');
    // Neither npm (the CLI install) saw any of them.
    const npm = npmEnv(w)!;
    for (const v of LEFTOVER_CREDENTIAL_VARIABLES) expect(npm[v]).toBeUndefined();
    expect(r.stderr).toContain('~/.aws/credentials ~/.aws/config (');
    expect(env.AWS_EC2_METADATA_DISABLED).toBe('true');
    expect(r.stdout + r.stderr).not.toMatch(/value-of-|AKIAHOMEFILE|home-secret/);
  });

  test.each([['empty', ''], ['missing', undefined]])('a %s token fails early with a clear message', (_what, token) => {
    const r = run({ BITBUCKET_STEP_OIDC_TOKEN: token });
    expect(r.status).not.toBe(0);
    expect(r.cdk).toBeUndefined();
    expect(r.stderr).toContain("BITBUCKET_STEP_OIDC_TOKEN is empty: this deploy step needs 'oidc: true'");
  });

  test('a temporary directory inside the clone directory is refused before anything is written there', () => {
    const r = run({}, { tmpInsideClone: true });
    expect(r.status).not.toBe(0);
    expect(r.cdk).toBeUndefined();
    expect(r.stderr).toContain('inside the clone directory');
    expect(fs.readdirSync(path.join(r.world.clone, 'tmp'))).toEqual([]);
  });

  test.each([
    ['a TMPDIR that does not exist', (tmp: string) => path.join(tmp, 'missing')],
    // A read-only directory does not stop root (the step's user in many images): a file does.
    ['a TMPDIR that is a file', (tmp: string) => { fs.writeFileSync(path.join(tmp, 'file'), ''); return path.join(tmp, 'file'); }],
  ])('%s stops the step: a clear message, nothing written, no token file anywhere, no npm, no CLI', (_what, tmpdir) => {
    const w = stepWorld({ files, lockedVersion: version, assemblyStage: 'staging' });
    const r = runLikeBitbucket(script, w.clone, stepEnv(w, TOKEN, { TMPDIR: tmpdir(w.tmp) }));
    fs.rmSync(path.join(w.tmp, 'file'), { force: true });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Cannot create a private temporary directory in \S+ \(E\w+: .*\): check TMPDIR and free space; nothing was written and nothing deployed\./);
    expect(cdkRecord(w)).toBeUndefined();
    expect(npmEnv(w)).toBeUndefined();
    expect(fs.readdirSync(w.tmp)).toEqual([]);
    expect(filesNamed(w.root, 'web-identity-token')).toEqual([]);
  });

  test('an odd build number and the longest environment name still give a valid session name of at most 64 characters', () => {
    const name = 'x'.repeat(32);
    const long = project.pipelines.stepRunner.stepScript({ action: OidcStepAction.DEPLOY, environmentName: name, region: 'eu-west-1', roleArn: staging.deployRoleArn, command: ['deploy'] });
    const r = run({ BITBUCKET_BUILD_NUMBER: '12 34/"$x"'.repeat(5) }, {}, 'bash', long);
    expect(r.status).toBe(0);
    const session = r.cliEnv.AWS_ROLE_SESSION_NAME;
    expect(session).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(session.startsWith(`${`bitbucket-${name}`.slice(0, 40)}-12_34_`)).toBe(true);
  });

  test('no line switches on xtrace', () => {
    expect(script.filter((l) => /set\s+-[a-z]*x|xtrace/.test(l))).toEqual([]);
  });

  describe('the pre-flight stops the step before the token is written and before any AWS call', () => {
    function refused(r: ReturnType<typeof run>) {
      expect(r.status).not.toBe(0);
      expect(r.cdk).toBeUndefined();
      expect(filesNamed(r.world.tmp, 'web-identity-token')).toEqual([]);
    }

    test('cdk.out missing (expired artifact): says what happened and to re-run the pipeline from the build step', () => {
      const r = run({}, { assemblyStage: undefined });
      refused(r);
      expect(npmEnv(r.world)).toBeUndefined();
      expect(r.stderr).toContain("cdk.out/manifest.json is missing: there is no synthesised app to deploy to 'staging'.");
      expect(r.stderr).toContain('Bitbucket keeps\nartifacts for 14 days');
      expect(r.stderr).toContain('run the pipeline again from the build step');
      expect(r.stderr).toContain('no AWS call was made; this is not an OIDC problem');
    });

    test('an executable asset in a nested assembly: refused, naming the asset, its command and the option', () => {
      const r = run({}, { assets: { dockerImages: { abc123: { source: { executable: ['sh', '-c', 'build-image'] }, destinations: {} } } } });
      refused(r);
      expect(npmEnv(r.world)).toBeUndefined();
      expect(r.stderr).toMatch(/docker image asset 'abc123' in cdk\.out\/assembly-staging\/stagingStack\.assets\.json: runs \["sh","-c","build-image"\]/);
      expect(r.stderr).toContain('allowExecutableAssets: true');
    });

    test('no package-lock.json: refused, naming the file', () => {
      const r = run({}, { lockedVersion: undefined });
      refused(r);
      expect(r.stderr).toContain('package-lock.json is missing: this step installs the CDK CLI only as locked there');
    });

    test('a lockfile with another CLI version than cdkCliVersion: refused, naming both', () => {
      const r = run({}, { lockedVersion: '2.1000.0' });
      refused(r);
      expect(r.stderr).toContain(`package-lock.json locks aws-cdk "2.1000.0", but this pipeline was generated for cdkCliVersion ${version}`);
    });
  });

  describe('the locked CLI is the registry\'s own tarball with the shipped integrity, checked before npm runs', () => {
    function tampered(edit: (entry: Record<string, unknown>) => void) {
      const w = stepWorld({ files, lockedVersion: version, assemblyStage: 'staging' });
      const file = path.join(w.clone, 'package-lock.json');
      const lock = JSON.parse(fs.readFileSync(file, 'utf-8'));
      edit(lock.packages['node_modules/aws-cdk']);
      fs.writeFileSync(file, JSON.stringify(lock));
      const r = runLikeBitbucket(script, w.clone, stepEnv(w, TOKEN));
      return { ...r, world: w, cdk: cdkRecord(w), npm: npmEnv(w) };
    }

    test('the runner holds the shipped integrity of the default CLI, not the steps', () => {
      expect(project.pipelines.stepRunner.settings.cliIntegrity).toBe(DEFAULT_CDK_CLI_INTEGRITY);
      expect(files[OidcStepRunner.FILE_PATH]).toContain(`"cliIntegrity": "${DEFAULT_CDK_CLI_INTEGRITY}"`);
      expect(script.join('\n')).not.toContain('sha512-');
    });

    test.each([
      ['another sha512 than the shipped one', (e: Record<string, unknown>) => { e.integrity = `sha512-${'B'.repeat(86)}==`; }, 'with integrity sha512-BBBB'],
      ['another tarball URL', (e: Record<string, unknown>) => { e.resolved = 'https://evil.example/aws-cdk/-/aws-cdk-2.1148.1.tgz'; }, 'at another tarball than the registry\'s own'],
      ['a git URL', (e: Record<string, unknown>) => { e.resolved = 'git+https://github.com/evil/aws-cdk.git'; }, 'at another tarball than the registry\'s own'],
    ])('a lockfile with %s: refused, npm never runs, no token file, no CLI', (_what, edit, message) => {
      const r = tampered(edit);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(message);
      expect(r.npm).toBeUndefined();
      expect(r.cdk).toBeUndefined();
      expect(filesNamed(r.world.tmp, 'web-identity-token')).toEqual([]);
    });

    test('an overridden cdkCliVersion without cdkCliIntegrity: no --cli-integrity, and the step says it verified only the lockfile\'s', () => {
      const other = generated({ cdkCliVersion: '2.1150.0' });
      expect(other.runner).not.toContain('"cliIntegrity"');
      const w = stepWorld({ files: other.files, lockedVersion: '2.1150.0', assemblyStage: 'staging' });
      const r = runLikeBitbucket(other.script, w.clone, stepEnv(w, TOKEN));
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Note: only the integrity that package-lock.json states was verified');
      expect(r.stdout).toContain('set cdkCliIntegrity to the output of npm view aws-cdk@2.1150.0 dist.integrity');
    });

    test('an overridden cdkCliVersion with cdkCliIntegrity: that integrity is required', () => {
      const integrity = `sha512-${'C'.repeat(86)}==`;
      const other = generated({ cdkCliVersion: '2.1150.0', cdkCliIntegrity: integrity });
      expect(other.runner).toContain(`"cliIntegrity": "${integrity}"`);
      const locked = stepWorld({ files: other.files, lockedVersion: '2.1150.0', lockedIntegrity: integrity, assemblyStage: 'staging' });
      expect(runLikeBitbucket(other.script, locked.clone, stepEnv(locked, TOKEN)).status).toBe(0);
      const unpinned = stepWorld({ files: other.files, lockedVersion: '2.1150.0', assemblyStage: 'staging' });
      const r = runLikeBitbucket(other.script, unpinned.clone, stepEnv(unpinned, TOKEN));
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`but this pipeline was generated for ${integrity}`);
      expect(npmEnv(unpinned)).toBeUndefined();
    });
  });

  test('an asset source outside the assembly: refused before npm runs, naming the asset and its source', () => {
    const r = run({}, { assets: { files: { leak: { source: { path: '/tmp', packaging: 'zip' }, destinations: {} } } } });
    expect(r.status).not.toBe(0);
    expect(r.cdk).toBeUndefined();
    expect(npmEnv(r.world)).toBeUndefined();
    expect(r.stderr).toContain("file asset 'leak' in cdk.out/assembly-staging/stagingStack.assets.json: source.path \"/tmp\" is /tmp");
  });

  test('Docker build secrets: refused unless allowDockerBuildOptions: true, which reaches the pre-flight', () => {
    const assets = { dockerImages: { img: { source: { directory: '.', dockerBuildSecrets: { s: 'src=/tmp/x' } }, destinations: {} } } };
    const refusedRun = run({}, { assets });
    expect(refusedRun.status).not.toBe(0);
    expect(npmEnv(refusedRun.world)).toBeUndefined();
    expect(refusedRun.stderr).toContain('allowDockerBuildOptions: true');
    const allowed = generated({ allowDockerBuildOptions: true });
    expect(allowed.runner).toContain('"allowDockerBuildOptions": true');
    const w = stepWorld({ files: allowed.files, lockedVersion: version, assemblyStage: 'staging', assets });
    const r = runLikeBitbucket(allowed.script, w.clone, stepEnv(w, TOKEN));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("docker image asset 'img'");
    expect(cdkRecord(w)?.args[0]).toBe('deploy');
  });

  test('allowExecutableAssets: true lets the asset through, with a warning naming it', () => {
    const allowed = generated({ allowExecutableAssets: true });
    expect(allowed.runner).toContain('"allowExecutableAssets": true');
    const w = stepWorld({ files: allowed.files, lockedVersion: version, assemblyStage: 'staging', assets: { files: { f1: { source: { executable: ['./make-asset'] }, destinations: {} } } } });
    const r = runLikeBitbucket(allowed.script, w.clone, stepEnv(w, TOKEN));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("file asset 'f1'");
    expect(cdkRecord(w)?.args[0]).toBe('deploy');
  });
});
