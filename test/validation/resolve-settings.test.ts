import { DeployEnvironment } from '../../src';
import { looksLikeProduction } from '../../src/validation/environments';
import { resolveSettings } from '../../src/validation/resolve-settings';
import { PRODUCTION_UUID, REPOSITORY_UUID, WORKSPACE_UUID, baseOptions, twoEnvironmentOptions } from '../util';
import { optionsError, warningsOf } from './helpers';

/** A production environment with no risk: scoped to its deployment, manually approved. */
const scopedProd = (extra: Partial<DeployEnvironment> = {}): DeployEnvironment => ({
  name: 'production',
  account: '222222222222',
  region: 'us-east-1',
  bitbucketDeploymentUuid: PRODUCTION_UUID,
  manualApproval: true,
  ...extra,
});
const single = (env: DeployEnvironment) => baseOptions({ deployAccount: undefined, deployRegion: undefined, deployEnvironments: [env] });

describe('unambiguous values are normalised, with a warning', () => {
  test('braces and upper case on UUIDs are the documented form: accepted silently', () => {
    const s = resolveSettings(single(scopedProd({ bitbucketDeploymentUuid: `{${PRODUCTION_UUID.toUpperCase()}}` })));
    const uuids = [s.workspaceUuid, s.repositoryUuid, s.environments[0].bitbucketDeploymentUuid];
    expect(uuids).toEqual([WORKSPACE_UUID, REPOSITORY_UUID, PRODUCTION_UUID]);
    expect(s.warnings).toEqual([]);
  });

  test('surrounding whitespace', () => {
    const s = resolveSettings({ ...single(scopedProd({ region: ' us-east-1\n' })), bitbucketWorkspace: ' acme ' });
    expect([s.workspace, s.environments[0].region]).toEqual(['acme', 'us-east-1']);
    expect(s.warnings).toEqual([
      'bitbucketWorkspace: removed surrounding whitespace from " acme ".',
      'deployEnvironments[0].region: removed surrounding whitespace from " us-east-1\\n".',
    ]);
  });

  test('a numeric account ID that lost its leading zero is refused, never padded into another account', () => {
    expect(() => resolveSettings(single(scopedProd({ account: 12345678901 as unknown as string }))))
      .toThrow(/deployEnvironments\[0\]\.account.*12345678901.*has 11\. Write it as a string:\s+"012345678901" if it lost leading zeros/s);
  });

  test('a 12-digit numeric account ID is taken as its digits', () => {
    const s = resolveSettings(single(scopedProd({ account: 123456789012 as unknown as string })));
    expect(s.environments[0].account).toBe('123456789012');
    expect(s.warnings).toEqual([]);
  });

  test('the account ID as the console shows it (1234-5678-9012)', () => {
    const s = resolveSettings(single(scopedProd({ account: '2222-2222-2222' })));
    expect(s.environments[0].account).toBe('222222222222');
    expect(s.warnings).toEqual([expect.stringContaining('removed the hyphens')]);
  });

  test('the audience string given as workspace UUID', () => {
    const s = resolveSettings({ ...single(scopedProd()), bitbucketWorkspaceUuid: `ari:cloud:bitbucket::workspace/${WORKSPACE_UUID}` });
    expect(s.workspaceUuid).toBe(WORKSPACE_UUID);
    expect(s.audience).toBe(`ari:cloud:bitbucket::workspace/${WORKSPACE_UUID}`);
    expect(s.warnings).toEqual([`bitbucketWorkspaceUuid: took the workspace UUID "${WORKSPACE_UUID}" out of the audience "ari:cloud:bitbucket::workspace/${WORKSPACE_UUID}".`]);
  });

  test('an upper-case workspace ID', () => {
    const s = resolveSettings({ ...single(scopedProd()), bitbucketWorkspace: 'ACME-Corp' });
    expect(s.workspace).toBe('acme-corp');
    expect(s.issuerUrl).toBe('https://api.bitbucket.org/2.0/workspaces/acme-corp/pipelines-config/identity/oidc');
    expect(s.warnings).toEqual([expect.stringMatching(/^bitbucketWorkspace: .*using "acme-corp"/)]);
  });

  test('an upper-case region and step size', () => {
    const s = resolveSettings({ ...single(scopedProd({ region: 'US-EAST-1' })), pipelineStepSize: '4X' });
    expect([s.environments[0].region, s.pipelineStepSize]).toEqual(['us-east-1', '4x']);
    expect(s.warnings).toHaveLength(2);
  });

  test('newer regions and the supported partitions by shape', () => {
    const regions = ['ap-southeast-5', 'mx-central-1', 'il-central-1', 'ca-west-1', 'ap-east-2', 'cn-northwest-1', 'us-gov-east-1'];
    const envs = regions.map((region, i) => scopedProd({ name: `env${i}`, account: String(i + 1).repeat(12), region, bitbucketDeploymentUuid: undefined, manualApproval: false }));
    const s = resolveSettings(baseOptions({ deployAccount: undefined, deployRegion: undefined, deployEnvironments: envs }));
    expect(s.environments.map((e) => e.partition)).toEqual(['aws', 'aws', 'aws', 'aws', 'aws', 'aws-cn', 'aws-us-gov']);
  });
});

