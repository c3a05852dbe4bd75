/**
 * The read-only role of pull-request previews and drift detection, evaluated
 * with an IAM policy evaluator: who may assume it (realistic Bitbucket token
 * claims) and what its sessions may do, for a project with three
 * environments in two accounts (dev and staging share 111111111111, in two
 * regions; production is alone in 222222222222).
 */
import { evaluateSessionCall, evaluateTrust, resolveProviderRef, trustingAccount, VIA_CLOUDFORMATION, WebIdentityRequest } from './iam-evaluation';
import { BitbucketCdkAppOptions } from '../../../src';
import * as naming from '../../../src/core/naming';
import { generatedOidcApp, removeWorkDirs } from '../../support/generated-oidc-app';
import { PRODUCTION_UUID, REPOSITORY_UUID, STAGING_UUID, twoEnvironmentOptions, WORKSPACE_UUID } from '../../util';

afterAll(removeWorkDirs);

const HOST = naming.issuerHost('acme');
const AUDIENCE = naming.audience(WORKSPACE_UUID);
const OTHER_REPOSITORY = '9d8c7b6a-1111-4222-8333-444455556666';
const STEP = '5e6f7a8b-aaaa-4bbb-8ccc-dddddddddddd';
const DEV = '111111111111';
const PROD = '222222222222';

const threeEnvironments = (overrides: Partial<BitbucketCdkAppOptions> = {}) => twoEnvironmentOptions({
  deployEnvironments: [
    { name: 'dev', account: DEV, region: 'eu-west-1' },
    { name: 'staging', account: DEV, region: 'eu-central-1', bitbucketDeployment: 'Staging', bitbucketDeploymentUuid: STAGING_UUID },
    { name: 'production', account: PROD, region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true },
  ],
  ...overrides,
});

/** The read-only role of one account's stack: its trust (provider resolved), ARN, a session ARN and its identity policies. */
function previewRole(generated: ReturnType<typeof generatedOidcApp>, account: string) {
  const role = generated.templates[naming.oidcStackId(account)].toJSON().Resources[naming.PREVIEW_ROLE_LOGICAL_ID].Properties;
  return {
    trust: resolveProviderRef(role.AssumeRolePolicyDocument, naming.OIDC_PROVIDER_LOGICAL_ID, naming.oidcProviderArn('aws', account, 'acme')),
    roleArn: naming.roleArn('aws', account, role.RoleName),
    session: `arn:aws:sts::${account}:assumed-role/${role.RoleName}/bitbucket-pull-request`,
    policies: role.Policies.map((p: any) => p.PolicyDocument),
  };
}

function token(sub: string, opts: { aud?: string; provider?: string; host?: string } = {}): WebIdentityRequest {
  const host = opts.host ?? HOST;
  return {
    provider: opts.provider ?? naming.oidcProviderArn('aws', PROD, 'acme'),
    claims: { [`${host}:aud`]: opts.aud ?? AUDIENCE, [`${host}:sub`]: sub },
  };
}

const stack = (region: string, account: string, name: string) => `arn:aws:cloudformation:${region}:${account}:stack/${name}/0f1e2d3c-aaaa-bbbb-cccc-111122223333`;
const DEV_SERVICE = stack('eu-west-1', DEV, 'dev-Service');
const STAGING_DATABASE = stack('eu-central-1', DEV, 'staging-Database');
/** The stack tags of this app's stacks (tagStacks), of another app's, as IAM sees them. */
const OWN_TAG = { [`aws:ResourceTag/${naming.APP_TAG_KEY}`]: naming.appTagValue('my-app', REPOSITORY_UUID) };
const OTHER_APP_TAG = { [`aws:ResourceTag/${naming.APP_TAG_KEY}`]: naming.appTagValue('billing', OTHER_REPOSITORY) };
/** A stack read as IAM decides it: this app's stacks carry its tag. */
const ownStack = (resource: string) => (resource.includes(':stack/') ? OWN_TAG : undefined);
const version = (region: string, account = DEV, qualifier = 'hnb659fds') => naming.bootstrapVersionParameterArn('aws', account, region, qualifier);

