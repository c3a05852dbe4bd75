/**
 * Preview rehearsal (issue 14): the pull-request pipeline's `Preview <env>`
 * steps of a generated `bitbucket-pipelines.yml`, run as Bitbucket would run
 * them (script lines in bash, a clone with the `cdk.out` artifact, Bitbucket's
 * variables, a pull-request step's OIDC token), with the project's real
 * tooling (`npm ci` of its lockfile, `bitbucket-cdk-preview`), against the
 * stand-in AWS (deployed templates served by its CloudFormation, every call
 * authorised by the synthesised read role's policies) and a stand-in of the
 * pipeline's Code Insights proxy that records what is posted.
 * See README.md in this folder for what this proves and what it cannot.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { FakeAws, RecordedCall } from './fake-aws';
import { FakeInsightsProxy, ProxiedRequest, StoredReport } from './fake-insights-proxy';
import { IamModel, RoleModel } from './iam-model';
import { cloneForStep, lineSeconds, pipelineSteps, PipelineStepPlacement, runnerScript, spawnAsync } from './pipeline-step';
import type { ProcessResult } from './pipeline-step';
import { addQueueAndDatabase, DATABASE_ID, logicalIdOf, PREVIEW_ENVIRONMENTS, QUEUE_ID, stageStack, warmProjectNpmCache } from './preview-project';
import { createRehearsalProject, REPOSITORY_UUID, RehearsalEnvironment, RehearsalProject, WORKSPACE, WORKSPACE_UUID } from './rehearsal-project';
import { bitbucketStepEnvironment } from './step-environment';
import { PACKAGE_NAME, packedPackage, run as runCommand, userEnv } from '../../scripts/project-factory';
import { LocalRegistry, startLocalRegistry } from '../e2e/local-registry';
import { stepToken, StepToken } from '../support/bitbucket-token';
import { tempDir } from '../util';

jest.setTimeout(15 * 60_000);

const { dev, staging, production } = PREVIEW_ENVIRONMENTS;
const ALL = [dev, staging, production];
const OTHER_REPOSITORY = '9d8c7b6a-1111-4222-8333-444455556666';
const VERSION_PARAMETER = '/cdk-bootstrap/hnb659fds/version';
/** What a preview may call, besides AssumeRoleWithWebIdentity. */
const PREVIEW_ACTIONS = ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate', 'ssm:GetParameter'];
/** What a drift check may call, besides AssumeRoleWithWebIdentity. */
const DRIFT_ACTIONS = ['cloudformation:DescribeStacks', 'cloudformation:DetectStackDrift', 'cloudformation:DescribeStackDriftDetectionStatus', 'cloudformation:DescribeStackResourceDrifts'];
const DRIFT_PIPELINE = 'drift-detection';

let work: string;
let project: RehearsalProject;
let pipelineYaml: string;
let iam: IamModel;
let fake: FakeAws;
let proxy: FakeInsightsProxy;
/** Serves the packed package as published: the preview steps' lockfile check accepts only a registry's own tarballs. */
let registry: LocalRegistry | undefined;
/** npm's cache that `projen new` and `npx projen` filled: the steps' `npm ci` installs from it, offline (Bitbucket's `npm` cache). */
let npmCache: string;
const timings: Record<string, number> = {};
const lineTimes: Record<string, Array<{ line: string; seconds: number }>> = {};

interface PreviewRun {
  readonly env: RehearsalEnvironment;
  readonly result: ProcessResult;
  readonly output: string;
  readonly calls: RecordedCall[];
  readonly requests: ProxiedRequest[];
  readonly commit: string;
  readonly cloneDir: string;
  readonly token: StepToken;
}

/** Each environment's deployed state in the stand-in, and the logical IDs involved; staging's database also drifted (storage resized by hand). */
const scenario = { queueId: '', databaseId: '' };

