/**
 * The preview end to end, in process: `main` with the real AWS SDK against
 * the fake AWS endpoint (AWS_ENDPOINT_URL) and the real HTTP client against
 * the fake Code Insights proxy; assemblies synthesised by aws-cdk-lib.
 */
import { execFile } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, CfnWaitConditionHandle, Stack, Stage } from 'aws-cdk-lib';
import { BASE_VERSION, sampleTemplate, SampleAppVersion, synthAssembly, tagAsApp } from './cdk-templates';
import { FakeInsightsProxy } from './fake-insights-proxy';
import { main } from '../../src/preview/cli';
import { FakeAwsEndpoint, FakeAwsEndpointOptions, FakeStack, isolatedAwsEnv, setProcessEnv } from '../support/fake-aws-endpoint';

const ACCOUNT = '111111111111';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/bitbucket-preview-app-0c1d2e3f`;
const COMMIT = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ7cmVwb306e3N0ZXB9IiwiYXVkIjoiYXJpIn0.c2lnbmF0dXJlLXNlY3JldC10b2tlbg';
const BOOTSTRAP = { '/cdk-bootstrap/hnb659fds/version': '30' };

let dir: string;
const stops: (() => Promise<void> | void)[] = [];
/** Assemblies by app version: each is synthesised once for the whole file (the tool only reads them). */
const assemblies = new Map<string, string>();
const assembliesDir = mkdtempSync(path.join(tmpdir(), 'preview-cli-assemblies-'));
afterAll(() => rmSync(assembliesDir, { recursive: true, force: true }));

function assemblyOf(version: SampleAppVersion): string {
  const key = JSON.stringify(version);
  if (!assemblies.has(key)) {
    const outdir = path.join(assembliesDir, `cdk.out.${assemblies.size}`);
    synthAssembly(outdir, 'dev', { App: version });
    assemblies.set(key, outdir);
  }
  return assemblies.get(key)!;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'preview-cli-'));
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  rmSync(dir, { recursive: true, force: true });
});

const deployedBase: FakeStack = { name: 'dev-App', status: 'UPDATE_COMPLETE', template: sampleTemplate(BASE_VERSION) };

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly aws: FakeAwsEndpoint;
  readonly proxy: FakeInsightsProxy;
  readonly outputDir: string;
}

async function run(options: {
  assembly?: SampleAppVersion;
  aws?: FakeAwsEndpointOptions;
  credentials?: 'web-identity' | 'none' | 'role-without-token';
  args?: string[];
  proxy?: FakeInsightsProxy;
  bitbucket?: Record<string, string | undefined>;
}): Promise<Run> {
  const assembly = assemblyOf(options.assembly ?? BASE_VERSION);
  const aws = new FakeAwsEndpoint(options.aws ?? {});
  const proxy = options.proxy ?? new FakeInsightsProxy();
  const endpoint = await aws.start();
  const proxyUrl = await proxy.start();
  stops.push(() => aws.stop(), () => proxy.stop());
  const tokenFile = path.join(dir, 'oidc-token');
  writeFileSync(tokenFile, TOKEN);
  const credentials = options.credentials ?? 'web-identity';
  stops.push(setProcessEnv({
    ...isolatedAwsEnv(endpoint, dir),
    ...(credentials !== 'none' ? { AWS_ROLE_ARN: ROLE_ARN } : {}),
    ...(credentials === 'web-identity' ? { AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile } : {}),
  }));
  const env = {
    ...process.env,
    BITBUCKET_REPO_FULL_NAME: 'acme/shop',
    BITBUCKET_COMMIT: COMMIT,
    BITBUCKET_BUILD_NUMBER: '42',
    BITBUCKET_GIT_HTTP_ORIGIN: 'http://bitbucket.org/acme/shop',
    BITBUCKET_CDK_INSIGHTS_PROXY: proxyUrl,
    ...options.bitbucket,
  };
  const outputDir = path.join(dir, 'cdk.preview');
  let stdout = '';
  let stderr = '';
  const code = await main(options.args ?? ['--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1',
    '--assembly', assembly, '--output-dir', outputDir, '--report'], env, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr, aws, proxy, outputDir };
}

/** Nothing the role was not meant to read, and never the token, in anything the tool printed, wrote or posted. */
function expectNoSecrets(r: Run): void {
  const files = ['dev.diff.txt', 'dev.json'].map((f) => path.join(r.outputDir, f)).filter(existsSync).map((f) => readFileSync(f, 'utf-8'));
  for (const text of [r.stdout, r.stderr, ...files, ...r.proxy.requests.map((q) => q.rawBody)]) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('fakeSecretFromSts');
    expect(text).not.toContain('fakeSessionToken');
  }
}

test('(a) a change that adds a resource: PASSED report, the addition annotated, artifacts written', async () => {
  const r = await run({ assembly: { ...BASE_VERSION, queue: true }, aws: { stacks: [deployedBase], parameters: BOOTSTRAP } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  // What AWS was asked, with the read role's web identity session.
  expect(r.aws.calls.map((c) => `${c.service}:${c.action}:${c.target ?? ''}:${c.outcome}`)).toEqual([
    `sts:AssumeRoleWithWebIdentity:${ROLE_ARN}:ok`,
    'ssm:GetParameter:/cdk-bootstrap/hnb659fds/version:ok',
    'cloudformation:DescribeStacks:dev-App:ok',
    'cloudformation:GetTemplate:dev-App:ok',
  ]);
  expect(r.aws.calls.find((c) => c.action === 'GetTemplate')?.params).toEqual({ TemplateStage: 'Original' });
  expect(r.aws.calls.filter((c) => c.service !== 'sts').every((c) => c.accessKeyId === 'ASIAFAKEWEBIDENTITY1')).toBe(true);

  expect(r.stdout).toMatch(/CDK preview of dev \(account 111111111111, eu-west-1\): PASSED: 1 to add/);
  expect(r.stdout).toMatch(/\+ AWS::SQS::Queue dev\/App\/Jobs \(Jobs[0-9A-F]{8}\): added/);

  const [del, put, post, ...more] = r.proxy.requests;
  expect(more).toEqual([]);
  const reportUrl = `http://api.bitbucket.org/2.0/repositories/acme/shop/commit/${COMMIT}/reports/cdk-preview-dev`;
  expect([del.method, del.target]).toEqual(['DELETE', reportUrl]);
  expect([put.method, put.target, put.host, put.contentType]).toEqual(['PUT', reportUrl, 'api.bitbucket.org', 'application/json']);
  expect(put.body).toMatchObject({
    title: 'CDK preview dev: 1 to add',
    result: 'PASSED',
    reporter: 'bitbucket-cdk-preview',
    report_type: 'TEST',
    link: 'https://bitbucket.org/acme/shop/pipelines/results/42',
  });
  expect(put.body.data).toContainEqual({ title: 'To add', type: 'NUMBER', value: 1 });
  expect(put.body.details).toContain(`Full diff: the step's artifact ${path.join(r.outputDir, 'dev.diff.txt')}.`);
  expect([post.method, post.target]).toEqual(['POST', `${reportUrl}/annotations`]);
  expect(post.body).toEqual([expect.objectContaining({
    external_id: 'cdk-preview-dev-1', severity: 'LOW', annotation_type: 'CODE_SMELL', summary: expect.stringMatching(/^AWS::SQS::Queue dev\/App\/Jobs \(Jobs[0-9A-F]{8}\) in dev-App: added$/),
  })]);

  const diff = readFileSync(path.join(r.outputDir, 'dev.diff.txt'), 'utf-8');
  expect(diff).toMatch(/Stack dev-App \(dev\/App\)\n/);
  expect(diff).toMatch(/\[\+\] AWS::SQS::Queue Jobs Jobs[0-9A-F]{8}/);
  expect(diff).not.toMatch(/\u001b\[/);
  const json = JSON.parse(readFileSync(path.join(r.outputDir, 'dev.json'), 'utf-8'));
  expect(json).toMatchObject({ environment: 'dev', result: 'PASSED', previewed: true, bootstrap: { state: 'bootstrapped', version: 30 } });
  expect(json.stacks[0]).toMatchObject({ stackName: 'dev-App', state: 'changes', deployedStatus: 'UPDATE_COMPLETE' });
  expectNoSecrets(r);
});

