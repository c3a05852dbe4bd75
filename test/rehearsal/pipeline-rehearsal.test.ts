/**
 * Pipeline rehearsal (issue 6): the deploy steps of a generated
 * `bitbucket-pipelines.yml`, run as Bitbucket would run them, with the real
 * CDK CLI, against a stand-in AWS on 127.0.0.1 whose STS evaluates the
 * synthesised OIDC trust policies. See README.md in this folder for what
 * this proves and what it cannot.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CLOUDFORMATION_STOP_CODE, FakeAws, RecordedCall } from './fake-aws';
import { FakeRegistry } from './fake-registry';
import { IamModel } from './iam-model';
import { cloneForStep, deploySteps, filesContaining, mutateFile, runnerScript, spawnAsync, withDeployScript } from './pipeline-step';
import type { ProcessResult } from './pipeline-step';
import {
  cliTarball, createRehearsalProject, ENVIRONMENTS, pipelineCliVersion, projenStandIn, REPOSITORY_UUID, RehearsalEnvironment,
  RehearsalProject, warmCliCache, WORKSPACE, WORKSPACE_UUID,
} from './rehearsal-project';
import { bitbucketStepEnvironment, offlineSettings } from './step-environment';
import { userEnv } from '../../scripts/project-factory';
import { AUDIENCE_PREFIX, stepToken, StepToken } from '../support/bitbucket-token';
import { tempDir } from '../util';

jest.setTimeout(10 * 60_000);

const OTHER_REPOSITORY = '9d8c7b6a-1111-4222-8333-444455556666';
const OTHER_WORKSPACE_UUID = '00000000-0000-4000-8000-00000000dead';
const QUALIFIER = 'hnb659fds';
const LEFTOVER_KEY = 'AKIALEFTOVERSTATIC01';
const LEFTOVER_SECRET = 'leftover-secret-value-must-not-print';
/** Static keys in credential files: a `[default]` profile in ~/.aws/credentials, the file AWS_SHARED_CREDENTIALS_FILE names, a config profile. */
const HOME_FILE_KEY = 'AKIAHOMEDEFAULTPROF1';
const VARIABLE_FILE_KEY = 'AKIASHAREDCREDSFILE1';
const CONFIG_PROFILE_KEY = 'AKIACONFIGPROCESS001';

let work: string;
let project: RehearsalProject;
let pipelineYaml: string;
let iam: IamModel;
let fake: FakeAws;
let projenLog: string;
let standIn: Record<string, string>;
let buildNumber = 100;
const timings: Record<string, number> = {};
const cliMessages: Record<string, string> = {};

beforeAll(async () => {
  const t0 = Date.now();
  work = tempDir('pbc-rehearsal-');
  project = createRehearsalProject(work);
  Object.assign(timings, project.timings);
  pipelineYaml = fs.readFileSync(path.join(project.dir, 'bitbucket-pipelines.yml'), 'utf-8');
  const t1 = Date.now();
  warmCliCache(pipelineCliVersion(project.dir), path.join(work, 'warm-home'));
  timings['fetch or find the CDK CLI'] = (Date.now() - t1) / 1000;
  projenLog = path.join(work, 'projen-calls.log');
  standIn = projenStandIn(path.join(work, 'npm-global'), projenLog);
  iam = IamModel.fromAssembly(path.join(project.dir, 'cdk.oidc.out'));
  fake = new FakeAws({ iam });
  await fake.start();
  timings['beforeAll total'] = (Date.now() - t0) / 1000;
});