beforeAll(async () => {
  const t0 = Date.now();
  work = tempDir('pbc-preview-rehearsal-');
  // PBC_REHEARSAL_PROJECT=<dir> reuses a project kept by PBC_REHEARSAL_KEEP (while working on this file only).
  const reused = process.env.PBC_REHEARSAL_PROJECT;
  if (!reused) {
    const tarball = packedPackage(path.join(work, 'package'));
    const version: string = JSON.parse(runCommand('tar', ['xzOf', tarball, 'package/package.json'], work).stdout).version;
    registry = await startLocalRegistry([{ name: PACKAGE_NAME, version, tarball }]);
    project = createRehearsalProject(work, { environments: ALL, editSource: addQueueAndDatabase, registry: { url: registry.url, version } });
  } else {
    project = { dir: reused, timings: {} };
  }
  Object.assign(timings, project.timings);
  pipelineYaml = fs.readFileSync(path.join(project.dir, 'bitbucket-pipelines.yml'), 'utf-8');
  npmCache = runCommand('npm', ['config', 'get', 'cache'], project.dir, { env: userEnv() }).stdout.trim();
  timings['warm the npm cache (npm ci, prefer-offline)'] = warmProjectNpmCache(project.dir, npmCache, path.join(work, 'warm'));
  iam = IamModel.fromAssembly(path.join(project.dir, 'cdk.oidc.out'));
  // One IN_PROGRESS answer per drift detection: the drift tool polls.
  fake = new FakeAws({ iam, cloudFormationReads: true, driftPolls: 1 });
  await fake.start();
  proxy = new FakeInsightsProxy();
  await proxy.start();

  // staging: deployed before the queue was added (the change adds a resource).
  const stagingStack = stageStack(project.dir, staging);
  scenario.queueId = logicalIdOf(stagingStack.template, 'AWS::SQS::Queue');
  const withoutQueue = structuredClone(stagingStack.template);
  delete withoutQueue.Resources[scenario.queueId];
  fake.deployStack({
    account: staging.account,
    region: staging.region,
    stackName: stagingStack.stackName,
    template: withoutQueue,
    tags: stagingStack.tags,
    drift: [{ logicalId: logicalIdOf(withoutQueue, 'AWS::RDS::DBInstance'), differences: [{ path: '/AllocatedStorage', expected: '20', actual: '50' }] }],
  });
  // production: deployed with an unencrypted database (the change encrypts it: CloudFormation replaces the instance).
  const productionStack = stageStack(project.dir, production);
  scenario.databaseId = logicalIdOf(productionStack.template, 'AWS::RDS::DBInstance');
  const unencrypted = structuredClone(productionStack.template);
  expect(unencrypted.Resources[scenario.databaseId].Properties.StorageEncrypted).toBe(true);
  unencrypted.Resources[scenario.databaseId].Properties.StorageEncrypted = false;
  fake.deployStack({
    account: production.account, region: production.region, stackName: productionStack.stackName, template: unencrypted, tags: productionStack.tags,
  });
  // dev: nothing deployed yet.
  timings['beforeAll total'] = (Date.now() - t0) / 1000;
});

afterAll(async () => {
  registry?.stop();
  await fake?.stop();
  await proxy?.stop();
  const alone = lineTimes[PREVIEW_ALONE] ?? [];
  const install = alone.find((l) => l.line.includes('npm ci'))?.seconds;
  const tool = alone.find((l) => l.line.includes('npx projen preview:'))?.seconds;
  console.log(`time a preview step adds to a pull-request pipeline (one step alone on this machine, its script only): ${timings[PREVIEW_ALONE]} s `
    + `(npm ci ${install} s, npx projen preview:<env> --report ${tool} s)\n`
    + `preview rehearsal wall times (s): ${JSON.stringify(timings, null, 1)}\nper line of the steps, 0.5 s and more (s): ${JSON.stringify(lineTimes, null, 1)}`);
  // PBC_REHEARSAL_KEEP=1 keeps the project, clones and logs for a look after a failure.
  if (work && !process.env.PBC_REHEARSAL_KEEP) fs.rmSync(work, { recursive: true, force: true });
  else if (work) console.log(`kept ${work}`);
});

