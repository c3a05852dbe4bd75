import * as fs from 'fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as naming from '../../../src/core/naming';
import { generatedOidcApp, removeWorkDirs, resourceTypeCounts } from '../../support/generated-oidc-app';
import { baseOptions, PRODUCTION_UUID, REPOSITORY_UUID, STAGING_UUID, twoEnvironmentOptions, WORKSPACE_UUID } from '../../util';

const HOST = 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc';
const AUDIENCE = `ari:cloud:bitbucket::workspace/${WORKSPACE_UUID}`;

afterAll(removeWorkDirs);

/** The one deploy role of a stack (the read-only role has its own tests: preview-role*.test.ts). */
function onlyRole(template: Template): any {
  const roles = Object.entries<any>(template.findResources('AWS::IAM::Role')).filter(([id]) => id !== naming.PREVIEW_ROLE_LOGICAL_ID);
  expect(roles).toHaveLength(1);
  return roles[0][1].Properties;
}

function expectNoLambdaNorCustomResource(template: Template) {
  for (const type of Object.keys(resourceTypeCounts(template))) {
    expect(type).not.toMatch(/^Custom::|^AWS::Lambda::|^AWS::CloudFormation::CustomResource$/);
  }
}

describe('one account, one environment, defaults', () => {
  const generated = generatedOidcApp(baseOptions());
  const template = generated.templates['BitbucketOidc-012345678901'];

  test('one stack pinned to the account and region, with the settings stack name', () => {
    expect(Object.keys(generated.stacks)).toEqual(['BitbucketOidc-012345678901']);
    const stack = generated.stacks['BitbucketOidc-012345678901'];
    expect(stack.account).toBe('012345678901');
    expect(stack.region).toBe('eu-west-1');
    expect(stack.stackName).toBe(naming.oidcStackName('my-app', REPOSITORY_UUID));
    expect(stack.templateOptions.description).toMatch(/identity provider, deploy roles and read-only role.*administrator.*npx projen bitbucket:oidc:deploy/);
  });

  test('exactly a native OIDC provider, the deploy role and the read-only role: no Lambda, no custom resource', () => {
    expect(resourceTypeCounts(template)).toEqual({ 'AWS::IAM::OIDCProvider': 1, 'AWS::IAM::Role': 2 });
    expect(Object.keys(template.findResources('AWS::IAM::Role')).sort()).toEqual(['DeployRoleProduction', 'PreviewRole']);
    expectNoLambdaNorCustomResource(template);
  });

  test('the provider trusts the workspace issuer for its audience only, pins no thumbprint and is retained', () => {
    template.hasResource('AWS::IAM::OIDCProvider', {
      Properties: {
        Url: `https://${HOST}`,
        ClientIdList: [AUDIENCE],
        ThumbprintList: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('the role trusts only AssumeRoleWithWebIdentity with this audience and any step of this repository', () => {
    const role = onlyRole(template);
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: { Ref: naming.OIDC_PROVIDER_LOGICAL_ID } },
      Condition: {
        StringEquals: { [`${HOST}:aud`]: AUDIENCE },
        StringLike: { [`${HOST}:sub`]: `{${REPOSITORY_UUID}}*:*` },
      },
    }]);
  });

  test('the role may only assume and tag sessions of the four bootstrap roles of its environment, inline', () => {
    const role = onlyRole(template);
    expect(role.Policies).toEqual([{
      PolicyName: 'AssumeCdkBootstrapRoles',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Resource: [
            'arn:aws:iam::012345678901:role/cdk-hnb659fds-deploy-role-012345678901-eu-west-1',
            'arn:aws:iam::012345678901:role/cdk-hnb659fds-file-publishing-role-012345678901-eu-west-1',
            'arn:aws:iam::012345678901:role/cdk-hnb659fds-image-publishing-role-012345678901-eu-west-1',
            'arn:aws:iam::012345678901:role/cdk-hnb659fds-lookup-role-012345678901-eu-west-1',
          ],
        }],
      },
    }]);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.PermissionsBoundary).toBeUndefined();
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.RoleName).toBe(naming.deployRoleName('my-app', 'production', REPOSITORY_UUID));
  });

  test('the role ARNs are outputs with stable IDs', () => {
    template.hasOutput('DeployRoleProductionArn', { Value: { 'Fn::GetAtt': ['DeployRoleProduction', 'Arn'] } });
    template.hasOutput('PreviewRoleArn', { Value: { 'Fn::GetAtt': ['PreviewRole', 'Arn'] } });
    expect(Object.keys(template.toJSON().Outputs)).toEqual(['DeployRoleProductionArn', 'PreviewRoleArn']);
  });

  test('the stack uses the bootstrap of the configured qualifier', () => {
    expect(template.toJSON().Parameters.BootstrapVersion.Default).toBe('/cdk-bootstrap/hnb659fds/version');
  });
});

