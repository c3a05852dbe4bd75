import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { awsCall, AwsCallError, classifyAwsError, createCloudFormationClient, createSsmClient, resolveCredentials, ssmModule } from '../../src/aws';
import { FakeAwsEndpoint, FakeAwsEndpointOptions, isolatedAwsEnv, setProcessEnv } from '../support/fake-aws-endpoint';

// Every case below classifies an error the real SDK raised against the fake endpoint.
const ROLE_ARN = 'arn:aws:iam::111111111111:role/bitbucket-preview-app-0c1d2e3f';
let dir: string;
let fake: FakeAwsEndpoint | undefined;
let restoreEnv: (() => void) | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'aws-errors-'));
});
afterEach(async () => {
  restoreEnv?.();
  restoreEnv = undefined;
  await fake?.stop();
  fake = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function withFake(options: FakeAwsEndpointOptions, vars: Record<string, string | undefined>): Promise<FakeAwsEndpoint> {
  fake = new FakeAwsEndpoint(options);
  const url = await fake.start();
  restoreEnv = setProcessEnv({ ...isolatedAwsEnv(url, dir), ...vars });
  return fake;
}

function webIdentity(): Record<string, string> {
  const tokenFile = path.join(dir, 'token');
  writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
  return { AWS_ROLE_ARN: ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile };
}

async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e) => e);
  expect(error).toBeInstanceOf(AwsCallError);
  return (error as AwsCallError).problem;
}

test('no credentials anywhere: no-credentials, saying where credentials come from', async () => {
  await withFake({}, {});
  const problem = await problemOf(resolveCredentials(createCloudFormationClient('eu-west-1', 'test')));
  expect(problem).toMatchObject({ kind: 'no-credentials', code: 'CredentialsProviderError' });
  expect(problem.hint).toMatch(/oidc: true/);
});

test('AWS_ROLE_ARN without a token file: no OIDC token', async () => {
  await withFake({}, { AWS_ROLE_ARN: ROLE_ARN });
  const problem = await problemOf(resolveCredentials(createCloudFormationClient('eu-west-1', 'test')));
  expect(problem.kind).toBe('no-credentials');
  expect(problem.hint).toMatch(/No OIDC token/);
});

test('a token file that does not exist: no OIDC token, naming the file', async () => {
  const missing = path.join(dir, 'never-written');
  await withFake({}, { AWS_ROLE_ARN: ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE: missing });
  const problem = await problemOf(resolveCredentials(createCloudFormationClient('eu-west-1', 'test')));
  expect(problem.kind).toBe('no-credentials');
  expect(problem.hint).toContain(missing);
});

test.each([
  ['deny', 'AccessDenied'],
  ['invalid-token', 'InvalidIdentityToken'],
] as const)('STS refusing the web identity (%s): role-not-assumable, naming the role and the deploy task', async (mode, code) => {
  const endpoint = await withFake({ webIdentity: mode }, webIdentity());
  const problem = await problemOf(resolveCredentials(createCloudFormationClient('eu-west-1', 'test')));
  expect(problem).toMatchObject({ kind: 'role-not-assumable', code });
  expect(problem.hint).toContain(ROLE_ARN);
  expect(problem.hint).toContain('bitbucket:oidc:deploy');
  expect(endpoint.calls.map((c) => c.action)).toEqual(['AssumeRoleWithWebIdentity']);
});

test('STS refusing the web identity during a call (credentials not resolved first): still role-not-assumable', async () => {
  await withFake({ webIdentity: 'deny' }, webIdentity());
  const client = createCloudFormationClient('eu-west-1', 'test');
  const problem = await problemOf(awsCall('DescribeStacks', () => client.send(new DescribeStacksCommand({ StackName: 'dev-App' }))));
  expect(problem.kind).toBe('role-not-assumable');
});