afterAll(async () => {
  await fake?.stop();
  // Wall times and what the CLI printed, for the issue notes.
  console.log(`rehearsal wall times (s): ${JSON.stringify(timings)}\nCLI messages on refusal: ${JSON.stringify(cliMessages, null, 2)}`);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

interface StepRun {
  readonly result: ProcessResult;
  readonly output: string;
  readonly calls: RecordedCall[];
  readonly cloneDir: string;
  readonly tmpdir: string;
  readonly token: StepToken;
}

interface StepRunOptions {
  /** Step of the pipeline to run. */
  readonly step: RehearsalEnvironment;
  /** Claims of the token; default: a token of `step`'s environment. */
  readonly token?: StepToken;
  /** Replacements in the clone's `.projen/oidc-step.js` (mutation tests). */
  readonly runnerMutations?: Array<[string, string]>;
  /** A mutated pipeline (default: the generated one). */
  readonly yaml?: string;
  readonly userVariables?: Record<string, string>;
  /** Another stand-in (mutated templates). */
  readonly aws?: FakeAws;
  /** Prepares the step's HOME (files an image could ship) and its run folder (outside the clone). */
  readonly prepare?: (home: string, runDir: string) => Record<string, string>;
}

function tokenFor(env: RehearsalEnvironment | undefined, overrides: { repositoryUuid?: string; audience?: string } = {}): StepToken {
  return stepToken({
    workspace: WORKSPACE,
    workspaceUuid: WORKSPACE_UUID,
    repositoryUuid: overrides.repositoryUuid ?? REPOSITORY_UUID,
    deploymentUuid: env?.deploymentUuid,
    audience: overrides.audience,
  });
}

/** Runs one deploy step of the pipeline in a fresh clone, as Bitbucket would. */
async function runDeployStep(opts: StepRunOptions): Promise<StepRun> {
  const aws = opts.aws ?? fake;
  const yaml = opts.yaml ?? pipelineYaml;
  const step = deploySteps(yaml).find((s) => s.deployment === opts.step.deployment);
  if (!step) throw new Error(`no deploy step for ${opts.step.deployment}`);
  expect(step.oidc).toBe(true);
  const run = fs.mkdtempSync(path.join(work, `step-${opts.step.name}-`));
  const cloneDir = path.join(run, 'clone', 'my-app');
  cloneForStep({ projectDir: project.dir, cloneDir, pipelineYaml: opts.yaml });
  // A mutated copy of the committed step runner, in this clone only.
  for (const [from, to] of opts.runnerMutations ?? []) mutateFile(path.join(cloneDir, '.projen', 'oidc-step.js'), from, to);
  const tmpdir = path.join(run, 'tmp');
  fs.mkdirSync(tmpdir);
  const token = opts.token ?? tokenFor(opts.step);
  const home = path.join(run, 'home');
  fs.mkdirSync(home, { recursive: true });
  const prepared = opts.prepare?.(home, run) ?? {};
  const env = bitbucketStepEnvironment({
    cloneDir,
    endpoint: aws.endpoint,
    oidcToken: token.jwt,
    workspace: WORKSPACE,
    workspaceUuid: WORKSPACE_UUID,
    repositoryUuid: REPOSITORY_UUID,
    stepUuid: token.stepUuid,
    pipelineUuid: token.pipelineUuid,
    deploymentName: opts.step.deployment,
    deploymentUuid: opts.step.deploymentUuid,
    buildNumber: buildNumber++,
    home,
    tmpdir,
    userVariables: { ...standIn, ...prepared, ...opts.userVariables },
  });
  // The runner script lives outside the clone, like Bitbucket's own.
  const script = path.join(run, 'bitbucket-step.sh');
  fs.writeFileSync(script, runnerScript(step.script));
  const mark = aws.calls.length;
  const result = await spawnAsync('bash', [script], { cwd: cloneDir, env, timeoutMs: 180_000 });
  timings[`step ${opts.step.name} (last run)`] = result.seconds;
  return { result, output: result.stdout + result.stderr, calls: aws.since(mark), cloneDir, tmpdir, token };
}

/** Stack names of a stage in the synthesised app (what `'<env>/*'` selects). */
function stageStackNames(env: RehearsalEnvironment): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(project.dir, 'cdk.out/manifest.json'), 'utf-8'));
  const stage = Object.values<any>(manifest.artifacts).find((a) => a.type === 'cdk:cloud-assembly' && a.properties?.displayName === env.name);
  const nested = JSON.parse(fs.readFileSync(path.join(project.dir, 'cdk.out', stage.properties.directoryName, 'manifest.json'), 'utf-8'));
  return Object.values<any>(nested.artifacts).filter((a) => a.type === 'aws:cloudformation:stack').map((a) => a.properties.stackName);
}

function deployRoleArn(env: RehearsalEnvironment): string {
  const role = iam.roles.find((r) => r.account === env.account && r.logicalId === `DeployRole${env.name[0].toUpperCase()}${env.name.slice(1)}`);
  if (!role) throw new Error(`no deploy role for ${env.name} in cdk.oidc.out`);
  return role.arn;
}

