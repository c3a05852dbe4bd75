import { evaluateAssumeRole, evaluateTrust, resolveProviderRef, WebIdentityRequest } from './iam-evaluation';
import * as naming from '../../../src/core/naming';
import { generatedOidcApp, removeWorkDirs } from '../../support/generated-oidc-app';
import { baseOptions, PRODUCTION_UUID, REPOSITORY_UUID, STAGING_UUID, twoEnvironmentOptions, WORKSPACE_UUID } from '../../util';

afterAll(removeWorkDirs);

const HOST = naming.issuerHost('acme');
const AUDIENCE = naming.audience(WORKSPACE_UUID);
const OTHER_REPOSITORY = '9d8c7b6a-1111-4222-8333-444455556666';
const STEP = '5e6f7a8b-aaaa-4bbb-8ccc-dddddddddddd';

/** Claims of a Bitbucket token, as IAM condition keys (UUIDs in braces, as Bitbucket sends them). */
function token(sub: string, aud = AUDIENCE, provider = naming.oidcProviderArn('aws', '222222222222', 'acme')): WebIdentityRequest {
  return { provider, claims: { [`${HOST}:aud`]: aud, [`${HOST}:sub`]: sub } };
}

function trustOf(generated: ReturnType<typeof generatedOidcApp>, stackId: string, logicalId: string, account: string) {
  const role = generated.templates[stackId].toJSON().Resources[logicalId].Properties;
  return {
    trust: resolveProviderRef(role.AssumeRolePolicyDocument, naming.OIDC_PROVIDER_LOGICAL_ID, naming.oidcProviderArn('aws', account, 'acme')),
    roleArn: naming.roleArn('aws', account, role.RoleName),
    policies: role.Policies.map((p: any) => p.PolicyDocument),
    roleName: role.RoleName,
  };
}

describe('a deploy role scoped to a Bitbucket deployment environment', () => {
  const generated = generatedOidcApp(twoEnvironmentOptions());
  const production = trustOf(generated, 'BitbucketOidc-222222222222', 'DeployRoleProduction', '222222222222');

  test.each<[string, WebIdentityRequest, string]>([
    ['its repository and environment, {REPO}:{ENV}:{STEP}', token(`{${REPOSITORY_UUID}}:{${PRODUCTION_UUID}}:{${STEP}}`), 'Allowed'],
    ['its repository and environment, {REPO}{ENV}:{STEP}', token(`{${REPOSITORY_UUID}}{${PRODUCTION_UUID}}:{${STEP}}`), 'Allowed'],
    ['another repository, same environment UUID', token(`{${OTHER_REPOSITORY}}:{${PRODUCTION_UUID}}:{${STEP}}`), 'ImplicitlyDenied'],
    ['another environment of its repository', token(`{${REPOSITORY_UUID}}:{${STAGING_UUID}}:{${STEP}}`), 'ImplicitlyDenied'],
    ['a step that is no deployment, {REPO}:{STEP}', token(`{${REPOSITORY_UUID}}:{${STEP}}`), 'ImplicitlyDenied'],
    ['a token for another workspace (audience)', token(`{${REPOSITORY_UUID}}:{${PRODUCTION_UUID}}:{${STEP}}`, 'ari:cloud:bitbucket::workspace/00000000-0000-4000-8000-000000000000'), 'ImplicitlyDenied'],
    ['a token validated by another provider', token(
      `{${REPOSITORY_UUID}}:{${PRODUCTION_UUID}}:{${STEP}}`, AUDIENCE, 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com',
    ), 'ImplicitlyDenied'],
    ['sts:AssumeRole instead of AssumeRoleWithWebIdentity', { ...token(`{${REPOSITORY_UUID}}:{${PRODUCTION_UUID}}:{${STEP}}`), action: 'sts:AssumeRole' }, 'ImplicitlyDenied'],
    ['a token without sub', { provider: naming.oidcProviderArn('aws', '222222222222', 'acme'), claims: { [`${HOST}:aud`]: AUDIENCE } }, 'ImplicitlyDenied'],
  ])('%s', async (_case, request, expected) => {
    expect(await evaluateTrust(production.trust, production.roleArn, request)).toBe(expected);
  });

  test('the staging role admits staging tokens, not production ones', async () => {
    const staging = trustOf(generated, 'BitbucketOidc-111111111111', 'DeployRoleStaging', '111111111111');
    const stagingProvider = naming.oidcProviderArn('aws', '111111111111', 'acme');
    expect(await evaluateTrust(staging.trust, staging.roleArn, token(`{${REPOSITORY_UUID}}:{${STAGING_UUID}}:{${STEP}}`, AUDIENCE, stagingProvider))).toBe('Allowed');
    expect(await evaluateTrust(staging.trust, staging.roleArn, token(`{${REPOSITORY_UUID}}:{${PRODUCTION_UUID}}:{${STEP}}`, AUDIENCE, stagingProvider)))
      .toBe('ImplicitlyDenied');
  });

  test('a session of the role may assume exactly the bootstrap roles of its environment', async () => {
    const session = `arn:aws:sts::222222222222:assumed-role/${production.roleName}/bitbucket`;
    for (const arn of naming.bootstrapRoleArns('aws', '222222222222', 'us-east-1', 'hnb659fds')) {
      expect(await evaluateAssumeRole(production.policies, session, arn)).toBe('Allowed');
    }
    for (const arn of [
      'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      naming.bootstrapRoleArn('aws', '222222222222', 'eu-west-1', 'hnb659fds', 'deploy'),
      naming.bootstrapRoleArn('aws', '111111111111', 'eu-west-1', 'hnb659fds', 'deploy'),
      naming.bootstrapRoleArn('aws', '222222222222', 'us-east-1', 'other', 'deploy'),
    ]) {
      expect(await evaluateAssumeRole(production.policies, session, arn)).toBe('ImplicitlyDenied');
    }
  });
});

describe('a deploy role without a deployment UUID', () => {
  const generated = generatedOidcApp(baseOptions());
  const role = trustOf(generated, 'BitbucketOidc-012345678901', 'DeployRoleProduction', '012345678901');
  const provider = naming.oidcProviderArn('aws', '012345678901', 'acme');

  test.each<[string, string, string]>([
    ['a step that is no deployment, {REPO}:{STEP}', `{${REPOSITORY_UUID}}:{${STEP}}`, 'Allowed'],
    ['any deployment step, {REPO}:{ENV}:{STEP}', `{${REPOSITORY_UUID}}:{${STAGING_UUID}}:{${STEP}}`, 'Allowed'],
    ['any deployment step, {REPO}{ENV}:{STEP}', `{${REPOSITORY_UUID}}{${STAGING_UUID}}:{${STEP}}`, 'Allowed'],
    ['another repository', `{${OTHER_REPOSITORY}}:{${STEP}}`, 'ImplicitlyDenied'],
  ])('%s', async (_case, sub, expected) => {
    expect(await evaluateTrust(role.trust, role.roleArn, token(sub, AUDIENCE, provider))).toBe(expected);
  });

  test('still requires the workspace audience', async () => {
    expect(await evaluateTrust(role.trust, role.roleArn, token(`{${REPOSITORY_UUID}}:{${STEP}}`, 'sts.amazonaws.com', provider))).toBe('ImplicitlyDenied');
  });
});