describe('two accounts, environments scoped by deployment UUID', () => {
  const generated = generatedOidcApp(twoEnvironmentOptions());
  const staging = generated.templates['BitbucketOidc-111111111111'];
  const production = generated.templates['BitbucketOidc-222222222222'];

  test('one stack per account, each in the region of its environment', () => {
    expect(Object.keys(generated.stacks).sort()).toEqual(['BitbucketOidc-111111111111', 'BitbucketOidc-222222222222']);
    expect(generated.stacks['BitbucketOidc-111111111111'].region).toBe('eu-west-1');
    expect(generated.stacks['BitbucketOidc-222222222222'].region).toBe('us-east-1');
    expect(generated.stacks['BitbucketOidc-222222222222'].account).toBe('222222222222');
  });

  test('each stack creates its provider and holds only the deploy role of its environment, and its read-only role', () => {
    for (const template of [staging, production]) {
      expect(resourceTypeCounts(template)).toEqual({ 'AWS::IAM::OIDCProvider': 1, 'AWS::IAM::Role': 2 });
      expectNoLambdaNorCustomResource(template);
    }
    expect(Object.keys(staging.findResources('AWS::IAM::Role'))).toEqual(['DeployRoleStaging', 'PreviewRole']);
    expect(Object.keys(production.findResources('AWS::IAM::Role'))).toEqual(['DeployRoleProduction', 'PreviewRole']);
  });

  test('sub is scoped to the repository and the deployment environment', () => {
    expect(onlyRole(staging).AssumeRolePolicyDocument.Statement[0].Condition.StringLike)
      .toEqual({ [`${HOST}:sub`]: `{${REPOSITORY_UUID}}*{${STAGING_UUID}}:*` });
    expect(onlyRole(production).AssumeRolePolicyDocument.Statement[0].Condition.StringLike)
      .toEqual({ [`${HOST}:sub`]: `{${REPOSITORY_UUID}}*{${PRODUCTION_UUID}}:*` });
  });

  test('bootstrap roles are those of each environment\'s own account and region', () => {
    expect(onlyRole(production).Policies[0].PolicyDocument.Statement[0].Resource)
      .toEqual(naming.bootstrapRoleArns('aws', '222222222222', 'us-east-1', 'hnb659fds'));
    expect(onlyRole(staging).Policies[0].PolicyDocument.Statement[0].Resource)
      .toEqual(naming.bootstrapRoleArns('aws', '111111111111', 'eu-west-1', 'hnb659fds'));
  });
});

describe('two environments in one account', () => {
  const generated = generatedOidcApp(twoEnvironmentOptions({
    deployEnvironments: [
      { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeploymentUuid: STAGING_UUID },
      { name: 'production', account: '111111111111', region: 'eu-central-1', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true },
    ],
  }));

  test('share one stack, one provider and one read-only role, one deploy role and output each', () => {
    const template = generated.templates['BitbucketOidc-111111111111'];
    expect(Object.keys(generated.templates)).toEqual(['BitbucketOidc-111111111111']);
    expect(resourceTypeCounts(template)).toEqual({ 'AWS::IAM::OIDCProvider': 1, 'AWS::IAM::Role': 3 });
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(['DeployRoleProductionArn', 'DeployRoleStagingArn', 'PreviewRoleArn']);
    const production = template.findResources('AWS::IAM::Role').DeployRoleProduction.Properties;
    expect(production.Policies[0].PolicyDocument.Statement[0].Resource)
      .toEqual(naming.bootstrapRoleArns('aws', '111111111111', 'eu-central-1', 'hnb659fds'));
  });
});

