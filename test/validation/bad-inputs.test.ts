import { BitbucketCdkAppOptions, DeployEnvironment } from '../../src';
import { REPOSITORY_UUID, WORKSPACE_UUID, baseOptions } from '../util';
import { optionsError, problemAbout } from './helpers';

const NO_SHORTCUT = { deployAccount: undefined, deployRegion: undefined };
const ok: DeployEnvironment = { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeploymentUuid: 'a1b2c3d4-0000-4000-8000-000000000001' };
/** Options with one valid environment first and `env` as deployEnvironments[1]. */
function second(env: Record<string, unknown>): Partial<BitbucketCdkAppOptions> {
  return { ...NO_SHORTCUT, deployEnvironments: [ok, { name: 'prod', account: '222222222222', region: 'us-east-1', ...env } as DeployEnvironment] };
}
function policies(...names: unknown[]): Partial<BitbucketCdkAppOptions> {
  return { deployRoleManagedPolicies: names as string[] };
}

/** [bad input, options, option path, value as shown, key phrase of the fix] */
const CASES: Array<[string, Partial<BitbucketCdkAppOptions>, string, string, string]> = [
  // Workspace ID (slug)
  ['workspace: empty', { bitbucketWorkspace: '' }, 'bitbucketWorkspace', '""', 'bitbucket.org/<workspace>/<repository>'],
  ['workspace: missing', { bitbucketWorkspace: undefined }, 'bitbucketWorkspace', '(not set)', 'Required'],
  ['workspace: characters Bitbucket does not allow', { bitbucketWorkspace: 'acme corp!' }, 'bitbucketWorkspace', '"acme corp!"', 'lower-case letters, digits, "-" and "_"'],
  ['workspace: repository URL', { bitbucketWorkspace: 'https://bitbucket.org/acme/my-app/src/main/' }, 'bitbucketWorkspace', '"https://bitbucket.org/acme/my-app/src/main/"', 'here "acme"'],
  ['workspace: SSH clone URL', { bitbucketWorkspace: 'git@bitbucket.org:acme/my-app.git' }, 'bitbucketWorkspace', '"git@bitbucket.org:acme/my-app.git"', 'here "acme"'],
  ['workspace: issuer URL', { bitbucketWorkspace: 'https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc' }, 'bitbucketWorkspace', '"https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc"', 'here "acme"'],
  ['workspace: the UUID instead of the slug', { bitbucketWorkspace: `{${WORKSPACE_UUID}}` }, 'bitbucketWorkspace', `"{${WORKSPACE_UUID}}"`, 'belongs in bitbucketWorkspaceUuid'],
  // UUIDs
  ['workspace UUID: not a UUID', { bitbucketWorkspaceUuid: 'acme' }, 'bitbucketWorkspaceUuid', '"acme"', 'Not a UUID'],
  ['workspace UUID: truncated', { bitbucketWorkspaceUuid: WORKSPACE_UUID.slice(0, 30) }, 'bitbucketWorkspaceUuid', `"${WORKSPACE_UUID.slice(0, 30)}"`, 'OpenID Connect'],
  ['workspace UUID: a number', { bitbucketWorkspaceUuid: 42 as unknown as string }, 'bitbucketWorkspaceUuid', '42', 'as a string'],
  ['repository UUID: not a UUID', { bitbucketRepositoryUuid: 'my-app' }, 'bitbucketRepositoryUuid', '"my-app"', 'Repository UUID'],
  ['repository UUID: the workspace UUID', { bitbucketRepositoryUuid: WORKSPACE_UUID }, 'bitbucketRepositoryUuid', `"${WORKSPACE_UUID}"`, 'Equals bitbucketWorkspaceUuid'],
  ['repository UUID: the audience string', { bitbucketRepositoryUuid: `ari:cloud:bitbucket::workspace/${WORKSPACE_UUID}` }, 'bitbucketRepositoryUuid', `"ari:cloud:bitbucket::workspace/${WORKSPACE_UUID}"`, 'holds the workspace UUID'],
  ['workspace UUID: an audience without a UUID', { bitbucketWorkspaceUuid: 'ari:cloud:bitbucket::workspace/acme' }, 'bitbucketWorkspaceUuid', '"ari:cloud:bitbucket::workspace/acme"', 'has no UUID'],
  ['deployment UUID: not a UUID', second({ bitbucketDeploymentUuid: 'Production' }), 'deployEnvironments[1].bitbucketDeploymentUuid', '"Production"', 'Deployment environments'],
  ['deployment UUID: the repository UUID', second({ bitbucketDeploymentUuid: `{${REPOSITORY_UUID}}` }), 'deployEnvironments[1].bitbucketDeploymentUuid', `"{${REPOSITORY_UUID}}"`, 'Equals bitbucketRepositoryUuid'],
  ['deployment UUID: used twice', second({ bitbucketDeploymentUuid: ok.bitbucketDeploymentUuid!.toUpperCase() }), 'deployEnvironments[1].bitbucketDeploymentUuid', `"${ok.bitbucketDeploymentUuid!.toUpperCase()}"`, 'Also used by deployEnvironments[0].bitbucketDeploymentUuid'],
  // Account IDs
  ['account: 11 digits (lost its leading zero)', { deployAccount: '12345678901' }, 'deployAccount', '"12345678901"', 'write "012345678901"'],
  ['account: 13 digits', second({ account: '1234567890123' }), 'deployEnvironments[1].account', '"1234567890123"', 'this has 13'],
  ['account: non-digits', second({ account: '12345678901O' }), 'deployEnvironments[1].account', '"12345678901O"', '12 digits and nothing else'],
  ['account: an ARN', second({ account: 'arn:aws:iam::123456789012:root' }), 'deployEnvironments[1].account', '"arn:aws:iam::123456789012:root"', 'write "123456789012"'],
  ['account: a number too large', second({ account: 1234567890123 }), 'deployEnvironments[1].account', '1234567890123', 'written as a string'],
  ['account: missing', second({ account: undefined }), 'deployEnvironments[1].account', '(not set)', 'Required'],
  ['existing-provider account: bad', { oidcProviderExistsInAccounts: ['12345'] }, 'oidcProviderExistsInAccounts[0]', '"12345"', 'this has 5'],
  // Regions
  ['region: unknown shape', { deployRegion: 'europe-west1' }, 'deployRegion', '"europe-west1"', 'such as "eu-west-1"'],
  ['region: misspelt direction', { deployRegion: 'eu-wset-1' }, 'deployRegion', '"eu-wset-1"', 'Not an AWS region code'],
  ['region: availability zone', { deployRegion: 'eu-west-1a' }, 'deployRegion', '"eu-west-1a"', 'write "eu-west-1"'],
  ['region: console name', second({ region: 'Europe (Ireland)' }), 'deployEnvironments[1].region', '"Europe (Ireland)"', 'Not an AWS region code'],
  ['region: isolated partition', second({ region: 'us-iso-east-1' }), 'deployEnvironments[1].region', '"us-iso-east-1"', 'aws, aws-cn, aws-us-gov'],
  ['region: sovereign cloud partition', second({ region: 'eusc-de-east-1' }), 'deployEnvironments[1].region', '"eusc-de-east-1"', 'aws, aws-cn, aws-us-gov'],
  ['region: two partitions in one account', second({ account: '111111111111', region: 'cn-north-1' }), 'deployEnvironments', '["eu-west-1","cn-north-1"]', 'different partitions'],
  // Environment names
  ['env name: empty', second({ name: '' }), 'deployEnvironments[1].name', '""', 'Name the environment'],
  ['env name: missing', second({ name: undefined }), 'deployEnvironments[1].name', '(not set)', 'Required'],
  ['env name: duplicate (case)', second({ name: 'Staging' }), 'deployEnvironments[1].name', '"Staging"', 'Also used by deployEnvironments[0].name'],
  ['env name: same logical ID', { ...NO_SHORTCUT, deployEnvironments: [{ ...ok, name: 'prod-eu' }, { ...ok, name: 'prodEu', account: '222222222222' }] }, 'deployEnvironments[1].name', '"prodEu"', 'DeployRoleProdEu'],
  ['env name: ":" breaks task names', second({ name: 'prod:eu' }), 'deployEnvironments[1].name', '"prod:eu"', 'task names'],
  ['env name: "/" breaks stage IDs', second({ name: 'prod/eu' }), 'deployEnvironments[1].name', '"prod/eu"', 'stage ID'],
  ['env name: space', second({ name: 'prod eu' }), 'deployEnvironments[1].name', '"prod eu"', 'Spaces'],
  ['env name: wildcard', second({ name: 'prod*' }), 'deployEnvironments[1].name', '"prod*"', 'wildcards'],
  ['env name: underscore', second({ name: 'prod_eu' }), 'deployEnvironments[1].name', '"prod_eu"', '"_" is not allowed'],
  ['env name: starts with a digit', second({ name: '1prod' }), 'deployEnvironments[1].name', '"1prod"', 'start with a letter'],
  ['env name: double hyphen', second({ name: 'prod--eu' }), 'deployEnvironments[1].name', '"prod--eu"', 'double hyphens'],
  ['env name: too long', second({ name: 'p'.repeat(33) }), 'deployEnvironments[1].name', `"${'p'.repeat(33)}"`, 'Too long (33 characters)'],
  ['env: unknown field (typo)', second({ bitbucketDeploymentUUID: 'x' }), 'deployEnvironments[1].bitbucketDeploymentUUID', '"x"', 'did you mean bitbucketDeploymentUuid?'],
  ['env: not an object', { ...NO_SHORTCUT, deployEnvironments: ['production' as unknown as DeployEnvironment] }, 'deployEnvironments[0]', '"production"', '{ name, account, region }'],
  ['env: manualApproval not a boolean', second({ manualApproval: 'yes' }), 'deployEnvironments[1].manualApproval', '"yes"', 'true or false'],
  // Bitbucket deployment names
  ['deployment name: duplicate across environments', second({ bitbucketDeployment: 'STAGING' }), 'deployEnvironments[1].bitbucketDeployment', '"STAGING"', 'once per pipeline'],
  ['deployment name: empty', second({ bitbucketDeployment: '' }), 'deployEnvironments[1].bitbucketDeployment', '""', 'Repository settings → Deployments'],
  ['deployment name: two lines', second({ bitbucketDeployment: 'Prod\nEU' }), 'deployEnvironments[1].bitbucketDeployment', '"Prod\\nEU"', 'one line'],
  // Where to deploy
  ['deployEnvironments with deployAccount', { deployEnvironments: [ok] }, 'deployAccount', '"012345678901"', 'Cannot be combined with deployEnvironments'],
  ['deployEnvironments with deployRegion', { deployAccount: undefined, deployEnvironments: [ok] }, 'deployRegion', '"eu-west-1"', 'Cannot be combined with deployEnvironments'],
  ['neither deployEnvironments nor deployAccount/deployRegion', NO_SHORTCUT, 'deployEnvironments', '(not set)', '--deploy-account'],
  ['deployAccount without deployRegion', { deployRegion: undefined }, 'deployRegion', '(not set)', 'Required'],
  ['deployEnvironments empty', { ...NO_SHORTCUT, deployEnvironments: [] }, 'deployEnvironments', '[]', 'non-empty list'],
  // Roles
  ['role name: 65 characters', second({ deployRoleName: 'r'.repeat(65) }), 'deployEnvironments[1].deployRoleName', `"${'r'.repeat(65)}"`, 'is 65 characters long'],
  ['role name: invalid characters', second({ deployRoleName: 'deploy role#1' }), 'deployEnvironments[1].deployRoleName', '"deploy role#1"', 'characters IAM does not allow'],
  ['role name: an ARN', second({ deployRoleName: 'arn:aws:iam::222222222222:role/deployer' }), 'deployEnvironments[1].deployRoleName', '"arn:aws:iam::222222222222:role/deployer"', 'write "deployer"'],
  ['role name: duplicate', { ...NO_SHORTCUT, deployEnvironments: [{ ...ok, deployRoleName: 'Deployer' }, { ...ok, name: 'prod', account: '222222222222', deployRoleName: 'deployer' }] }, 'deployEnvironments[1].deployRoleName', '"deployer"', 'own deploy role'],
  ['session: 0 hours', { deployRoleMaxSessionHours: 0 }, 'deployRoleMaxSessionHours', '0', '1 to 12 whole hours'],
  ['session: 13 hours', { deployRoleMaxSessionHours: 13 }, 'deployRoleMaxSessionHours', '13', '1 to 12 whole hours'],
  ['session: seconds instead of hours', { deployRoleMaxSessionHours: 7200 }, 'deployRoleMaxSessionHours', '7200', 'write 2'],
  ['session: fraction', { deployRoleMaxSessionHours: 1.5 }, 'deployRoleMaxSessionHours', '1.5', 'whole hours'],
  // CDK bootstrap qualifier
  ['qualifier: 11 characters', { cdkBootstrapQualifier: 'abcdefghijk' }, 'cdkBootstrapQualifier', '"abcdefghijk"', '1 to 10'],
  ['qualifier: invalid character', { cdkBootstrapQualifier: 'my.qual' }, 'cdkBootstrapQualifier', '"my.qual"', '--qualifier'],
  ['qualifier: empty', { cdkBootstrapQualifier: '' }, 'cdkBootstrapQualifier', '""', '1 to 10'],
  // Managed policies
  ['policy: AWS managed ARN', policies('arn:aws:iam::aws:policy/ReadOnlyAccess'), 'deployRoleManagedPolicies[0]', '"arn:aws:iam::aws:policy/ReadOnlyAccess"', 'Write "ReadOnlyAccess"'],
  ['policy: AWS managed ARN with path', policies('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'), 'deployRoleManagedPolicies[0]', '"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"', 'Write "job-function/ViewOnlyAccess"'],
  ['policy: customer managed ARN where AWS managed is expected', policies('ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/team/Deploy'), 'deployRoleManagedPolicies[1]', '"arn:aws:iam::123456789012:policy/team/Deploy"', '"Deploy" is customer managed'],
  ['policy: invalid name', policies('Read Only'), 'deployRoleManagedPolicies[0]', '"Read Only"', '1 to 128'],
  ['policy: not a list', { deployRoleManagedPolicies: 'ReadOnlyAccess' as unknown as string[] }, 'deployRoleManagedPolicies', '"ReadOnlyAccess"', 'Expected a list'],
  ['boundary: customer managed ARN', { deployRolePermissionsBoundary: 'arn:aws:iam::123456789012:policy/Boundary' }, 'deployRolePermissionsBoundary', '"arn:aws:iam::123456789012:policy/Boundary"', 'Write "Boundary"'],
  ['boundary: AWS managed ARN where customer managed is expected', { deployRolePermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }, 'deployRolePermissionsBoundary', '"arn:aws:iam::aws:policy/PowerUserAccess"', '"PowerUserAccess" is AWS managed'],
  // OIDC provider
  ['thumbprint: not hex', { oidcThumbprints: ['xyz'] }, 'oidcThumbprints[0]', '"xyz"', '40-hex-digit'],
  ['thumbprints: more than 5', { oidcThumbprints: Array.from({ length: 6 }, (_, i) => String(i).repeat(40)) }, 'oidcThumbprints', `["${'0'.repeat(40)}","${'1'.repeat(32)}...`, 'at most 5'],
  // Pipeline
  ['step size: unknown', { pipelineStepSize: '3x' }, 'pipelineStepSize', '"3x"', '1x, 2x, 4x, 8x, 16x, 32x'],
  ['step size: a number', { pipelineStepSize: 2 as unknown as string }, 'pipelineStepSize', '2', 'Write "2x"'],
  ['max-time: 0', { pipelineMaxTime: 0 }, 'pipelineMaxTime', '0', '1 to 720'],
  ['max-time: over 720', { pipelineMaxTime: 721 }, 'pipelineMaxTime', '721', '1 to 720'],
  ['max-time: a string', { pipelineMaxTime: '30' as unknown as number }, 'pipelineMaxTime', '"30"', 'whole minutes'],
  ['deploy step size: unknown', { deployStepSize: '3x' }, 'deployStepSize', '"3x"', '1x, 2x, 4x, 8x, 16x, 32x'],
  ['deploy step max-time: over 720', { deployStepMaxTime: 721 }, 'deployStepMaxTime', '721', '1 to 720'],
  ['executable assets: not a boolean', { allowExecutableAssets: 'yes' as unknown as boolean }, 'allowExecutableAssets', '"yes"', 'true or false'],
  ['image: invalid', { pipelineImage: 'node 22' }, 'pipelineImage', '"node 22"', 'node:22'],
  ['pull request pipeline: not a boolean', { pullRequestPipeline: 'no' as unknown as boolean }, 'pullRequestPipeline', '"no"', 'true or false'],
  ['preview fails on stateful risk: previews off', { pullRequestPreview: false, pullRequestPreviewFailsOnStatefulRisk: true }, 'pullRequestPreviewFailsOnStatefulRisk', 'true', 'which pullRequestPreview: false removes. Set pullRequestPreview: true, or remove pullRequestPreviewFailsOnStatefulRisk'],
  ['preview fails on stateful risk: no pull-request pipeline', { pullRequestPipeline: false, pullRequestPreviewFailsOnStatefulRisk: true }, 'pullRequestPreviewFailsOnStatefulRisk', 'true', 'which pullRequestPipeline: false removes. Set pullRequestPipeline: true'],
  ['preview fails on stateful risk: not a boolean', { pullRequestPreviewFailsOnStatefulRisk: 'yes' as unknown as boolean }, 'pullRequestPreviewFailsOnStatefulRisk', '"yes"', 'true or false'],
  // Inherited options this package relies on
  ['main branch: invalid', { defaultReleaseBranch: 'main branch' }, 'defaultReleaseBranch', '"main branch"', 'git branch name'],
  ['project name: no letters or digits', { name: '@@@' }, 'name', '"@@@"', 'role and OIDC stack names'],
  ['CDK CLI version: a shell-breaking range', { cdkCliVersion: '>=2 <3' }, 'cdkCliVersion', '">=2 <3"', 'exact npm version'],
  ['CDK CLI version: a caret range (the pipeline would fetch the newest CLI)', { cdkCliVersion: '^2.1148.1' }, 'cdkCliVersion', '"^2.1148.1"', 'instead of the lockfile'],
  ['CDK CLI integrity: a sha1', { cdkCliVersion: '2.1150.0', cdkCliIntegrity: 'sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, 'cdkCliIntegrity', '"sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA="', 'sha1 is too weak'],
  ['CDK CLI integrity: a hex digest', { cdkCliVersion: '2.1150.0', cdkCliIntegrity: 'ab12'.repeat(10) }, 'cdkCliIntegrity', `"${'ab12'.repeat(10)}"`, 'Copy the output of npm view aws-cdk@<cdkCliVersion> dist.integrity'],
  ['CDK CLI integrity: another than the shipped one, for the default version', { cdkCliIntegrity: `sha512-${'A'.repeat(86)}==` }, 'cdkCliIntegrity', `"sha512-${'A'.repeat(86)}=="`, 'set cdkCliVersion to the version it is the integrity of, or remove cdkCliIntegrity'],
  ['docker build options: not a boolean', { allowDockerBuildOptions: 'yes' as unknown as boolean }, 'allowDockerBuildOptions', '"yes"', 'true or false'],
];

describe('every bad input is reported with its option path, its value and the fix', () => {
  test.each(CASES)('%s', (_, overrides, option, shown, phrase) => {
    const problem = problemAbout(optionsError(baseOptions(overrides)), option);
    expect(problem.split('\n')[0]).toBe(`  ${option}: ${shown}`);
    expect(problem.replace(/\n +/g, ' ')).toContain(phrase);
  });
});

test('distinct bad inputs are not counted twice', () => {
  expect(new Set(CASES.map((c) => c[0])).size).toBe(CASES.length);
});