function previewRole(env: RehearsalEnvironment): RoleModel {
  const role = iam.roles.find((r) => r.account === env.account && r.logicalId === 'PreviewRole');
  if (!role) throw new Error(`no PreviewRole in account ${env.account} in cdk.oidc.out (roles: ${iam.roles.map((r) => `${r.account}/${r.logicalId}`).join(', ')})`);
  return role;
}

function previewSteps(): PipelineStepPlacement[] {
  return pipelineSteps(pipelineYaml, ['pull-requests', '**']).filter((s) => /^Preview /.test(s.name));
}

/** A pull-request step's token: no deployment, so `sub` is `{REPO}:{STEP}`. */
function pullRequestToken(repositoryUuid = REPOSITORY_UUID): StepToken {
  return stepToken({ workspace: WORKSPACE, workspaceUuid: WORKSPACE_UUID, repositoryUuid, branchName: 'feature/encrypt-orders' });
}

/** Runs the `Preview <env>` step of the pull-request pipeline in a fresh clone, as Bitbucket would. */
async function runPreviewStep(env: RehearsalEnvironment, token: StepToken = pullRequestToken(), label = `Preview ${env.name}`): Promise<PreviewRun> {
  return runReadRoleStep(previewSteps(), `Preview ${env.name}`, env, token, label);
}

function driftSteps(): PipelineStepPlacement[] {
  return pipelineSteps(pipelineYaml, ['custom', DRIFT_PIPELINE]).filter((s) => /^Drift /.test(s.name));
}

/** Runs a step of the pipeline that reads AWS with the read role (preview or drift), in a fresh clone, as Bitbucket would. */
async function runReadRoleStep(
  steps: PipelineStepPlacement[], name: string, env: RehearsalEnvironment, token: StepToken, label: string,
): Promise<PreviewRun> {
  const step = steps.find((s) => s.name === name);
  if (!step) throw new Error(`no step "${name}" in the pipeline: ${steps.map((s) => s.name).join(', ')}`);
  const runDir = fs.mkdtempSync(path.join(work, `${name.replace(/\W+/g, '-')}-`));
  const cloneDir = path.join(runDir, 'clone', 'my-app');
  cloneForStep({ projectDir: project.dir, cloneDir });
  const tmpdir = path.join(runDir, 'tmp');
  const home = path.join(runDir, 'home');
  fs.mkdirSync(tmpdir);
  fs.mkdirSync(home);
  const commit = randomBytes(20).toString('hex');
  const envVars = bitbucketStepEnvironment({
    cloneDir,
    endpoint: fake.endpoint,
    oidcToken: token.jwt,
    workspace: WORKSPACE,
    workspaceUuid: WORKSPACE_UUID,
    repositoryUuid: REPOSITORY_UUID,
    stepUuid: token.stepUuid,
    pipelineUuid: token.pipelineUuid,
    home,
    tmpdir,
    userVariables: {
      BITBUCKET_BRANCH: 'feature/encrypt-orders',
      BITBUCKET_COMMIT: commit,
      BITBUCKET_PR_ID: '7',
      BITBUCKET_PR_DESTINATION_BRANCH: 'main',
      // On Bitbucket the tool uses the pipeline's proxy, http://localhost:29418.
      BITBUCKET_CDK_INSIGHTS_PROXY: proxy.url,
      npm_config_cache: npmCache,
    },
  });
  const script = path.join(runDir, 'bitbucket-step.sh');
  fs.writeFileSync(script, runnerScript(step.script, { timestamps: true }));
  const awsMark = fake.calls.length;
  const proxyMark = proxy.requests.length;
  const result = await spawnAsync('bash', [script], { cwd: cloneDir, env: envVars, timeoutMs: 6 * 60_000 });
  timings[label] = result.seconds;
  lineTimes[label] = lineSeconds(result.stderr, step.script).filter((l) => l.seconds >= 0.5);
  const output = result.stdout + result.stderr;
  fs.writeFileSync(path.join(runDir, 'step.log'), output);
  const requests = proxy.since(proxyMark).filter((r) => r.url.includes(`/commit/${commit}/`) || !r.url.includes('/commit/'));
  return { env, result, output, calls: callsOfStep(fake.since(awsMark), token), requests, commit, cloneDir, token };
}

