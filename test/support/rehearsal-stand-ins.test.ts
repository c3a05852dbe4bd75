/**
 * Fast checks of the rehearsal's stand-ins (test/rehearsal/): the stand-in
 * AWS answers the real AWS SDK clients' CloudFormation and SSM read calls
 * as AWS would, authorised by the IAM model, and the stand-in Code Insights
 * proxy records and answers like Bitbucket. The slow rehearsal relies on
 * both; these tests catch a stand-in that would pass anything.
 */
import * as http from 'http';
import {
  CloudFormationClient, DeleteStackCommand, DescribeStackDriftDetectionStatusCommand, DescribeStackResourceDriftsCommand,
  DescribeStacksCommand, DetectStackDriftCommand, GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { stepToken } from './bitbucket-token';
import { CLOUDFORMATION_STOP_CODE, FakeAws } from '../rehearsal/fake-aws';
import { FakeInsightsProxy } from '../rehearsal/fake-insights-proxy';
import { IamModel } from '../rehearsal/iam-model';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const WORKSPACE = 'acme';
const WORKSPACE_UUID = '7baee083-1b2c-4c8d-9d2e-0123456789ab';
const REPOSITORY_UUID = '3f0c9a42-5678-4e1f-8a3b-fedcba987654';
const ISSUER_HOST = `api.bitbucket.org/2.0/workspaces/${WORKSPACE}/pipelines-config/identity/oidc`;
const ROLE_NAME = 'bitbucket-preview-my-app-3f0c9a42';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const VERSION_PARAMETER = '/cdk-bootstrap/hnb659fds/version';

/** An OIDC stack with a read role shaped like the contract's (issue 14): reads of `staging-*` stacks, the bootstrap version, drift. */
function oidcTemplate(): any {
  const stackArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudformation:', REGION, ':', { Ref: 'AWS::AccountId' }, ':stack/staging-*/*']] };
  return {
    Resources: {
      Provider: { Type: 'AWS::IAM::OIDCProvider', Properties: { Url: `https://${ISSUER_HOST}`, ClientIdList: [`ari:cloud:bitbucket::workspace/${WORKSPACE_UUID}`] } },
      PreviewRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: ROLE_NAME,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{
              Effect: 'Allow',
              Action: 'sts:AssumeRoleWithWebIdentity',
              Principal: { Federated: { Ref: 'Provider' } },
              Condition: { StringEquals: { [`${ISSUER_HOST}:aud`]: `ari:cloud:bitbucket::workspace/${WORKSPACE_UUID}` }, StringLike: { [`${ISSUER_HOST}:sub`]: `{${REPOSITORY_UUID}}*:*` } },
            }],
          },
          Policies: [{
            PolicyName: 'read',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate', 'cloudformation:DetectStackDrift', 'cloudformation:DescribeStackResourceDrifts'], Resource: stackArn },
                { Effect: 'Allow', Action: 'cloudformation:DescribeStackDriftDetectionStatus', Resource: '*' },
                { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: { 'Fn::Join': ['', ['arn:aws:ssm:', REGION, ':', { Ref: 'AWS::AccountId' }, `:parameter${VERSION_PARAMETER}`]] } },
              ],
            },
          }],
        },
      },
    },
  };
}

const APP_TEMPLATE = {
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30 } },
  },
};

let fake: FakeAws;

beforeEach(async () => {
  fake = new FakeAws({ iam: new IamModel([{ stackId: 'BitbucketOidc', account: ACCOUNT, region: REGION, template: oidcTemplate() }]), cloudFormationReads: true, maxLifetimeMs: 60_000 });
  await fake.start();
});
afterEach(async () => fake.stop());

/** The read role's session, as the SDK's web identity provider would get it (STS answered by the stand-in). */
async function readRoleCredentials(repositoryUuid = REPOSITORY_UUID) {
  const token = stepToken({ workspace: WORKSPACE, workspaceUuid: WORKSPACE_UUID, repositoryUuid });
  const body = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: ROLE_ARN, RoleSessionName: 'bitbucket-preview-1', WebIdentityToken: token.jwt });
  const res = await fetch(fake.endpoint, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const xml = await res.text();
  const pick = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
  if (res.status !== 200) return { error: pick('Code') };
  return { accessKeyId: pick('AccessKeyId')!, secretAccessKey: pick('SecretAccessKey')!, sessionToken: pick('SessionToken')! };
}

async function clients(credentials?: any) {
  const creds = credentials ?? await readRoleCredentials();
  return {
    cfn: new CloudFormationClient({ region: REGION, endpoint: fake.endpoint, credentials: creds, maxAttempts: 1 }),
    ssm: new SSMClient({ region: REGION, endpoint: fake.endpoint, credentials: creds, maxAttempts: 1 }),
  };
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected the call to fail');
}

describe('stand-in CloudFormation, read calls (cloudFormationReads)', () => {
  test('DescribeStacks and GetTemplate of a deployed stack answer the configured template to the read role', async () => {
    fake.deployStack({ account: ACCOUNT, region: REGION, stackName: 'staging-MyStack', template: APP_TEMPLATE });
    const { cfn } = await clients();
    const described = await cfn.send(new DescribeStacksCommand({ StackName: 'staging-MyStack' }));
    expect(described.Stacks?.[0]).toMatchObject({ StackName: 'staging-MyStack', StackStatus: 'UPDATE_COMPLETE' });
    expect(described.Stacks?.[0].StackId).toMatch(new RegExp(`^arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/staging-MyStack/[0-9a-f-]{36}$`));
    const template = await cfn.send(new GetTemplateCommand({ StackName: 'staging-MyStack', TemplateStage: 'Original' }));
    expect(JSON.parse(template.TemplateBody!)).toEqual(APP_TEMPLATE);
    const calls = fake.calls.filter((c) => c.service === 'cloudformation');
    expect(calls.map((c) => [c.action, c.target, c.outcome, c.caller?.roleArn, c.region])).toEqual([
      ['DescribeStacks', 'staging-MyStack', 'ok', ROLE_ARN, REGION],
      ['GetTemplate', 'staging-MyStack', 'ok', ROLE_ARN, REGION],
    ]);
    expect(calls[1].input).toMatchObject({ TemplateStage: 'Original' });
  });

  test('a stack that does not exist answers ValidationError like AWS; one in another region or account is not found either', async () => {
    fake.deployStack({ account: ACCOUNT, region: 'us-east-1', stackName: 'staging-MyStack', template: APP_TEMPLATE });
    const { cfn } = await clients();
    for (const command of [new DescribeStacksCommand({ StackName: 'staging-MyStack' }), new GetTemplateCommand({ StackName: 'staging-MyStack' })]) {
      expect(await errorOf(cfn.send(command as any))).toEqual({ name: 'ValidationError', message: 'Stack with id staging-MyStack does not exist' });
    }
  });

  test('the read role is refused (AccessDenied) a stack outside its names, deployed or not, and a listing of every stack', async () => {
    fake.deployStack({ account: ACCOUNT, region: REGION, stackName: 'custom-name', template: APP_TEMPLATE });
    const { cfn } = await clients();
    const denied = await errorOf(cfn.send(new GetTemplateCommand({ StackName: 'custom-name' })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toMatch(new RegExp(`^User: arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/bitbucket-preview-1 is not authorized to perform: cloudformation:GetTemplate on resource: arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/custom-name/[0-9a-f-]{36} because no identity-based policy allows`));
    expect((await errorOf(cfn.send(new DescribeStacksCommand({ StackName: 'production-MyStack' })))).name).toBe('AccessDenied');
    expect((await errorOf(cfn.send(new DescribeStacksCommand({})))).name).toBe('AccessDenied');
  });

  test('an administrator\'s key lists every stack of its account and region', async () => {
    fake.addStaticKey('AKIAADMINISTRATOR001', `arn:aws:iam::${ACCOUNT}:user/admin`);
    fake.deployStack({ account: ACCOUNT, region: REGION, stackName: 'staging-MyStack', template: APP_TEMPLATE });
    fake.deployStack({ account: ACCOUNT, region: REGION, stackName: 'custom-name', template: APP_TEMPLATE });
    fake.deployStack({ account: '222222222222', region: REGION, stackName: 'production-MyStack', template: APP_TEMPLATE });
    const { cfn } = await clients({ accessKeyId: 'AKIAADMINISTRATOR001', secretAccessKey: 'x' });
    const listed = await cfn.send(new DescribeStacksCommand({}));
    expect(listed.Stacks?.map((s) => s.StackName).sort()).toEqual(['custom-name', 'staging-MyStack']);
  });

  test('any other CloudFormation call ends with RehearsalStop, as in the deploy rehearsal', async () => {
    fake.deployStack({ account: ACCOUNT, region: REGION, stackName: 'staging-MyStack', template: APP_TEMPLATE });
    const { cfn } = await clients();
    expect((await errorOf(cfn.send(new DeleteStackCommand({ StackName: 'staging-MyStack' })))).name).toBe(CLOUDFORMATION_STOP_CODE);
    expect(fake.calls.find((c) => c.action === 'DeleteStack')).toMatchObject({ outcome: CLOUDFORMATION_STOP_CODE, caller: { roleArn: ROLE_ARN } });
  });

  test('without cloudFormationReads, even DescribeStacks ends with RehearsalStop (the deploy rehearsal)', async () => {
    const deployOnly = new FakeAws({ iam: new IamModel([]), maxLifetimeMs: 60_000 });
    await deployOnly.start();
    try {
      deployOnly.addStaticKey('AKIAADMINISTRATOR001', `arn:aws:iam::${ACCOUNT}:user/admin`);
      const cfn = new CloudFormationClient({ region: REGION, endpoint: deployOnly.endpoint, credentials: { accessKeyId: 'AKIAADMINISTRATOR001', secretAccessKey: 'x' }, maxAttempts: 1 });
      expect((await errorOf(cfn.send(new DescribeStacksCommand({ StackName: 'staging-MyStack' })))).name).toBe(CLOUDFORMATION_STOP_CODE);
    } finally {
      await deployOnly.stop();
    }
  });
});

describe('stand-in CloudFormation, drift detection', () => {
  test('DetectStackDrift, polling the status, then the drifted resources with their property differences', async () => {
    const polling = new FakeAws({ iam: new IamModel([{ stackId: 'BitbucketOidc', account: ACCOUNT, region: REGION, template: oidcTemplate() }]), cloudFormationReads: true, driftPolls: 1, maxLifetimeMs: 60_000 });
    await polling.start();
    try {
      polling.deployStack({
        account: ACCOUNT,
        region: REGION,
        stackName: 'staging-MyStack',
        template: APP_TEMPLATE,
        drift: [{ logicalId: 'Bucket', differences: [{ path: '/VersioningConfiguration/Status', expected: 'Enabled', actual: 'Suspended' }] }],
      });
      const token = stepToken({ workspace: WORKSPACE, workspaceUuid: WORKSPACE_UUID, repositoryUuid: REPOSITORY_UUID });
      const body = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: ROLE_ARN, RoleSessionName: 'drift-1', WebIdentityToken: token.jwt });
      const xml = await (await fetch(polling.endpoint, { method: 'POST', body })).text();
      const pick = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)![1];
      const cfn = new CloudFormationClient({ region: REGION, endpoint: polling.endpoint, credentials: { accessKeyId: pick('AccessKeyId'), secretAccessKey: pick('SecretAccessKey'), sessionToken: pick('SessionToken') }, maxAttempts: 1 });

      const { StackDriftDetectionId } = await cfn.send(new DetectStackDriftCommand({ StackName: 'staging-MyStack' }));
      const first = await cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }));
      expect(first.DetectionStatus).toBe('DETECTION_IN_PROGRESS');
      const done = await cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }));
      expect(done).toMatchObject({ DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'DRIFTED', DriftedStackResourceCount: 1 });
      const drifts = await cfn.send(new DescribeStackResourceDriftsCommand({ StackName: 'staging-MyStack', StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'] }));
      expect(drifts.StackResourceDrifts?.map((d) => [d.LogicalResourceId, d.ResourceType, d.StackResourceDriftStatus])).toEqual([['Bucket', 'AWS::S3::Bucket', 'MODIFIED']]);
      expect(drifts.StackResourceDrifts?.[0].PropertyDifferences).toEqual([{ PropertyPath: '/VersioningConfiguration/Status', ExpectedValue: 'Enabled', ActualValue: 'Suspended', DifferenceType: 'NOT_EQUAL' }]);
      expect(JSON.parse(drifts.StackResourceDrifts![0].ActualProperties!)).toEqual({ VersioningConfiguration: { Status: 'Suspended' } });
      const all = await cfn.send(new DescribeStackResourceDriftsCommand({ StackName: 'staging-MyStack' }));
      expect(all.StackResourceDrifts?.map((d) => d.StackResourceDriftStatus)).toEqual(['MODIFIED', 'IN_SYNC']);
      expect((await errorOf(cfn.send(new DetectStackDriftCommand({ StackName: 'staging-Missing' })))).name).toBe('ValidationError');
    } finally {
      await polling.stop();
    }
  });
});