test('(b) a change that replaces a database: FAILED report, a CRITICAL annotation naming the property', async () => {
  const r = await run({ assembly: { ...BASE_VERSION, databaseName: 'orders-v2' }, aws: { stacks: [deployedBase], parameters: BOOTSTRAP } });
  expect(r.code).toBe(0);
  expect(r.proxy.report).toMatchObject({ result: 'FAILED', title: 'CDK preview dev: 1 stateful resource would be replaced or deleted (1 to replace)' });
  expect(r.proxy.report.data).toContainEqual({ title: 'Stateful resources at risk', type: 'NUMBER', value: 1 });
  expect(r.proxy.annotations).toEqual([expect.objectContaining({
    severity: 'CRITICAL',
    annotation_type: 'BUG',
    result: 'FAILED',
    summary: expect.stringMatching(/^Stateful resource at risk: AWS::RDS::DBInstance dev\/App\/Database \(Database\) in dev-App: replaced because DBInstanceIdentifier changes/),
  })]);
  expect(r.stdout).toMatch(/FAILED: 1 stateful resource would be replaced or deleted/);
  expect(r.stdout).toMatch(/± AWS::RDS::DBInstance dev\/App\/Database \(Database\): replaced because DBInstanceIdentifier changes.*\[STATEFUL\]/);
  expectNoSecrets(r);
});