describe('with drift detection (the default)', () => {
  const generated = generatedOidcApp(threeEnvironments());
  const dev = previewRole(generated, DEV);
  const prod = previewRole(generated, PROD);
  const decide = (action: string, resource: string, context?: Record<string, string | string[]>, resourcePolicy?: any) =>
    evaluateSessionCall(dev.policies, dev.session, { action, resource, context, resourcePolicy });
  /** The role's policies plus an Allow of everything: what only an explicit Deny of the role still refuses. */
  const decideWithAdmin = (action: string, resource: string, context?: Record<string, string | string[]>, resourcePolicy?: any) =>
    evaluateSessionCall([...dev.policies, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }], dev.session,
      { action, resource, context, resourcePolicy });

  describe('who may assume it', () => {
    test.each<[string, WebIdentityRequest, string]>([
      ['a pull-request step of this repository (no deployment), {REPO}:{STEP}', token(`{${REPOSITORY_UUID}}:{${STEP}}`), 'Allowed'],
      ['a deployment step of this repository, {REPO}:{ENV}:{STEP}', token(`{${REPOSITORY_UUID}}:{${PRODUCTION_UUID}}:{${STEP}}`), 'Allowed'],
      ['a deployment step of this repository, {REPO}{ENV}:{STEP}', token(`{${REPOSITORY_UUID}}{${STAGING_UUID}}:{${STEP}}`), 'Allowed'],
      ['a step of another repository of the workspace', token(`{${OTHER_REPOSITORY}}:{${STEP}}`), 'ImplicitlyDenied'],
      ['a token for another workspace (audience)', token(`{${REPOSITORY_UUID}}:{${STEP}}`, { aud: naming.audience('00000000-0000-4000-8000-000000000000') }), 'ImplicitlyDenied'],
      ['a token of another workspace\'s issuer', token(`{${REPOSITORY_UUID}}:{${STEP}}`, {
        provider: naming.oidcProviderArn('aws', PROD, 'other'), host: naming.issuerHost('other'),
      }), 'ImplicitlyDenied'],
      ['sts:AssumeRole instead of AssumeRoleWithWebIdentity', { ...token(`{${REPOSITORY_UUID}}:{${STEP}}`), action: 'sts:AssumeRole' }, 'ImplicitlyDenied'],
    ])('%s', async (_case, request, expected) => {
      expect(await evaluateTrust(prod.trust, prod.roleArn, request)).toBe(expected);
    });
  });

  describe('what a session may read', () => {
    test.each<[string, string, string, string]>([
      ['DescribeStacks of a dev stack', 'cloudformation:DescribeStacks', DEV_SERVICE, 'Allowed'],
      ['GetTemplate of a dev stack', 'cloudformation:GetTemplate', DEV_SERVICE, 'Allowed'],
      ['GetTemplate of a staging stack in staging\'s region', 'cloudformation:GetTemplate', STAGING_DATABASE, 'Allowed'],
      ['GetTemplate of a staging-named stack in dev\'s region', 'cloudformation:GetTemplate', stack('eu-west-1', DEV, 'staging-Database'), 'ImplicitlyDenied'],
      ['DescribeStacks of the CDK bootstrap stack', 'cloudformation:DescribeStacks', stack('eu-west-1', DEV, 'CDKToolkit'), 'ImplicitlyDenied'],
      ['DescribeStacks of this OIDC stack', 'cloudformation:DescribeStacks', stack('eu-west-1', DEV, naming.oidcStackName('my-app', REPOSITORY_UUID)), 'ImplicitlyDenied'],
      ['GetTemplate of a production stack (another account)', 'cloudformation:GetTemplate', stack('us-east-1', PROD, 'production-Service'), 'ImplicitlyDenied'],
      ['the bootstrap version in dev\'s region', 'ssm:GetParameter', version('eu-west-1'), 'Allowed'],
      ['the bootstrap version in staging\'s region', 'ssm:GetParameter', version('eu-central-1'), 'Allowed'],
      ['the bootstrap version of another qualifier', 'ssm:GetParameter', version('eu-west-1', DEV, 'other'), 'ExplicitlyDenied'],
      ['the bootstrap version of a region without environment', 'ssm:GetParameter', version('us-west-2'), 'ExplicitlyDenied'],
      ['any other parameter', 'ssm:GetParameter', `arn:aws:ssm:eu-west-1:${DEV}:parameter/prod/db/password`, 'ExplicitlyDenied'],
      ['parameters by path', 'ssm:GetParametersByPath', `arn:aws:ssm:eu-west-1:${DEV}:parameter/prod`, 'ExplicitlyDenied'],
    ])('%s', async (_case, action, resource, expected) => {
      expect(await decide(action, resource, ownStack(resource))).toBe(expected);
    });

    // Another team's app in the same account, with a stage of the same name: the name pattern matches, the tag does not.
    test.each<[string, string, Record<string, string> | undefined]>([
      ['another app\'s dev- stack (its own tag)', stack('eu-west-1', DEV, 'dev-Billing'), OTHER_APP_TAG],
      ['an untagged dev- stack (another app, or this app\'s before tagStacks)', stack('eu-west-1', DEV, 'dev-Billing'), undefined],
    ])('%s: no read, no drift detection', async (_case, resource, tags) => {
      for (const action of ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate', 'cloudformation:DetectStackDrift', 'cloudformation:DescribeStackResourceDrifts']) {
        expect(await decide(action, resource, tags)).toBe('ImplicitlyDenied');
      }
    });

    test('production\'s role reads production\'s stacks and bootstrap version, not dev\'s', async () => {
      const call = (action: string, resource: string) =>
        evaluateSessionCall(prod.policies, prod.session, { action, resource, context: ownStack(resource) });
      expect(await call('cloudformation:GetTemplate', stack('us-east-1', PROD, 'production-Service'))).toBe('Allowed');
      expect(await call('ssm:GetParameter', version('us-east-1', PROD))).toBe('Allowed');
      expect(await call('cloudformation:GetTemplate', stack('us-east-1', PROD, 'dev-Service'))).toBe('ImplicitlyDenied');
    });
  });

  describe('it changes nothing, directly or through CloudFormation', () => {
    test.each<[string, string]>([
      ['cloudformation:CreateChangeSet', DEV_SERVICE],
      ['cloudformation:ExecuteChangeSet', DEV_SERVICE],
      ['cloudformation:UpdateStack', DEV_SERVICE],
      ['cloudformation:DeleteStack', DEV_SERVICE],
      ['cloudformation:CreateStack', stack('eu-west-1', DEV, 'dev-Evil')],
      ['cloudformation:ContinueUpdateRollback', DEV_SERVICE],
      ['s3:PutObject', 'arn:aws:s3:::cdk-hnb659fds-assets-111111111111-eu-west-1/asset.zip'],
      ['iam:CreateRole', `arn:aws:iam::${DEV}:role/evil`],
      ['iam:PutRolePolicy', `arn:aws:iam::${DEV}:role/bitbucket-deploy-my-app-dev-3f0c9a42`],
      ['iam:AttachRolePolicy', `arn:aws:iam::${DEV}:role/bitbucket-deploy-my-app-dev-3f0c9a42`],
      ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${DEV}:role/bitbucket-deploy-my-app-dev-3f0c9a42`],
      ['iam:PassRole', naming.bootstrapRoleArn('aws', DEV, 'eu-west-1', 'hnb659fds', 'deploy')],
      ['ssm:PutParameter', version('eu-west-1')],
      ['lambda:UpdateFunctionCode', `arn:aws:lambda:eu-west-1:${DEV}:function:dev-Service-Handler`],
    ])('%s', async (action, resource) => {
      expect(await decide(action, resource)).toBe('ImplicitlyDenied');
      expect(await decide(action, resource, VIA_CLOUDFORMATION)).toBe('ImplicitlyDenied');
    });
  });

  describe('it assumes no role, not even the CDK lookup role, whatever else it is given', () => {
    test.each(naming.BOOTSTRAP_ROLE_KINDS.map((kind) => [kind, naming.bootstrapRoleArn('aws', DEV, 'eu-west-1', 'hnb659fds', kind)]))(
      'the %s role', async (_kind, target) => {
        // The bootstrap roles trust the whole account: only the session's own policies can refuse.
        expect(await decide('sts:AssumeRole', target, {}, trustingAccount(DEV))).toBe('ExplicitlyDenied');
        expect(await decideWithAdmin('sts:AssumeRole', target, {}, trustingAccount(DEV))).toBe('ExplicitlyDenied');
      });

    test('nor the deploy roles of this repository', async () => {
      const deployRole = naming.roleArn('aws', DEV, naming.deployRoleName('my-app', 'dev', REPOSITORY_UUID));
      expect(await decideWithAdmin('sts:AssumeRole', deployRole, {}, trustingAccount(DEV))).toBe('ExplicitlyDenied');
    });
  });

  describe('it reads no data, not even through CloudFormation, whatever else it is given', () => {
    test.each<[string, string, any]>([
      ['s3:GetObject', 'arn:aws:s3:::customer-uploads/invoice.pdf', undefined],
      ['s3:GetObjectVersion', 'arn:aws:s3:::customer-uploads/invoice.pdf', undefined],
      ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${DEV}:secret:prod/db-AbCdEf`, undefined],
      ['kms:Decrypt', `arn:aws:kms:eu-west-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, trustingAccount(DEV)],
      ['dynamodb:Scan', `arn:aws:dynamodb:eu-west-1:${DEV}:table/dev-Service-Orders`, undefined],
      ['dynamodb:GetItem', `arn:aws:dynamodb:eu-west-1:${DEV}:table/dev-Service-Orders`, undefined],
      ['dynamodb:Query', `arn:aws:dynamodb:eu-west-1:${DEV}:table/dev-Service-Orders`, undefined],
      ['logs:GetLogEvents', `arn:aws:logs:eu-west-1:${DEV}:log-group:/aws/lambda/dev-Service-Handler:log-stream:2026/12/01/abc`, undefined],
      ['sqs:ReceiveMessage', `arn:aws:sqs:eu-west-1:${DEV}:dev-Service-Queue`, undefined],
      ['kinesis:GetRecords', `arn:aws:kinesis:eu-west-1:${DEV}:stream/dev-Service-Events`, undefined],
      ['ssm:GetParameter', `arn:aws:ssm:eu-west-1:${DEV}:parameter/dev/api-key`, undefined],
    ])('%s', async (action, resource, resourcePolicy) => {
      expect(await decide(action, resource, VIA_CLOUDFORMATION, resourcePolicy)).toBe('ExplicitlyDenied');
      expect(await decideWithAdmin(action, resource, {}, resourcePolicy)).toBe('ExplicitlyDenied');
      expect(await decideWithAdmin(action, resource, VIA_CLOUDFORMATION, resourcePolicy)).toBe('ExplicitlyDenied');
    });

    // Reads of configuration that holds data or secrets, which service wildcards once allowed through CloudFormation.
    test.each<[string, string]>([
      ['lambda:GetFunction', `arn:aws:lambda:eu-west-1:${DEV}:function:dev-Service-Handler`],
      ['lambda:GetFunctionConfiguration', `arn:aws:lambda:eu-west-1:${DEV}:function:dev-Service-Handler`],
      ['ecs:DescribeTaskDefinition', '*'],
      ['codebuild:BatchGetProjects', `arn:aws:codebuild:eu-west-1:${DEV}:project/dev-Service-Build`],
      ['ec2:GetLaunchTemplateData', `arn:aws:ec2:eu-west-1:${DEV}:instance/i-0123456789abcdef0`],
      ['ec2:DescribeInstanceAttribute', `arn:aws:ec2:eu-west-1:${DEV}:instance/i-0123456789abcdef0`],
      ['cognito-idp:DescribeUserPoolClient', `arn:aws:cognito-idp:eu-west-1:${DEV}:userpool/eu-west-1_AbCdEfGhI`],
      ['cognito-idp:ListUsers', `arn:aws:cognito-idp:eu-west-1:${DEV}:userpool/eu-west-1_AbCdEfGhI`],
      ['cognito-identity:GetOpenIdTokenForDeveloperIdentity', `arn:aws:cognito-identity:eu-west-1:${DEV}:identitypool/eu-west-1:0f1e2d3c-aaaa-bbbb-cccc-111122223333`],
      ['apigateway:GET', 'arn:aws:apigateway:eu-west-1::/apikeys/a1b2c3d4e5'],
      ['apigateway:GET', 'arn:aws:apigateway:eu-west-1::/apikeys'],
      ['apigateway:GET', 'arn:aws:apigateway:eu-west-1::/usageplans/u1v2w3/keys/a1b2c3d4e5'],
      ['glue:GetConnection', `arn:aws:glue:eu-west-1:${DEV}:connection/dev-Service-Database`],
      ['ssm:ListCommandInvocations', '*'],
      ['wafv2:GetSampledRequests', `arn:aws:wafv2:eu-west-1:${DEV}:regional/webacl/dev-Service-Acl/0f1e2d3c-aaaa-bbbb-cccc-111122223333`],
      ['cloudtrail:GetQueryResults', `arn:aws:cloudtrail:eu-west-1:${DEV}:eventdatastore/0f1e2d3c-aaaa-bbbb-cccc-111122223333`],
      ['iam:GetAccountAuthorizationDetails', '*'],
    ])('%s on %s', async (action, resource) => {
      expect(await decide(action, resource, VIA_CLOUDFORMATION)).toBe('ExplicitlyDenied');
      expect(await decide(action, resource)).toBe('ExplicitlyDenied');
      expect(await decideWithAdmin(action, resource, VIA_CLOUDFORMATION)).toBe('ExplicitlyDenied');
    });
  });

  describe('drift detection', () => {
    test.each<[string, string, string]>([
      ['cloudformation:DetectStackDrift', DEV_SERVICE, 'Allowed'],
      ['cloudformation:DetectStackResourceDrift', DEV_SERVICE, 'Allowed'],
      ['cloudformation:DescribeStackResourceDrifts', STAGING_DATABASE, 'Allowed'],
      ['cloudformation:DescribeStackDriftDetectionStatus', '*', 'Allowed'],
      ['cloudformation:DetectStackDrift', stack('eu-west-1', DEV, 'CDKToolkit'), 'ImplicitlyDenied'],
    ])('%s on %s', async (action, resource, expected) => {
      expect(await decide(action, resource, ownStack(resource))).toBe(expected);
    });

    // CloudFormation reads each resource with the caller's credentials (forward access session, aws:CalledVia).
    test.each<[string, string]>([
      ['ec2:DescribeSecurityGroups', '*'],
      ['lambda:GetPolicy', `arn:aws:lambda:eu-west-1:${DEV}:function:dev-Service-Handler`],
      ['apigateway:GET', 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod'],
      ['sns:GetTopicAttributes', `arn:aws:sns:eu-west-1:${DEV}:dev-Service-Topic`],
      ['iam:GetRole', `arn:aws:iam::${DEV}:role/dev-Service-HandlerRole`],
      ['s3:GetBucketPolicy', 'arn:aws:s3:::dev-service-bucket'],
      ['dynamodb:DescribeTable', `arn:aws:dynamodb:eu-west-1:${DEV}:table/dev-Service-Orders`],
      ['sqs:GetQueueAttributes', `arn:aws:sqs:eu-west-1:${DEV}:dev-Service-Queue`],
      ['kms:DescribeKey', `arn:aws:kms:eu-west-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ])('%s: allowed when CloudFormation reads it, not directly', async (action, resource) => {
      const keyPolicy = action.startsWith('kms:') ? trustingAccount(DEV) : undefined;
      expect(await decide(action, resource, VIA_CLOUDFORMATION, keyPolicy)).toBe('Allowed');
      expect(await decide(action, resource, {}, keyPolicy)).toBe('ImplicitlyDenied');
      // Called through another service (Athena, DynamoDB...) it is not CloudFormation's read.
      expect(await decide(action, resource, { 'aws:CalledVia': ['athena.amazonaws.com'], 'aws:ViaAWSService': 'true' }, keyPolicy)).toBe('ImplicitlyDenied');
    });
  });
});