function bootstrapRole(env: RehearsalEnvironment, kind: string): string {
  return `arn:aws:iam::${env.account}:role/cdk-${QUALIFIER}-${kind}-role-${env.account}-${env.region}`;
}

/**
 * The verdict of a rehearsal: what must hold for a deploy of `env` to be
 * right. Returns the problems; none means the step did what it should up to
 * its first CloudFormation call.
 */
function judgeDeploy(run: StepRun, env: RehearsalEnvironment): string[] {
  const problems: string[] = [];
  const web = run.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity');
  if (web.length !== 1 || web[0].target !== deployRoleArn(env) || web[0].outcome !== 'ok') {
    problems.push(`expected one successful AssumeRoleWithWebIdentity of ${deployRoleArn(env)}, got ${JSON.stringify(web.map((c) => [c.target, c.outcome, c.message]))}`);
  }
  const session = web[0]?.issued?.accessKeyId;
  const bootstrap = ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map((k) => bootstrapRole(env, k));
  const assumed = run.calls.filter((c) => c.action === 'AssumeRole');
  for (const c of assumed) {
    if (c.accessKeyId !== session) problems.push(`AssumeRole of ${c.target} by ${c.caller?.arn ?? c.accessKeyId}, not by the web identity session`);
    if (!bootstrap.includes(c.target ?? '') || c.outcome !== 'ok') problems.push(`AssumeRole of ${c.target}: ${c.outcome}`);
  }
  if (!assumed.some((c) => c.target === bootstrapRole(env, 'deploy') && c.outcome === 'ok')) problems.push(`the deploy role of ${env.account}/${env.region} was not assumed`);
  const known = new Set(run.calls.map((c) => c.issued?.accessKeyId).filter(Boolean));
  for (const c of run.calls) {
    if (c.accessKeyId && !known.has(c.accessKeyId)) problems.push(`${c.service} ${c.action} signed with ${c.accessKeyId} (${c.caller?.kind ?? 'unknown key'}), not a session of this step`);
    if (c.caller && c.caller.account !== env.account) problems.push(`${c.service} ${c.action} in account ${c.caller.account}`);
  }
  const stacks = stageStackNames(env);
  const cfn = run.calls.filter((c) => c.service === 'cloudformation' && stacks.includes(c.target ?? ''));
  if (!cfn.some((c) => c.caller?.roleArn === bootstrapRole(env, 'deploy'))) {
    problems.push(`CloudFormation was not reached for ${stacks.join(', ')} as ${bootstrapRole(env, 'deploy')}`);
  }
  if (!run.output.includes(CLOUDFORMATION_STOP_CODE) && !run.output.includes('the rehearsal stops here')) problems.push('the step did not end at the stand-in CloudFormation');
  return problems;
}

function refusals(run: StepRun): Array<Pick<RecordedCall, 'target' | 'outcome' | 'message'>> {
  return run.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity').map(({ target, outcome, message }) => ({ target, outcome, message }));
}

/** The line Bitbucket prints last: the CLI's own explanation of the failure. */
function lastErrorLine(output: string): string {
  return output.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('+ ') && !/NodeVersionSupportWarning|node >=22|a\.co\/|trace-warnings|updates|versions published|will require|AWS SDK/.test(l)).pop() ?? '';
}