test('a web identity STS accepts: the session\'s account is known (and no secret is returned)', async () => {
  await withFake({}, webIdentity());
  expect(await resolveCredentials(createCloudFormationClient('eu-west-1', 'test'))).toEqual({ accountId: '111111111111' });
});

test('plain keys: no account known', async () => {
  await withFake({}, { AWS_ACCESS_KEY_ID: 'AKIAFAKESTATIC000001', AWS_SECRET_ACCESS_KEY: 'fake' });
  expect(await resolveCredentials(createCloudFormationClient('eu-west-1', 'test'))).toEqual({});
});

test('a read IAM refuses: access-denied (not role-not-assumable)', async () => {
  await withFake({ readableStacks: /^dev-/ }, webIdentity());
  const client = createCloudFormationClient('eu-west-1', 'test');
  await resolveCredentials(client);
  const problem = await problemOf(awsCall('DescribeStacks', () => client.send(new DescribeStacksCommand({ StackName: 'custom-name' }))));
  expect(problem).toMatchObject({ kind: 'access-denied', code: 'AccessDenied' });
  expect(problem.message).toMatch(/not authorized to perform: cloudformation:DescribeStacks/);
});

test('a stack that does not exist: stack-not-found; a missing parameter: parameter-not-found', async () => {
  await withFake({}, { AWS_ACCESS_KEY_ID: 'AKIAFAKESTATIC000001', AWS_SECRET_ACCESS_KEY: 'fake' });
  const cfn = createCloudFormationClient('eu-west-1', 'test');
  expect((await problemOf(awsCall('DescribeStacks', () => cfn.send(new DescribeStacksCommand({ StackName: 'dev-App' }))))).kind).toBe('stack-not-found');
  const ssm = createSsmClient('eu-west-1', 'test');
  const sdk = ssmModule('test');
  expect((await problemOf(awsCall('GetParameter', () => ssm.send(new sdk.GetParameterCommand({ Name: '/cdk-bootstrap/x/version' }))))).kind).toBe('parameter-not-found');
});

test('keys AWS does not know: no-credentials (rejected)', async () => {
  await withFake({ cloudFormationError: { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' } },
    { AWS_ACCESS_KEY_ID: 'AKIAFAKESTATIC000001', AWS_SECRET_ACCESS_KEY: 'fake' });
  const cfn = createCloudFormationClient('eu-west-1', 'test');
  const problem = await problemOf(awsCall('DescribeStacks', () => cfn.send(new DescribeStacksCommand({ StackName: 'dev-App' }))));
  expect(problem.kind).toBe('no-credentials');
  expect(problem.hint).toMatch(/rejected/);
});

test('throttling: throttled', async () => {
  await withFake({ cloudFormationError: { status: 400, code: 'Throttling', message: 'Rate exceeded' } },
    { AWS_ACCESS_KEY_ID: 'AKIAFAKESTATIC000001', AWS_SECRET_ACCESS_KEY: 'fake' });
  // One attempt: the tools' clients retry with backoff, which would only slow this test down.
  const cfn = new CloudFormationClient({ region: 'eu-west-1', maxAttempts: 1 });
  const error = await cfn.send(new DescribeStacksCommand({ StackName: 'dev-App' })).catch((e) => e);
  expect(classifyAwsError(error).kind).toBe('throttled');
});

test('a connection refused: other, with the network error as message', async () => {
  fake = new FakeAwsEndpoint({});
  const url = await fake.start();
  await fake.stop();
  restoreEnv = setProcessEnv({ ...isolatedAwsEnv(url, dir), AWS_ACCESS_KEY_ID: 'AKIAFAKESTATIC000001', AWS_SECRET_ACCESS_KEY: 'fake' });
  const cfn = new CloudFormationClient({ region: 'eu-west-1', maxAttempts: 1 });
  const error = await cfn.send(new DescribeStacksCommand({ StackName: 'dev-App' })).catch((e) => e);
  expect(classifyAwsError(error)).toMatchObject({ kind: 'other', message: expect.stringMatching(/ECONNREFUSED/) });
});