describe('driftDetection: false', () => {
  const generated = generatedOidcApp(threeEnvironments({ driftDetection: false }));
  const dev = previewRole(generated, DEV);
  const decide = (action: string, resource: string, context?: Record<string, string | string[]>) =>
    evaluateSessionCall(dev.policies, dev.session, { action, resource, context });

  test('previews still read the stacks and the bootstrap version', async () => {
    expect(await decide('cloudformation:GetTemplate', DEV_SERVICE, OWN_TAG)).toBe('Allowed');
    expect(await decide('ssm:GetParameter', version('eu-west-1'))).toBe('Allowed');
  });

  test.each<[string, string]>([
    ['cloudformation:DetectStackDrift', DEV_SERVICE],
    ['cloudformation:DetectStackResourceDrift', DEV_SERVICE],
    ['cloudformation:DescribeStackResourceDrifts', DEV_SERVICE],
    ['cloudformation:DescribeStackDriftDetectionStatus', '*'],
  ])('%s is not allowed', async (action, resource) => {
    expect(await decide(action, resource, ownStack(resource))).toBe('ImplicitlyDenied');
  });

  test('nor any resource read, even through CloudFormation', async () => {
    expect(await decide('ec2:DescribeSecurityGroups', '*', VIA_CLOUDFORMATION)).toBe('ImplicitlyDenied');
    expect(await decide('sqs:GetQueueAttributes', `arn:aws:sqs:eu-west-1:${DEV}:dev-Service-Queue`, VIA_CLOUDFORMATION)).toBe('ImplicitlyDenied');
  });
});