/**
 * The calls of the step that held `token`, among those of steps running at
 * the same time: its AssumeRoleWithWebIdentity (by the token's `sub`, whose
 * step UUID is unique), then every call signed with a session issued to it.
 * Calls no step's session signed (static keys, unknown keys, unsigned) are
 * kept, so that the verdict sees them.
 */
function callsOfStep(calls: RecordedCall[], token: StepToken): RecordedCall[] {
  const owner = new Map<string, string>();
  for (const c of calls) {
    if (!c.issued) continue;
    const sub = c.action === 'AssumeRoleWithWebIdentity' ? c.token?.sub : owner.get(c.accessKeyId ?? '');
    if (sub) owner.set(c.issued.accessKeyId, sub);
  }
  return calls.filter((c) => (c.action === 'AssumeRoleWithWebIdentity'
    ? c.token?.sub === token.claims.sub
    : (owner.get(c.accessKeyId ?? '') ?? token.claims.sub) === token.claims.sub));
}

/** What must hold for any preview (or drift) step: the read role of its account, assumed with the step's token, and reads only. */
function judgePreview(run: PreviewRun, allowed = PREVIEW_ACTIONS): string[] {
  const problems: string[] = [];
  const { env } = run;
  const role = previewRole(env);
  const web = run.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity');
  if (web.length !== 1 || web[0].target !== role.arn || web[0].outcome !== 'ok') {
    problems.push(`expected one successful AssumeRoleWithWebIdentity of ${role.arn}, got ${JSON.stringify(web.map((c) => [c.target, c.outcome, c.message]))}`);
  }
  if (web[0]?.token?.sub !== `{${REPOSITORY_UUID}}:{${run.token.stepUuid}}`) problems.push(`token sub ${web[0]?.token?.sub} is not the pull-request step's`);
  const session = web[0]?.issued?.accessKeyId;
  const stack = stageStack(project.dir, env).stackName;
  for (const c of run.calls.filter((x) => x.action !== 'AssumeRoleWithWebIdentity')) {
    const what = `${c.service}:${c.action}`;
    if (!allowed.includes(what)) problems.push(`called ${what} (${c.target}): the step may only call ${allowed.join(', ')}`);
    if (c.accessKeyId !== session) problems.push(`${what} signed with ${c.accessKeyId} (${c.caller?.arn}), not the read role's session`);
    if (c.caller?.account !== env.account || c.region !== env.region) problems.push(`${what} in ${c.caller?.account}/${c.region}, not ${env.account}/${env.region}`);
    const drift = c.action === 'DescribeStackDriftDetectionStatus';
    if (c.service === 'cloudformation' && !drift && c.target !== stack && !(c.target ?? '').includes(`:stack/${stack}/`)) problems.push(`${what} of ${c.target}, not of the stage's stack ${stack}`);
    if (c.service === 'ssm' && c.target !== VERSION_PARAMETER) problems.push(`${what} of ${c.target}`);
    if (!['ok', 'ValidationError'].includes(c.outcome)) problems.push(`${what} of ${c.target}: ${c.outcome} ${c.message ?? ''}`.trim());
  }
  if (!run.calls.some((c) => c.action === 'DescribeStacks' && c.target === stack)) problems.push(`no DescribeStacks of ${stack}`);
  return problems;
}

/** The report the step posted for its environment, and the requests that posted it. */
function postedReport(run: PreviewRun): { report: StoredReport; put: ProxiedRequest; posts: ProxiedRequest[] } {
  const reportId = `cdk-preview-${run.env.name}`;
  const base = `http://api.bitbucket.org/2.0/repositories/${WORKSPACE}/my-app/commit/${run.commit}/reports/${reportId}`;
  const put = run.requests.filter((r) => r.method === 'PUT' && r.url === base);
  expect(put.map((r) => r.status)).toEqual([200]);
  const posts = run.requests.filter((r) => r.method === 'POST' && r.url === `${base}/annotations`);
  expect(posts.every((r) => r.status === 200)).toBe(true);
  // Besides, at most the removal of an earlier report of the same commit (a re-run) before the PUT; nothing else, nothing failed.
  const deletes = run.requests.filter((r) => r.method === 'DELETE' && r.url === base && r.seq < put[0].seq && [204, 404].includes(r.status));
  expect(run.requests.filter((r) => !put.includes(r) && !posts.includes(r) && !deletes.includes(r)).map((r) => `${r.method} ${r.url} ${r.status}`)).toEqual([]);
  const report = proxy.report(run.commit, reportId);
  if (!report) throw new Error(`no report ${reportId} on ${run.commit}; requests: ${JSON.stringify(run.requests.map((r) => [r.method, r.url, r.status, r.response]))}`);
  return { report, put: put[0], posts };
}