describe('a deploy step with a token of its own environment', () => {
  test.each([ENVIRONMENTS.staging, ENVIRONMENTS.production])('$name: assumes exactly its deploy role, then its bootstrap roles, and reaches CloudFormation', async (env) => {
    const run = await runDeployStep({ step: env });
    expect(judgeDeploy(run, env)).toEqual([]);
    // Calls in the order the CLI makes them: web identity first, then the bootstrap roles of this account and region only.
    expect(run.calls[0]).toMatchObject({ service: 'sts', action: 'AssumeRoleWithWebIdentity', target: deployRoleArn(env), outcome: 'ok' });
    expect(run.calls[0].token?.sub).toBe(`{${REPOSITORY_UUID}}:{${env.deploymentUuid}}:{${run.token.stepUuid}}`);
    const assumed = new Set(run.calls.filter((c) => c.action === 'AssumeRole').map((c) => c.target));
    expect([...assumed].sort()).toEqual([bootstrapRole(env, 'deploy'), bootstrapRole(env, 'file-publishing')].sort());
    expect(run.calls.find((c) => c.service === 'ssm')).toMatchObject({ target: `/cdk-bootstrap/${QUALIFIER}/version`, caller: { roleArn: bootstrapRole(env, 'deploy') } });
    expect(run.calls.filter((c) => c.service === 's3').every((c) => c.caller?.roleArn === bootstrapRole(env, 'file-publishing')
      && (c.target ?? '').startsWith(`cdk-${QUALIFIER}-assets-${env.account}-${env.region}/`))).toBe(true);
    // The session name is the one the script sets from the build number.
    expect(run.calls[0].issued?.arn).toMatch(new RegExp(`assumed-role/[^/]+/bitbucket-${env.name}-\\d+$`));
  });
});