test('(c) nothing deployed yet: a first deployment, every resource to add, PASSED', async () => {
  const r = await run({ aws: { stacks: [], parameters: BOOTSTRAP } });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/dev\/App \(stack dev-App\): first deployment, nothing deployed yet: \d+ to add/);
  expect(r.aws.calls.map((c) => c.action)).not.toContain('GetTemplate');
  expect(r.proxy.report).toMatchObject({ result: 'PASSED', title: expect.stringMatching(/^CDK preview dev: first deployment: \d+ to add/) });
  const added = r.proxy.annotations.filter((a) => / added$/.test(a.summary));
  expect(added.length).toBeGreaterThan(5);
  expect(r.proxy.annotations.some((a) => a.summary.includes('AWS::RDS::DBInstance dev/App/Database (Database) in dev-App: added'))).toBe(true);
});

test.each([
  ['the read role cannot be assumed (not deployed, or trust mismatch)', { webIdentity: 'deny' as const }, 'web-identity' as const, /could not be assumed.*npx projen bitbucket:oidc:deploy:111111111111/s],
  ['no OIDC token (step without oidc: true)', {}, 'role-without-token' as const, /No OIDC token/],
  ['no credentials at all', {}, 'none' as const, /No AWS credentials were found/],
])('(d) %s: a PASSED "not previewed" report saying why, exit 0', async (_, aws, credentials, why) => {
  const r = await run({ aws: { ...aws, stacks: [deployedBase], parameters: BOOTSTRAP }, credentials });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/PASSED: not previewed: /);
  expect(r.stdout).toMatch(why);
  expect(r.aws.calls.filter((c) => c.service !== 'sts')).toEqual([]);
  expect(r.proxy.report).toMatchObject({ result: 'PASSED', title: expect.stringMatching(/^CDK preview dev: not previewed: /), data: [{ title: 'Previewed', type: 'BOOLEAN', value: false }] });
  expect(r.proxy.report.details).toMatch(why);
  expect(r.proxy.annotations).toEqual([]);
  expect(JSON.parse(readFileSync(path.join(r.outputDir, 'dev.json'), 'utf-8'))).toMatchObject({ previewed: false, result: 'PASSED' });
  expectNoSecrets(r);
});