const text = (value: unknown) => JSON.stringify(value);
/** The run whose time is the time a preview adds to a pull-request pipeline. */
const PREVIEW_ALONE = 'Preview staging (alone)';

/** The step's exit status, with the end of its log when it is not the expected one. */
function expectExit(run: PreviewRun, status: number): void {
  if (run.result.status !== status) {
    throw new Error(`Preview ${run.env.name} ended ${run.result.status}, expected ${status}; end of its log:\n${run.output.split('\n').filter((l) => !l.startsWith('[rehearsal-time]')).slice(-40).join('\n')}`);
  }
}

describe('the pull-request pipeline', () => {
  test('previews each environment after the build: one parallel set, fail-fast false, oidc, no deployment, cdk.preview/** kept', () => {
    const steps = pipelineSteps(pipelineYaml, ['pull-requests', '**']);
    const previews = previewSteps();
    expect(previews.map((s) => s.name)).toEqual(ALL.map((e) => `Preview ${e.name}`));
    const build = steps.findIndex((s) => (s.artifacts ?? []).includes('cdk.out/**'));
    expect(build).toBeGreaterThanOrEqual(0);
    for (const s of previews) {
      expect(s).toMatchObject({ oidc: true, deployment: undefined, parallel: { failFast: false, size: ALL.length }, artifacts: ['cdk.preview/**'] });
      expect(s.item).toBe(previews[0].item);
      expect(s.item).toBeGreaterThan(steps[build].item);
    }
  });
});