describe('a token the deploy role must refuse', () => {
  const staging = ENVIRONMENTS.staging;
  test.each<[string, () => StepToken, string, string]>([
    ['a token of another repository (same environment UUID)', () => tokenFor(staging, { repositoryUuid: OTHER_REPOSITORY }), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'],
    ['a token of another environment of the repository', () => tokenFor(ENVIRONMENTS.production), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'],
    ['a token of a step without deployment, sub {REPO}:{STEP}', () => tokenFor(undefined), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'],
    ['a token with another workspace\'s audience', () => tokenFor(staging, { audience: `${AUDIENCE_PREFIX}${OTHER_WORKSPACE_UUID}` }), 'InvalidIdentityToken', 'Incorrect token audience'],
  ])('%s: STS refuses it and the step fails', async (name, token, code, message) => {
    const run = await runDeployStep({ step: staging, token: token() });
    expect(run.result.status).not.toBe(0);
    expect(refusals(run)).toEqual([{ target: deployRoleArn(staging), outcome: code, message }]);
    // Nothing was done with any other identity.
    expect(run.calls.filter((c) => c.action !== 'AssumeRoleWithWebIdentity')).toEqual([]);
    expect(judgeDeploy(run, staging)).not.toEqual([]);
    // What the user reads (printed in afterAll; see README.md): not asserted, the product will add diagnostics.
    cliMessages[name] = lastErrorLine(run.output);
  });
});

describe('leftover static keys in the step environment', () => {
  beforeAll(() => {
    // An administrator's keys: if the CLI used them, calls would succeed, and as the wrong identity.
    fake.addStaticKey(LEFTOVER_KEY, `arn:aws:iam::${ENVIRONMENTS.staging.account}:user/leftover-admin`);
  });

  test('do not take over: every call is made with the web identity session, and the step names the variables, not their values', async () => {
    const run = await runDeployStep({
      step: ENVIRONMENTS.staging,
      userVariables: { AWS_ACCESS_KEY_ID: LEFTOVER_KEY, AWS_SECRET_ACCESS_KEY: LEFTOVER_SECRET },
    });
    expect(judgeDeploy(run, ENVIRONMENTS.staging)).toEqual([]);
    expect(run.calls.filter((c) => c.accessKeyId === LEFTOVER_KEY)).toEqual([]);
    expect(run.output).toMatch(/ignoring AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY/);
    expect(run.output).not.toContain(LEFTOVER_SECRET);
  });
});

/**
 * Credentials an image, a restored cache or a Bitbucket variable can bring:
 * a `[default]` profile in ~/.aws/credentials (CDK CLI 2.1148.1 prefers it
 * to the web identity), a shared credentials file named by
 * AWS_SHARED_CREDENTIALS_FILE, a config file (AWS_CONFIG_FILE) whose profile
 * runs a credential_process, chosen by AWS_DEFAULT_PROFILE.
 */
function credentialSources(home: string, runDir: string): Record<string, string> {
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), `[default]\naws_access_key_id = ${HOME_FILE_KEY}\naws_secret_access_key = home-file-secret\n`);
  const shared = path.join(runDir, 'shared-credentials');
  fs.writeFileSync(shared, `[default]\naws_access_key_id = ${VARIABLE_FILE_KEY}\naws_secret_access_key = variable-file-secret\n[leftover]\naws_access_key_id = ${VARIABLE_FILE_KEY}\naws_secret_access_key = variable-file-secret\n`);
  const marker = path.join(runDir, 'credential-process-ran');
  const config = path.join(runDir, 'aws-config');
  const processOutput = JSON.stringify({ Version: 1, AccessKeyId: CONFIG_PROFILE_KEY, SecretAccessKey: 'config-secret' });
  fs.writeFileSync(config, `[default]\nregion = eu-west-1\n[profile leftover]\ncredential_process = /bin/sh -c "touch '${marker}'; echo '${processOutput}'"\n`);
  return { AWS_SHARED_CREDENTIALS_FILE: shared, AWS_CONFIG_FILE: config, AWS_DEFAULT_PROFILE: 'leftover' };
}

describe('credential files and profiles in the step: only the OIDC role deploys', () => {
  const staging = ENVIRONMENTS.staging;
  beforeAll(() => {
    // Administrator keys in every file: if the CLI used any of them, its calls would succeed, as the wrong identity.
    for (const key of [HOME_FILE_KEY, VARIABLE_FILE_KEY, CONFIG_PROFILE_KEY]) fake.addStaticKey(key, `arn:aws:iam::${staging.account}:user/admin-${key.slice(4, 10).toLowerCase()}`);
  });
  const staticCalls = (run: StepRun) => run.calls.filter((c) => [HOME_FILE_KEY, VARIABLE_FILE_KEY, CONFIG_PROFILE_KEY].includes(c.accessKeyId ?? ''));

  test('~/.aws/credentials [default], AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE with a credential_process, AWS_DEFAULT_PROFILE: the step assumes its role, no call is signed with a static key', async () => {
    const run = await runDeployStep({ step: staging, prepare: credentialSources });
    expect(judgeDeploy(run, staging)).toEqual([]);
    expect(run.calls[0]).toMatchObject({ action: 'AssumeRoleWithWebIdentity', target: deployRoleArn(staging), outcome: 'ok' });
    expect(staticCalls(run)).toEqual([]);
    expect(fs.existsSync(path.join(path.dirname(run.cloneDir), '..', 'credential-process-ran'))).toBe(false);
    expect(run.output).toMatch(/Warning: ignoring AWS_DEFAULT_PROFILE AWS_SHARED_CREDENTIALS_FILE AWS_CONFIG_FILE ~\/\.aws\/credentials \(/);
    expect(run.output).not.toMatch(/home-file-secret|variable-file-secret|config-secret/);
  });

  test('(mutation) without the step\'s own empty credential files, ~/.aws/credentials [default] takes over and the role is never assumed', async () => {
    const run = await runDeployStep({
      step: staging,
      prepare: credentialSources,
      runnerMutations: [
        ["    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'aws-credentials'),\n    AWS_CONFIG_FILE: path.join(dir, 'aws-config'),\n", ''],
        ['for (const v of CREDENTIAL_FILE_VARIABLES) fs.writeFileSync(', 'for (const v of []) fs.writeFileSync('],
      ],
    });
    expect(run.calls.some((c) => c.accessKeyId === HOME_FILE_KEY)).toBe(true);
    expect(run.calls.some((c) => c.action === 'AssumeRoleWithWebIdentity')).toBe(false);
    expect(judgeDeploy(run, staging)).not.toEqual([]);
  });
});

describe('the CDK CLI the step runs', () => {
  let mirror: FakeRegistry;
  beforeAll(async () => {
    // A private mirror: the real aws-cdk tarball's bytes, served from 127.0.0.1.
    const tgz = cliTarball(pipelineCliVersion(project.dir), path.join(work, 'warm-home'), path.join(work, 'mirror'));
    mirror = new FakeRegistry(pipelineCliVersion(project.dir), fs.readFileSync(tgz));
    await mirror.start();
  });
  afterAll(async () => mirror?.stop());

  test('is the real aws-cdk, installed from a private mirror that serves the locked bytes (empty npm cache), and it deploys', async () => {
    const run = await runDeployStep({
      step: ENVIRONMENTS.staging,
      userVariables: { npm_config_registry: mirror.url, npm_config_offline: 'false' },
      prepare: (_home, runDir) => ({ npm_config_cache: path.join(runDir, 'empty-npm-cache') }),
    });
    expect(mirror.requests).toContain(`/aws-cdk/-/aws-cdk-${pipelineCliVersion(project.dir)}.tgz`);
    expect(run.output).toContain(`CDK CLI aws-cdk@${pipelineCliVersion(project.dir)} installed as locked in package-lock.json`);
    expect(judgeDeploy(run, ENVIRONMENTS.staging)).toEqual([]);
  });
});

describe('the OIDC token', () => {
  test('never appears in the step output nor in any file of the clone (artifacts included), and no file holds it after the step', async () => {
    const run = await runDeployStep({ step: ENVIRONMENTS.staging });
    expect(judgeDeploy(run, ENVIRONMENTS.staging)).toEqual([]);
    const [, payload, signature] = run.token.jwt.split('.');
    for (const part of [run.token.jwt, payload, signature]) {
      expect(run.output).not.toContain(part);
      expect(filesContaining(run.cloneDir, part)).toEqual([]);
      expect(filesContaining(project.dir, part)).toEqual([]);
    }
    // The runner wrote it to an owner-only file of its private directory (oidc-step-runner.test.ts) and removed that directory.
    expect(filesContaining(run.tmpdir, run.token.jwt)).toEqual([]);
  });
});

describe('the rehearsal fails when the pipeline or the trust is broken (mutations on copies)', () => {
  const staging = ENVIRONMENTS.staging;

  test('(a) a trust policy in the synthesised OIDC template that names another repository', async () => {
    const copy = path.join(work, 'mutated-cdk.oidc.out');
    fs.cpSync(path.join(project.dir, 'cdk.oidc.out'), copy, { recursive: true });
    const file = path.join(copy, `BitbucketOidc-${staging.account}.template.json`);
    const text = fs.readFileSync(file, 'utf-8');
    expect(text).toContain(`{${REPOSITORY_UUID}}*{${staging.deploymentUuid}}:*`);
    fs.writeFileSync(file, text.split(`{${REPOSITORY_UUID}}*`).join(`{${OTHER_REPOSITORY}}*`));
    const mutated = new FakeAws({ iam: IamModel.fromAssembly(copy), maxLifetimeMs: 5 * 60_000 });
    await mutated.start();
    try {
      const run = await runDeployStep({ step: staging, aws: mutated });
      expect(run.result.status).not.toBe(0);
      expect(refusals(run)).toEqual([{ target: deployRoleArn(staging), outcome: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' }]);
      expect(judgeDeploy(run, staging)).not.toEqual([]);
    } finally {
      await mutated.stop();
    }
  });

  test('(b) the role ARN in bitbucket-pipelines.yml (staging step given the production role)', async () => {
    const swap = (line: string) => line.split(deployRoleArn(staging)).join(deployRoleArn(ENVIRONMENTS.production));
    const yaml = withDeployScript(pipelineYaml, staging.deployment, (lines) => lines.map(swap));
    expect(yaml).not.toBe(pipelineYaml);
    const run = await runDeployStep({ step: staging, yaml });
    expect(run.result.status).not.toBe(0);
    expect(refusals(run)).toEqual([{ target: deployRoleArn(ENVIRONMENTS.production), outcome: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' }]);
    expect(judgeDeploy(run, staging)).not.toEqual([]);
  });

  test('(c) the step runner without giving the CLI AWS_WEB_IDENTITY_TOKEN_FILE', async () => {
    const run = await runDeployStep({
      step: staging,
      runnerMutations: [['commandEnv.AWS_WEB_IDENTITY_TOKEN_FILE = writeToken(dir, token);', 'writeToken(dir, token);']],
    });
    expect(run.result.status).not.toBe(0);
    expect(judgeDeploy(run, staging)).not.toEqual([]);
    expect(run.calls.filter((c) => c.service === 'cloudformation')).toEqual([]);
  });

  test('(d) the step runner without dropping leftover static keys: they take over', async () => {
    fake.addStaticKey(LEFTOVER_KEY, `arn:aws:iam::${staging.account}:user/leftover-admin`);
    const userVariables = { AWS_ACCESS_KEY_ID: LEFTOVER_KEY, AWS_SECRET_ACCESS_KEY: LEFTOVER_SECRET };
    const run = await runDeployStep({
      step: staging,
      userVariables,
      runnerMutations: [['new Set([TOKEN_VARIABLE, ...LEFTOVER_CREDENTIAL_VARIABLES, ', 'new Set([TOKEN_VARIABLE, ']],
    });
    expect(run.calls.some((c) => c.accessKeyId === LEFTOVER_KEY)).toBe(true);
    expect(judgeDeploy(run, staging)).not.toEqual([]);
  });
});

describe('what the deploy step runs besides the deploy', () => {
  let projenCalls: string;

  test('a step deploys as expected while the projen stand-in records what the CDK CLI runs first', async () => {
    fs.rmSync(projenLog, { force: true });
    const run = await runDeployStep({ step: ENVIRONMENTS.staging });
    expect(judgeDeploy(run, ENVIRONMENTS.staging)).toEqual([]);
    projenCalls = fs.existsSync(projenLog) ? fs.readFileSync(projenLog, 'utf-8') : '';
  });

  // The CDK CLI runs cdk.json's `build` (`npx projen bundle`) before every command, even
  // `deploy --app cdk.out`, unless told `--build ''`; in a deploy step (no node_modules) npx would
  // download the latest, unpinned projen.
  test('does not run the project build (`npx projen ...`), which needs node_modules the step does not have', () => {
    expect(projenCalls).toBe('');
  });
});

describe('the OIDC deploy task run by an administrator', () => {
  test.each([ENVIRONMENTS.staging, ENVIRONMENTS.production])('bitbucket:oidc:deploy:<account> of $name\'s account deploys that account\'s stack, in that account', async (env) => {
    const adminKey = `AKIAADMIN${env.account.slice(0, 11)}`;
    const adminArn = `arn:aws:iam::${env.account}:user/administrator`;
    fake.addStaticKey(adminKey, adminArn);
    const home = path.join(fs.mkdtempSync(path.join(work, 'admin-')), 'home');
    const base = userEnv();
    for (const k of Object.keys(base)) if (/^(AWS_|CDK_)/.test(k)) delete base[k];
    const stack = iam.stacks.find((s) => s.account === env.account)!;
    expect(stack).toBeDefined();
    const mark = fake.calls.length;
    const r = await spawnAsync('npx', ['projen', `bitbucket:oidc:deploy:${env.account}`], {
      cwd: project.dir,
      env: {
        ...base,
        HOME: home,
        ...offlineSettings(home),
        AWS_ENDPOINT_URL: fake.endpoint,
        AWS_ACCESS_KEY_ID: adminKey,
        AWS_SECRET_ACCESS_KEY: 'administrator-secret',
        AWS_REGION: env.region,
      },
      timeoutMs: 5 * 60_000,
    });
    timings[`bitbucket:oidc:deploy:${env.account}`] = r.seconds;
    const calls = fake.since(mark);
    expect(r.status).not.toBe(0); // it ends at the stand-in CloudFormation
    expect(r.stdout + r.stderr).toContain('the rehearsal stops here');
    // The administrator's identity, in that account, is what assumes the bootstrap roles.
    const assumes = calls.filter((c) => c.action === 'AssumeRole');
    expect(assumes.length).toBeGreaterThan(0);
    expect(assumes.every((c) => c.caller?.arn === adminArn && c.outcome === 'ok')).toBe(true);
    const cfn = calls.filter((c) => c.service === 'cloudformation' && c.target === stack.stackName);
    expect(cfn.length).toBeGreaterThan(0);
    expect(cfn.every((c) => c.caller?.roleArn === bootstrapRole({ ...env, region: stack.region }, 'deploy'))).toBe(true);
    // Nothing in another account, and no deploy role of the pipeline involved.
    expect(calls.filter((c) => c.caller && c.caller.account !== env.account)).toEqual([]);
    expect(calls.filter((c) => c.action === 'AssumeRole' && !(c.target ?? '').startsWith(`arn:aws:iam::${env.account}:role/cdk-${QUALIFIER}-`))).toEqual([]);
    expect(calls.some((c) => c.action === 'AssumeRoleWithWebIdentity')).toBe(false);
  });
});