describe('--fail-on-stateful-risk (the pipeline\'s pullRequestPreviewFailsOnStatefulRisk)', () => {
  const withFlag = (assembly: SampleAppVersion) => ['--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1',
    '--assembly', assemblyOf(assembly), '--output-dir', path.join(dir, 'cdk.preview'), '--report', '--fail-on-stateful-risk'];

  test('a database to be replaced: exit 4 after the preview is printed, written and posted; one stderr line naming it and what to do', async () => {
    const databaseName = { ...BASE_VERSION, databaseName: 'orders-v2' };
    const r = await run({ aws: { stacks: [deployedBase], parameters: BOOTSTRAP }, args: withFlag(databaseName) });
    expect(r.code).toBe(4);
    // Everything a reviewer reads is there, as without the flag.
    expect(r.stdout).toMatch(/FAILED: 1 stateful resource would be replaced or deleted/);
    expect(r.proxy.requests.map((q) => q.method)).toEqual(['DELETE', 'PUT', 'POST']);
    expect(r.proxy.report).toMatchObject({ result: 'FAILED' });
    expect(JSON.parse(readFileSync(path.join(r.outputDir, 'dev.json'), 'utf-8')).result).toBe('FAILED');
    expect(r.stderr.split('\n')).toEqual([expect.any(String), '']);
    expect(r.stderr).toMatch(/^bitbucket-cdk-preview: the step fails \(--fail-on-stateful-risk\) because deploying this change to dev would replace or delete a stateful resource: AWS::RDS::DBInstance dev\/App\/Database in dev-App \(replaced\)\. /);
    expect(r.stderr).toMatch(/change the code so the resource is kept/);
    expect(r.stderr).toMatch(/set pullRequestPreviewFailsOnStatefulRisk: false in this pull request/);
    expectNoSecrets(r);
  });

  test('a change that only adds a resource: exit 0, nothing on stderr', async () => {
    const r = await run({ aws: { stacks: [deployedBase], parameters: BOOTSTRAP }, args: withFlag({ ...BASE_VERSION, queue: true }) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.proxy.report.result).toBe('PASSED');
  });

  test.each([
    ['the read role cannot be assumed', { webIdentity: 'deny' as const, stacks: [deployedBase] }, 'web-identity' as const],
    ['no OIDC token', { stacks: [deployedBase] }, 'role-without-token' as const],
    ['nothing deployed yet, not bootstrapped', { stacks: [] }, 'web-identity' as const],
  ])('%s, with a database replacement in cdk.out: exit 0 (not the change\'s fault)', async (_, aws, credentials) => {
    const r = await run({ aws, credentials, args: withFlag({ ...BASE_VERSION, databaseName: 'orders-v2' }) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.proxy.report.result).toBe('PASSED');
  });

  test('a database replacement without the flag: exit 0 (the default)', async () => {
    const r = await run({ aws: { stacks: [deployedBase], parameters: BOOTSTRAP }, assembly: { ...BASE_VERSION, databaseName: 'orders-v2' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  test('the report cannot be posted: exit 1 (the post failure, not 4)', async () => {
    const proxy = new FakeInsightsProxy({ failPut: { status: 500, body: 'boom' } });
    const r = await run({ aws: { stacks: [deployedBase], parameters: BOOTSTRAP }, proxy, args: withFlag({ ...BASE_VERSION, databaseName: 'orders-v2' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/--fail-on-stateful-risk/);
  });
});

test('an environment that is not bootstrapped: said in the report, the stacks still previewed, PASSED', async () => {
  const r = await run({ aws: { stacks: [] } });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/not bootstrapped \(\/cdk-bootstrap\/hnb659fds\/version does not exist\)/);
  expect(r.proxy.report).toMatchObject({ result: 'PASSED', title: expect.stringMatching(/environment not bootstrapped/) });
  expect(r.proxy.report.data).toContainEqual({ title: 'Bootstrapped', type: 'BOOLEAN', value: false });
});

test('a stack the read role may not read (custom stack name): not previewed, saying why; PASSED', async () => {
  const r = await run({ aws: { stacks: [deployedBase], parameters: BOOTSTRAP, readableStacks: /^other-/ } });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/dev\/App \(stack dev-App\): not previewed: access denied/);
  expect(r.proxy.report.result).toBe('PASSED');
  expect(r.proxy.annotations).toEqual([expect.objectContaining({ summary: expect.stringMatching(/^Stack dev-App not previewed: access denied/) })]);
});

test('a stack in another region than the environment\'s, refused: not previewed, saying the read role reads one region', async () => {
  const assembly = path.join(dir, 'multi-region.out');
  const app = new App({ outdir: assembly });
  const stage = new Stage(app, 'dev', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  new CfnWaitConditionHandle(new Stack(stage, 'Edge', { env: { region: 'us-east-1' } }), 'Placeholder');
  tagAsApp(stage);
  app.synth();
  const r = await run({
    aws: { stacks: [], parameters: BOOTSTRAP, readableStacks: /^none$/ },
    args: ['--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1', '--assembly', assembly, '--output-dir', path.join(dir, 'cdk.preview')],
  });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/dev\/Edge \(stack dev-Edge\): not previewed: access denied: the read role may read the environment's stacks in eu-west-1 only, and this stack deploys to us-east-1/);
});

test('a stack whose only change set was never executed (REVIEW_IN_PROGRESS) is a first deployment', async () => {
  const r = await run({ aws: { stacks: [{ name: 'dev-App', status: 'REVIEW_IN_PROGRESS' }], parameters: BOOTSTRAP } });
  expect(r.stdout).toMatch(/dev\/App \(stack dev-App, REVIEW_IN_PROGRESS\): first deployment/);
  expect(r.stdout).toMatch(/note: the stack exists only for a change set that was never executed/);
  expect(r.aws.calls.map((c) => c.action)).not.toContain('GetTemplate');
});

test('a stack in UPDATE_ROLLBACK_FAILED: previewed, with a note on what blocks the deploy', async () => {
  const r = await run({ aws: { stacks: [{ ...deployedBase, status: 'UPDATE_ROLLBACK_FAILED' }], parameters: BOOTSTRAP } });
  expect(r.stdout).toMatch(/dev\/App \(stack dev-App, UPDATE_ROLLBACK_FAILED\): no changes/);
  expect(r.stdout).toMatch(/note: .*continue-update-rollback/);
});

test('credentials of another account: not previewed (instead of a false "first deployment")', async () => {
  const r = await run({
    aws: { stacks: [], parameters: BOOTSTRAP },
    args: ['--environment', 'dev', '--account', '222222222222', '--region', 'eu-west-1',
      '--assembly', assemblyOf(BASE_VERSION), '--output-dir', path.join(dir, 'cdk.preview')],
  });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/not previewed: the credentials are for account 111111111111, not for the environment's account 222222222222/);
});

test('without --report nothing is posted', async () => {
  const r = await run({
    aws: { stacks: [deployedBase], parameters: BOOTSTRAP },
    args: ['--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1',
      '--assembly', assemblyOf(BASE_VERSION), '--output-dir', path.join(dir, 'cdk.preview')],
    bitbucket: { BITBUCKET_COMMIT: undefined },
  });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/PASSED: no changes/);
  expect(r.proxy.requests).toEqual([]);
});

test('the report cannot be posted: exit 1 with the HTTP status and body', async () => {
  const proxy = new FakeInsightsProxy({ failPut: { status: 403, body: '{"type":"error","error":{"message":"Access denied"}}' } });
  const r = await run({ aws: { stacks: [deployedBase], parameters: BOOTSTRAP }, proxy });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('Code Insights: PUT http://api.bitbucket.org/2.0/repositories/acme/shop/commit/');
  expect(r.stderr).toContain('answered HTTP 403: {"type":"error","error":{"message":"Access denied"}}');
  // The preview itself was printed and written before.
  expect(existsSync(path.join(r.outputDir, 'dev.json'))).toBe(true);
  expectNoSecrets(r);
});

test('the proxy is not there: exit 1 naming the proxy', async () => {
  const r = await run({ aws: { stacks: [deployedBase], parameters: BOOTSTRAP }, bitbucket: { BITBUCKET_CDK_INSIGHTS_PROXY: 'http://127.0.0.1:9' } });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/Code Insights: DELETE .* failed: .*ECONNREFUSED.*proxy http:\/\/127\.0\.0\.1:9/);
});

test.each([
  [['--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1', '--colour'], /Unknown option --colour/],
  [['--environment', 'dev', '--account', '12345', '--region', 'eu-west-1'], /--account "12345": An AWS account ID has 12 digits/],
  [['--environment', 'dev', '--region', 'eu-west-1'], /Missing --account/],
  [['--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1', '--bootstrap-qualifier', 'bad qualifier'], /--bootstrap-qualifier "bad qualifier"/],
  [['--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1', '--report=yes'], /--report takes no value/],
  [['--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1', '--fail-on-stateful-risk=true'], /--fail-on-stateful-risk takes no value/],
  [['--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1', '--constructor'], /Unknown option --constructor/],
])('usage error %j: exit 2 with the usage', async (args, message) => {
  let stderr = '';
  const code = await main(args, {}, { stdout: () => undefined, stderr: (t) => { stderr += t; } });
  expect(code).toBe(2);
  expect(stderr).toMatch(message);
  expect(stderr).toContain('Usage: bitbucket-cdk-preview --environment <env>');
});

test('--report outside a pipeline (no BITBUCKET_COMMIT): exit 2 before any AWS call', async () => {
  const r = await run({ aws: { stacks: [deployedBase], parameters: BOOTSTRAP }, bitbucket: { BITBUCKET_COMMIT: undefined } });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--report posts to the commit of a Bitbucket Pipelines step, but BITBUCKET_COMMIT is not set/);
  expect(r.aws.calls).toEqual([]);
});

test('no stage of that name in the assembly: exit 2 saying how to build it', async () => {
  let stderr = '';
  const code = await main(['--environment', 'prod', '--account', ACCOUNT, '--region', 'eu-west-1', '--assembly', path.join(dir, 'missing')], {},
    { stdout: () => undefined, stderr: (t) => { stderr += t; } });
  expect(code).toBe(2);
  expect(stderr).toMatch(/No cloud assembly at .*missing: synthesise the app first \(npx projen build\)/);
});

test('--help prints the usage, exit 0', async () => {
  let stdout = '';
  expect(await main(['--help'], {}, { stdout: (t) => { stdout += t; } })).toBe(0);
  expect(stdout).toMatch(/^Usage: bitbucket-cdk-preview/);
  expect(stdout).toMatch(/--fail-on-stateful-risk: when the result is FAILED, also fail \(exit 4/);
});

test('the real command (src/preview/cli.ts run as a program): same preview, report posted, exit code from main', async () => {
  const assembly = assemblyOf({ ...BASE_VERSION, databaseName: 'orders-v2' });
  const aws = new FakeAwsEndpoint({ stacks: [deployedBase], parameters: BOOTSTRAP });
  const proxy = new FakeInsightsProxy();
  const endpoint = await aws.start();
  const proxyUrl = await proxy.start();
  stops.push(() => aws.stop(), () => proxy.stop());
  const tokenFile = path.join(dir, 'oidc-token');
  writeFileSync(tokenFile, TOKEN);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    ...Object.fromEntries(Object.entries(isolatedAwsEnv(endpoint, dir)).filter(([, v]) => v !== undefined)) as Record<string, string>,
    AWS_ROLE_ARN: ROLE_ARN,
    AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    BITBUCKET_REPO_FULL_NAME: 'acme/shop',
    BITBUCKET_COMMIT: COMMIT,
    BITBUCKET_CDK_INSIGHTS_PROXY: proxyUrl,
    TS_NODE_TRANSPILE_ONLY: 'true',
  };
  const cli = path.join(__dirname, '..', '..', 'src', 'preview', 'cli.ts');
  expect(readFileSync(cli, 'utf-8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['-r', 'ts-node/register', cli, '--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1',
      '--assembly', assembly, '--output-dir', path.join(dir, 'out'), '--report'], { env, cwd: path.join(__dirname, '..', '..') },
    (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
  expect(result.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?created\)\n/, '')).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/FAILED: 1 stateful resource would be replaced or deleted/);
  expect(proxy.report).toMatchObject({ result: 'FAILED' });
  expect(result.stdout + result.stderr).not.toContain(TOKEN);
});

test('a stack the app does not tag as its own: not previewed, no AWS read of it, saying to call tagStacks(app)', async () => {
  const untagged = path.join(dir, 'untagged.out');
  synthAssembly(untagged, 'dev', { App: BASE_VERSION }, { tagged: false });
  const r = await run({
    aws: { stacks: [deployedBase], parameters: BOOTSTRAP },
    args: ['--environment', 'dev', '--account', ACCOUNT, '--region', 'eu-west-1', '--assembly', untagged, '--output-dir', path.join(dir, 'cdk.preview')],
  });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/dev\/App \(stack dev-App\): not previewed: the app does not tag it as its own \(stack tag bitbucket-cdk:app\).*tagStacks\(app\)/);
  expect(r.stdout).not.toMatch(/no changes/);
  expect(r.aws.calls.filter((c) => c.service === 'cloudformation' && c.action !== 'GetCallerIdentity').map((c) => c.action)).toEqual([]);
});