describe('a pull request previews every environment with the read role and posts one report per environment', () => {
  const runs: Record<string, PreviewRun> = {};
  let otherRepository: PreviewRun;
  beforeAll(async () => {
    // On Bitbucket each step of the parallel set has a runner of its own, so one step's time is what the set adds to
    // the pull request: staging runs alone to measure it. Then the other two together, with a step holding a token of
    // another repository (three steps sharing this machine's cores).
    runs.staging = await runPreviewStep(staging, pullRequestToken(), PREVIEW_ALONE);
    const t0 = Date.now();
    [runs.dev, runs.production, otherRepository] = await Promise.all([
      runPreviewStep(dev),
      runPreviewStep(production),
      runPreviewStep(staging, pullRequestToken(OTHER_REPOSITORY), 'Preview staging, token of another repository'),
    ]);
    timings['three preview steps at once'] = (Date.now() - t0) / 1000;
  });

  test.each(ALL)('$name: the step ends 0, assumed its account\'s read role with the pull-request token, and only read its stage\'s stack and the bootstrap version', (env) => {
    const run = runs[env.name];
    expectExit(run, 0);
    expect(judgePreview(run)).toEqual([]);
    expect(run.calls.filter((c) => c.action === 'AssumeRole')).toEqual([]);
    expect(run.calls.some((c) => c.service === 'ssm' && c.outcome === 'ok')).toBe(true);
  });

  test('staging (the change adds a queue): PASSED report, with an annotation for the added queue', () => {
    const { report, put, posts } = postedReport(runs.staging);
    expect(report.report).toMatchObject({ result: 'PASSED' });
    expect(text(report.report)).toMatch(/staging/);
    expect(put.headers.host).toBe('api.bitbucket.org');
    expect(posts.length).toBeGreaterThan(0);
    const added = report.annotations.filter((a) => text(a).includes(scenario.queueId));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ annotation_type: 'CODE_SMELL' });
    expect(added[0].summary).toMatch(/AWS::SQS::Queue/);
    expect(added[0].summary).toMatch(/created|add/i);
    // Nothing else changes in staging: no annotation names the database.
    expect(report.annotations.filter((a) => text(a).includes(scenario.databaseId))).toEqual([]);
    expect(runs.staging.output).toMatch(new RegExp(`AWS::SQS::Queue [^\\n]*${QUEUE_ID}[^\\n]*: (added|created)`));
  });

  test('production (the change encrypts the database: CloudFormation replaces it): FAILED report calling the database out', () => {
    const { report } = postedReport(runs.production);
    expect(report.report).toMatchObject({ result: 'FAILED' });
    const database = report.annotations.filter((a) => text(a).includes(scenario.databaseId));
    expect(database.length).toBeGreaterThan(0);
    expect(text(database)).toMatch(/AWS::RDS::DBInstance/);
    expect(text(database)).toMatch(/replace/i);
    // The property that forces the replacement is named.
    expect(text(database)).toContain('StorageEncrypted');
    expect(text(report.report)).toMatch(/replace/i);
    expect(runs.production.output).toMatch(new RegExp(`AWS::RDS::DBInstance [^\\n]*${DATABASE_ID}[^\\n]*: replaced`));
  });

  test('dev (nothing deployed yet): a clear first-deployment report, PASSED, and the step ends 0', () => {
    const run = runs.dev;
    expectExit(run, 0);
    expect(run.calls.filter((c) => c.service === 'cloudformation').map((c) => [c.action, c.outcome])).toEqual([['DescribeStacks', 'ValidationError']]);
    const { report } = postedReport(run);
    expect(report.report).toMatchObject({ result: 'PASSED' });
    expect(text(report.report)).toMatch(/first deployment/i);
    expect(run.output).toMatch(/first deployment/i);
  });

  test('the full diff and the structured result are in the step\'s artifact folder cdk.preview/', () => {
    for (const env of ALL) {
      const dir = path.join(runs[env.name].cloneDir, 'cdk.preview');
      expect(fs.existsSync(path.join(dir, `${env.name}.diff.txt`))).toBe(true);
      expect(() => JSON.parse(fs.readFileSync(path.join(dir, `${env.name}.json`), 'utf-8'))).not.toThrow();
    }
    expect(fs.readFileSync(path.join(runs.staging.cloneDir, 'cdk.preview', 'staging.diff.txt'), 'utf-8')).toContain(scenario.queueId);
    // No colours in the artifact.
    expect(fs.readFileSync(path.join(runs.production.cloneDir, 'cdk.preview', 'production.diff.txt'), 'utf-8')).not.toMatch(/\u001b\[/);
  });

  test('the token and the session\'s keys appear in no output, no request to the proxy, no file of the clone (artifacts included); no credentials are sent to the proxy', () => {
    for (const run of Object.values(runs)) {
      const [, payload, signature] = run.token.jwt.split('.');
      const sessionKey = run.calls.find((c) => c.action === 'AssumeRoleWithWebIdentity')?.issued?.accessKeyId;
      expect(sessionKey).toBeDefined();
      for (const secret of [payload, signature, sessionKey!]) {
        expect(run.output).not.toContain(secret);
        expect(run.requests.filter((r) => `${r.url}${JSON.stringify(r.headers)}${r.body}`.includes(secret))).toEqual([]);
        expect(run.calls.filter((c) => JSON.stringify(c.input ?? {}).includes(secret))).toEqual([]);
      }
      expect(filesContainingAny(run.cloneDir, [payload, signature])).toEqual([]);
      expect(run.requests.filter((r) => r.headers.authorization || r.headers['proxy-authorization'])).toEqual([]);
    }
  });

  test('a token of another repository: the read role refuses it; the step still ends 0 and posts a "not previewed" report', () => {
    const run = otherRepository;
    expectExit(run, 0);
    expect(run.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity').map((c) => [c.target, c.outcome])).toEqual([[previewRole(staging).arn, 'AccessDenied']]);
    // Nothing read with any identity.
    expect(run.calls.filter((c) => c.action !== 'AssumeRoleWithWebIdentity')).toEqual([]);
    const { report } = postedReport(run);
    expect(text(report.report)).toMatch(/not previewed/i);
    expect(report.report.result).not.toBe('FAILED');
    expect(run.output).toMatch(/not previewed/i);
    expect(run.output).not.toContain(run.token.jwt.split('.')[2]);
    expect(run.requests.filter((r) => `${r.url}${JSON.stringify(r.headers)}${r.body}`.includes(run.token.jwt.split('.')[2]))).toEqual([]);
    expect(filesContainingAny(run.cloneDir, run.token.jwt.split('.').slice(1))).toEqual([]);
  });
});