describe('provider already in the account', () => {
  const generated = generatedOidcApp(twoEnvironmentOptions({ oidcProviderExistsInAccounts: ['222222222222'] }));

  test('is imported by its deterministic ARN, not created', () => {
    const production = generated.templates['BitbucketOidc-222222222222'];
    expect(resourceTypeCounts(production)).toEqual({ 'AWS::IAM::Role': 2 });
    expect(onlyRole(production).AssumeRolePolicyDocument.Statement[0].Principal)
      .toEqual({ Federated: `arn:aws:iam::222222222222:oidc-provider/${HOST}` });
  });

  test('other accounts still create theirs', () => {
    expect(resourceTypeCounts(generated.templates['BitbucketOidc-111111111111'])['AWS::IAM::OIDCProvider']).toBe(1);
  });
});

describe('opt-ins', () => {
  test('AWS managed policies are attached by name, on top of the bootstrap-role policy', () => {
    const generated = generatedOidcApp(baseOptions({ deployRoleManagedPolicies: ['ReadOnlyAccess'] }));
    const role = onlyRole(generated.templates['BitbucketOidc-012345678901']);
    expect(role.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] },
    ]);
    expect(role.Policies[0].PolicyName).toBe('AssumeCdkBootstrapRoles');
  });

  test('a customer managed permissions boundary is set by name', () => {
    const generated = generatedOidcApp(baseOptions({ deployRolePermissionsBoundary: 'deploy-boundary' }));
    const role = onlyRole(generated.templates['BitbucketOidc-012345678901']);
    expect(JSON.stringify(role.PermissionsBoundary)).toMatch(/:iam::012345678901:policy\/deploy-boundary"/);
    expect(JSON.stringify(role.PermissionsBoundary)).toContain('AWS::Partition');
  });

  test('thumbprints, session length and bootstrap qualifier come from the options', () => {
    const thumbprint = 'a'.repeat(40);
    const generated = generatedOidcApp(baseOptions({
      oidcThumbprints: [thumbprint],
      deployRoleMaxSessionHours: 2,
      cdkBootstrapQualifier: 'acme1234',
    }));
    const template = generated.templates['BitbucketOidc-012345678901'];
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { ThumbprintList: [thumbprint] });
    const role = onlyRole(template);
    expect(role.MaxSessionDuration).toBe(7200);
    expect(role.Policies[0].PolicyDocument.Statement[0].Resource)
      .toEqual(naming.bootstrapRoleArns('aws', '012345678901', 'eu-west-1', 'acme1234'));
    expect(template.toJSON().Parameters.BootstrapVersion.Default).toBe('/cdk-bootstrap/acme1234/version');
  });
});

describe('China partition (cn-north-1)', () => {
  test('bootstrap role ARNs use aws-cn', () => {
    const generated = generatedOidcApp(baseOptions({ deployRegion: 'cn-north-1' }));
    const template = generated.templates['BitbucketOidc-012345678901'];
    expect(generated.stacks['BitbucketOidc-012345678901'].region).toBe('cn-north-1');
    expect(resourceTypeCounts(template)).toEqual({ 'AWS::IAM::OIDCProvider': 1, 'AWS::IAM::Role': 2 });
    const resources: string[] = onlyRole(template).Policies[0].PolicyDocument.Statement[0].Resource;
    expect(resources).toHaveLength(4);
    for (const arn of resources) expect(arn).toMatch(/^arn:aws-cn:iam::012345678901:role\/cdk-hnb659fds-.*-role-012345678901-cn-north-1$/);
  });

  test('an existing provider is imported with an aws-cn ARN', () => {
    const generated = generatedOidcApp(baseOptions({ deployRegion: 'cn-north-1', oidcProviderExistsInAccounts: ['012345678901'] }));
    const template = generated.templates['BitbucketOidc-012345678901'];
    expect(onlyRole(template).AssumeRolePolicyDocument.Statement[0].Principal)
      .toEqual({ Federated: `arn:aws-cn:iam::012345678901:oidc-provider/${HOST}` });
  });
});

test('the generated folder holds exactly the files the entry point needs', () => {
  const generated = generatedOidcApp(baseOptions());
  expect(fs.readdirSync(generated.dir).sort()).toEqual(['bitbucket-oidc-config.ts', 'bitbucket-oidc-stack.ts', 'config.ts', 'drift-read-permissions.ts', 'main.ts', 'preview-role.ts']);
});