describe('stand-in SSM, authorised by the IAM model', () => {
  test('the read role reads the bootstrap version, is refused any other parameter, and a region not bootstrapped has none', async () => {
    const { ssm } = await clients();
    const got = await ssm.send(new GetParameterCommand({ Name: VERSION_PARAMETER }));
    expect(got.Parameter).toMatchObject({ Name: VERSION_PARAMETER, Value: '30', ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${VERSION_PARAMETER}` });
    const denied = await errorOf(ssm.send(new GetParameterCommand({ Name: '/my-app/database-password' })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(`is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/my-app/database-password`);
    fake.setBootstrapVersion(ACCOUNT, REGION, undefined);
    expect((await errorOf(ssm.send(new GetParameterCommand({ Name: VERSION_PARAMETER })))).name).toBe('ParameterNotFound');
  });

  test('a token of another repository gets no session at all', async () => {
    expect(await readRoleCredentials('9d8c7b6a-1111-4222-8333-444455556666')).toEqual({ error: 'AccessDenied' });
  });
});

/** A request sent through the proxy the way a forward-proxy client does: absolute URL on the request line. */
function viaProxy(proxy: string, method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const { hostname, port } = new URL(proxy);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: url, headers: { 'Host': new URL(url).host, 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('stand-in Code Insights proxy', () => {
  const COMMIT = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed';
  const REPORT_URL = `http://api.bitbucket.org/2.0/repositories/acme/my-app/commit/${COMMIT}/reports/cdk-preview-staging`;
  let proxy: FakeInsightsProxy;
  beforeEach(async () => {
    proxy = new FakeInsightsProxy();
    await proxy.start();
  });
  afterEach(async () => proxy.stop());

  test('records and answers a report (PUT) and its annotations (POST) like Bitbucket, and keeps them per commit and report', async () => {
    const put = await viaProxy(proxy.url, 'PUT', REPORT_URL, { title: 'CDK preview: staging', report_type: 'BUG', result: 'PASSED', details: 'two changes', data: [{ title: 'Added', type: 'NUMBER', value: 1 }] });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ type: 'report', title: 'CDK preview: staging', external_id: 'cdk-preview-staging' });
    const post = await viaProxy(proxy.url, 'POST', `${REPORT_URL}/annotations`, [{ external_id: 'a1', annotation_type: 'CODE_SMELL', summary: 'Adds AWS::SQS::Queue Queue', severity: 'LOW' }]);
    expect(post.status).toBe(200);
    expect(post.json).toEqual([expect.objectContaining({ type: 'report_annotation', external_id: 'a1' })]);
    expect(proxy.requests.map((r) => [r.method, r.url, r.status])).toEqual([['PUT', REPORT_URL, 200], ['POST', `${REPORT_URL}/annotations`, 200]]);
    expect(proxy.requests[0].json).toMatchObject({ result: 'PASSED' });
    expect(proxy.requests[0].headers.host).toBe('api.bitbucket.org');
    expect(proxy.report(COMMIT, 'cdk-preview-staging')?.annotations.map((a) => a.summary)).toEqual(['Adds AWS::SQS::Queue Queue']);
    // A new PUT replaces the report and drops its annotations.
    await viaProxy(proxy.url, 'PUT', REPORT_URL, { title: 'again', report_type: 'BUG' });
    expect(proxy.report(COMMIT, 'cdk-preview-staging')?.annotations).toEqual([]);
  });

  test('refuses what Bitbucket refuses: a summary over 450 characters, annotations before their report, more than 100 at once, a report without type', async () => {
    expect((await viaProxy(proxy.url, 'POST', `${REPORT_URL}/annotations`, [{ external_id: 'a', annotation_type: 'BUG', summary: 's' }])).status).toBe(404);
    expect((await viaProxy(proxy.url, 'PUT', REPORT_URL, { title: 'no type' })).status).toBe(400);
    await viaProxy(proxy.url, 'PUT', REPORT_URL, { title: 't', report_type: 'BUG' });
    const long = await viaProxy(proxy.url, 'POST', `${REPORT_URL}/annotations`, [{ external_id: 'a', annotation_type: 'BUG', summary: 'x'.repeat(451) }]);
    expect(long).toEqual({ status: 400, json: { key: 'report-service.general.bad-request', message: 'The summary field cannot contain more than 450 characters.', arguments: {} } });
    const many = Array.from({ length: 101 }, (_, i) => ({ external_id: `a${i}`, annotation_type: 'BUG', summary: 's' }));
    expect((await viaProxy(proxy.url, 'POST', `${REPORT_URL}/annotations`, many)).status).toBe(400);
    expect((await viaProxy(proxy.url, 'POST', `${REPORT_URL}/annotations`, [{ external_id: 'a', annotation_type: 'BUG', summary: 's', severity: 'SEVERE' }])).status).toBe(400);
    expect(proxy.report(COMMIT, 'cdk-preview-staging')?.annotations).toEqual([]);
  });

  test('is a forward proxy for http://api.bitbucket.org only: a direct request, another host and CONNECT are refused and recorded', async () => {
    const direct = await new Promise<number>((resolve) => {
      http.request(`${proxy.url}/2.0/repositories/acme/my-app/commit/${COMMIT}/reports/x`, { method: 'PUT' }, (res) => { res.resume(); resolve(res.statusCode!); }).end('{}');
    });
    expect(direct).toBe(400);
    expect((await viaProxy(proxy.url, 'GET', 'http://example.com/'))).toMatchObject({ status: 403 });
    const connect = await new Promise<number>((resolve) => {
      const { hostname, port } = new URL(proxy.url);
      http.request({ host: hostname, port, method: 'CONNECT', path: 'api.bitbucket.org:443' }).on('connect', (res, socket) => { socket.destroy(); resolve(res.statusCode!); }).end();
    });
    expect(connect).toBe(405);
    expect(proxy.requests.map((r) => r.status)).toEqual([400, 403, 405]);
  });

  test('failWith makes every request fail (a tool must report that it could not post)', async () => {
    proxy.failWith(503);
    expect((await viaProxy(proxy.url, 'PUT', REPORT_URL, { title: 't', report_type: 'BUG' })).status).toBe(503);
    expect(proxy.report(COMMIT, 'cdk-preview-staging')).toBeUndefined();
  });
});