describe('the custom pipeline drift-detection checks every environment with the read role', () => {
  const runs: Record<string, PreviewRun> = {};
  beforeAll(async () => {
    const t0 = Date.now();
    // A custom pipeline's steps: no pull request, no deployment; the token's sub is {REPO}:{STEP} as in a pull-request step.
    for (const run of await Promise.all(ALL.map((env) => runReadRoleStep(driftSteps(), `Drift ${env.name}`, env, pullRequestToken(), `Drift ${env.name}`)))) runs[run.env.name] = run;
    timings[`the parallel set of ${DRIFT_PIPELINE} (three steps at once)`] = (Date.now() - t0) / 1000;
  });

  test('the pipeline has one Drift step per environment in one parallel set, fail-fast false, oidc, no deployment', () => {
    const steps = driftSteps();
    expect(steps.map((s) => s.name)).toEqual(ALL.map((e) => `Drift ${e.name}`));
    for (const s of steps) expect(s).toMatchObject({ oidc: true, deployment: undefined, parallel: { failFast: false, size: ALL.length } });
  });

  test.each(ALL)('$name: the read role of its account, assumed with the step\'s token, only detects drift of its stage\'s stack', (env) => {
    expect(judgePreview(runs[env.name], DRIFT_ACTIONS)).toEqual([]);
    expect(runs[env.name].calls.filter((c) => c.action === 'AssumeRole' || c.action === 'GetTemplate' || c.service === 'ssm')).toEqual([]);
  });

  test('staging (storage resized by hand): the step fails, naming the database, the property, expected and actual values', () => {
    const run = runs.staging;
    expectExit(run, 1);
    expect(run.calls.filter((c) => c.action === 'DescribeStackDriftDetectionStatus').map((c) => c.outcome)).toEqual(['ok', 'ok']);
    expect(run.output).toContain(scenario.databaseId);
    expect(run.output).toContain('AllocatedStorage');
    expect(run.output).toMatch(/\b20\b[\s\S]*\b50\b/);
  });

  test('production (in sync) passes; dev (nothing deployed) passes and says it is not deployed', () => {
    expectExit(runs.production, 0);
    expect(runs.production.output).toMatch(new RegExp(`${stageStack(project.dir, production).stackName}: in sync`, 'i'));
    expectExit(runs.dev, 0);
    expect(runs.dev.output).toMatch(new RegExp(`${stageStack(project.dir, dev).stackName}: not deployed`, 'i'));
    expect(runs.dev.calls.filter((c) => c.service === 'cloudformation').map((c) => [c.action, c.outcome])).toEqual([['DescribeStacks', 'ValidationError']]);
  });

  test('the token appears in no output and no file of the clone', () => {
    for (const run of Object.values(runs)) {
      const [, payload, signature] = run.token.jwt.split('.');
      expect(run.output).not.toContain(payload);
      expect(run.output).not.toContain(signature);
      expect(filesContainingAny(run.cloneDir, [payload, signature])).toEqual([]);
    }
  });
});

/** Every regular file under `dir` containing any of `needles` (each file read once). */
function filesContainingAny(dir: string, needles: string[]): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        walk(p);
      } else if (entry.isFile()) {
        const content = fs.readFileSync(p);
        if (needles.some((n) => content.includes(n))) found.push(p);
      }
    }
  };
  walk(dir);
  return found;
}