describe('risky but legal choices warn', () => {
  test('an environment without bitbucketDeploymentUuid: any step can assume its role', () => {
    expect(warningsOf(single(scopedProd({ bitbucketDeploymentUuid: undefined })))).toEqual([
      expect.stringMatching(/^deployEnvironments\[0\]\.bitbucketDeploymentUuid: not set for "production": any pipeline step of the repository/),
    ]);
  });

  test('the deployAccount shortcut warns under its own name (its production is gated, so only the missing UUID)', () => {
    expect(warningsOf(baseOptions())).toEqual([
      expect.stringMatching(/^deployBitbucketDeploymentUuid: not set for "production"/),
    ]);
  });

  test('an opt-in AdministratorAccess', () => {
    expect(warningsOf({ ...single(scopedProd()), deployRoleManagedPolicies: ['ReadOnlyAccess', 'AdministratorAccess'] })).toEqual([
      expect.stringMatching(/^deployRoleManagedPolicies: AdministratorAccess lets every deploy role/),
    ]);
  });

  test('a production-looking environment without manualApproval', () => {
    expect(warningsOf(single(scopedProd({ name: 'eu', bitbucketDeployment: 'Production', manualApproval: false })))).toEqual([
      expect.stringMatching(/^deployEnvironments\[0\]\.manualApproval: "eu" looks like production .* set manualApproval: true/),
    ]);
  });

  test('what looks like production', () => {
    expect(['prod', 'Production', 'prod-eu', 'eu-prod', 'prd', 'live'].filter(looksLikeProduction)).toHaveLength(6);
    expect(['staging', 'preprod', 'pre-prod', 'products', 'dev'].filter(looksLikeProduction)).toEqual([]);
  });

  test('an upper-case bootstrap qualifier breaks the default bucket name', () => {
    const s = resolveSettings({ ...single(scopedProd()), cdkBootstrapQualifier: 'Team1' });
    expect(s.bootstrapQualifier).toBe('Team1');
    expect(s.warnings).toEqual([expect.stringContaining('cdk-Team1-assets-')]);
  });

  test('a safe configuration has no warnings', () => {
    expect(warningsOf(twoEnvironmentOptions())).toEqual([]);
  });
});

test('several problems are reported together in one error', () => {
  const error = optionsError(baseOptions({
    bitbucketWorkspace: 'https://bitbucket.org/acme/',
    bitbucketRepositoryUuid: 'nope',
    deployRegion: 'eu-west-1a',
    pipelineMaxTime: 1000,
  }));
  expect(error.problems.map((p) => p.split(':')[0].trim())).toEqual(['bitbucketWorkspace', 'bitbucketRepositoryUuid', 'deployRegion', 'pipelineMaxTime']);
  expect(error.message.split('\n')[0]).toBe('BitbucketCdkApp: 4 invalid options; nothing was written.');
  expect(error.stack).toBe(error.message);
  expect(error.name).toBe('BitbucketCdkOptionsError');
  expect(Object.keys(error)).toEqual([]);
});

test('every line of a message fits a 100-column terminal', () => {
  const error = optionsError(baseOptions({ bitbucketWorkspaceUuid: 'x', deployAccount: '1', deployRoleManagedPolicies: ['arn:aws:iam::123456789012:policy/Deploy'] }));
  const long = error.message.split('\n').filter((line) => line.length > 100 && !line.startsWith('  deploy'));
  expect(long).toEqual([]);
});
