/**
 * Several repositories of one workspace deploying into one AWS account: the
 * first creates the workspace's OIDC provider, the others import it
 * (`oidcProviderExistsInAccounts`), and no two projects share a role name or
 * a CloudFormation stack name, so one's `bitbucket:oidc:deploy` never
 * replaces or overwrites another's stack.
 */
import { BitbucketCdkAppOptions } from '../../src';
import { parsePipelines } from '../pipeline/pipeline-helpers';
import { generatedOidcApp, GeneratedOidcApp, removeWorkDirs } from '../support/generated-oidc-app';
import { baseOptions } from '../util';

afterAll(removeWorkDirs);

const ACCOUNT = '111111111111';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc`;
const STACK_ID = `BitbucketOidc-${ACCOUNT}`;

function project(name: string, repositoryUuid: string, providerExists: boolean): BitbucketCdkAppOptions {
  return baseOptions({
    name,
    bitbucketRepositoryUuid: repositoryUuid,
    deployAccount: undefined,
    deployRegion: undefined,
    deployEnvironments: [
      { name: 'staging', account: ACCOUNT, region: 'eu-west-1' },
      { name: 'production', account: ACCOUNT, region: 'eu-central-1', manualApproval: true },
    ],
    oidcProviderExistsInAccounts: providerExists ? [ACCOUNT] : undefined,
  });
}

// The first repository creates the provider; the others import it. Two of them
// share a project name (forks, or one template used twice), one has a long
// name that role names shorten.
const PROJECTS: Record<string, BitbucketCdkAppOptions> = {
  'orders (first, creates the provider)': project('orders', '{aaaaaaaa-1111-4111-8111-111111111111}', false),
  'orders in another repository': project('orders', '{bbbbbbbb-2222-4222-8222-222222222222}', true),
  'long-named service': project('@acme/orders-service-with-a-really-long-package-name', '{cccccccc-3333-4333-8333-333333333333}', true),
  'same long name, another repository': project('@acme/orders-service-with-a-really-long-package-name', '{dddddddd-4444-4444-8444-444444444444}', true),
};

let apps: Record<string, GeneratedOidcApp>;
beforeAll(() => {
  apps = Object.fromEntries(Object.entries(PROJECTS).map(([label, options]) => [label, generatedOidcApp(options)]));
});

function resources(app: GeneratedOidcApp): Record<string, any> {
  return app.templates[STACK_ID].toJSON().Resources;
}

function roleNames(app: GeneratedOidcApp): string[] {
  return Object.values(resources(app)).filter((r: any) => r.Type === 'AWS::IAM::Role').map((r: any) => r.Properties.RoleName);
}

test('each project has one OIDC stack in the account, with its own CloudFormation stack name', () => {
  const stackNames = Object.values(apps).map((app) => {
    expect(Object.keys(app.stacks)).toEqual([STACK_ID]);
    return app.stacks[STACK_ID].stackName;
  });
  expect(new Set(stackNames).size).toBe(stackNames.length);
});

test('no two projects share a role name (IAM compares names without case)', () => {
  const all = Object.values(apps).flatMap(roleNames).map((n) => n.toLowerCase());
  // Two deploy roles and the read-only role of previews and drift detection each.
  expect(all).toHaveLength(3 * Object.keys(apps).length);
  expect(new Set(all).size).toBe(all.length);
  for (const name of all) expect(name.length).toBeLessThanOrEqual(64);
});

test('logical IDs are the same in every project (stable names), which is safe in separate stacks', () => {
  const logicalIds = Object.values(apps).map((app) => Object.keys(resources(app)).filter((id) => id.startsWith('DeployRole')).sort());
  for (const ids of logicalIds) expect(ids).toEqual(['DeployRoleProduction', 'DeployRoleStaging']);
});

test('only the first project creates the provider; the others import the same ARN', () => {
  const [first, ...others] = Object.values(apps);
  const providers = Object.entries(resources(first)).filter(([, r]: [string, any]) => r.Type === 'AWS::IAM::OIDCProvider');
  expect(providers.map(([id]) => id)).toEqual(['BitbucketOidcProvider']);
  const [, provider] = providers[0] as [string, any];
  expect(`arn:aws:iam::${ACCOUNT}:oidc-provider/${provider.Properties.Url.replace(/^https:\/\//, '')}`).toBe(PROVIDER_ARN);
  expect(first.config.accounts[0].providerExists).toBe(false);

  for (const app of others) {
    expect(app.config.accounts[0].providerExists).toBe(true);
    expect(app.config.accounts[0].providerArn).toBe(PROVIDER_ARN);
    expect(Object.values(resources(app)).map((r: any) => r.Type)).not.toContain('AWS::IAM::OIDCProvider');
    for (const role of Object.values(resources(app)).filter((r: any) => r.Type === 'AWS::IAM::Role') as any[]) {
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Federated: PROVIDER_ARN });
    }
  }
});

test('each project\'s roles trust only its own repository, and its pipeline assumes only its own roles', () => {
  for (const [label, app] of Object.entries(apps)) {
    const repo = (PROJECTS[label].bitbucketRepositoryUuid as string).toLowerCase();
    const roles = Object.values(resources(app)).filter((r: any) => r.Type === 'AWS::IAM::Role') as any[];
    for (const role of roles) {
      const sub = Object.values<string>(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringLike)[0];
      expect(sub.startsWith(`${repo}*`)).toBe(true);
    }
    const pipeline = parsePipelines(app.files['bitbucket-pipelines.yml']);
    const assumed = pipeline.pipelines.branches.main
      .flatMap((i: any) => i.step.script as string[])
      .filter((l: string) => l.startsWith('export AWS_ROLE_ARN='))
      .map((l: string) => l.slice('export AWS_ROLE_ARN='.length));
    const configured: string[] = app.config.accounts[0].roles.map((r: any) => r.roleName);
    expect([...configured, app.config.accounts[0].previewRole.roleName].sort()).toEqual(roleNames(app).sort());
    expect(assumed).toEqual(configured.map((n) => `arn:aws:iam::${ACCOUNT}:role/${n}`));
  }
});
