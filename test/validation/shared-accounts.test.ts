import { Logger } from 'projen';
import { DeployEnvironment } from '../../src';
import { PRODUCTION_UUID, STAGING_UUID, baseOptions, newProject } from '../util';
import { warningsOf } from './helpers';

const environments = (deployEnvironments: DeployEnvironment[], extra: Record<string, unknown> = {}) =>
  baseOptions({ deployAccount: undefined, deployRegion: undefined, deployEnvironments, ...extra });
const production: DeployEnvironment = { name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true };
const sharedWarnings = (warnings: string[]) => warnings.filter((w) => /^deployEnvironments: account \d{12} is shared by/.test(w));

describe('environments sharing an AWS account are said not to be separated', () => {
  test('an environment without a deployment UUID voids the scoping of one with a UUID in the same account', () => {
    const warnings = warningsOf(environments([
      { name: 'dev', account: '222222222222', region: 'eu-west-1' },
      production,
    ]));
    expect(sharedWarnings(warnings)).toEqual([expect.stringMatching(/^deployEnvironments: account 222222222222 is shared by "dev", "production": their deploy roles are not separated/)]);
    const [w] = sharedWarnings(warnings);
    expect(w).toContain('"dev" has no bitbucketDeploymentUuid, so any pipeline step of any branch can assume its role');
    expect(w).toContain('the scoping of "production" to its Bitbucket deployment does not hold');
    expect(w).toContain('CloudFormation\'s execution role (AdministratorAccess unless the account was bootstrapped with --cloudformation-execution-policies) reaches everything in the account, including the other environments\' deploy roles');
    expect(w).toContain('README, "Security model" → "Separating environments"');
    // Different regions: not one bootstrap.
    expect(w).not.toContain('share the CDK bootstrap');
  });

  test('scoped environments in one account and region share its bootstrap (and the qualifier is named)', () => {
    const [w, ...rest] = sharedWarnings(warningsOf(environments([
      { name: 'staging', account: '222222222222', region: 'us-east-1', bitbucketDeploymentUuid: STAGING_UUID },
      production,
    ], { cdkBootstrapQualifier: 'acme' })));
    expect(rest).toEqual([]);
    expect(w).toContain('"staging", "production" share the CDK bootstrap of us-east-1 (qualifier acme): each deploy role may assume the same bootstrap roles, so a step deploying one of them can change or delete the stacks of the others.');
    expect(w).not.toContain('does not hold');
  });

  test('one warning per shared account, naming only the environments in it', () => {
    const warnings = warningsOf(environments([
      { name: 'dev', account: '111111111111', region: 'eu-west-1' },
      { name: 'test', account: '111111111111', region: 'eu-west-1' },
      { name: 'staging', account: '111111111111', region: 'eu-central-1', bitbucketDeploymentUuid: STAGING_UUID },
      production,
    ]));
    const [w, ...rest] = sharedWarnings(warnings);
    expect(rest).toEqual([]);
    expect(w).toMatch(/^deployEnvironments: account 111111111111 is shared by "dev", "test", "staging":/);
    expect(w).toContain('"dev", "test" have no bitbucketDeploymentUuid, so any pipeline step of any branch can assume their roles and reach, through the account\'s bootstrap, what "staging" can');
    expect(w).toContain('"dev", "test" share the CDK bootstrap of eu-west-1 (qualifier hnb659fds)');
    expect(w).not.toContain('production');
  });

  test('one environment per account: no such warning', () => {
    expect(sharedWarnings(warningsOf(environments([
      { name: 'staging', account: '111111111111', region: 'us-east-1', bitbucketDeploymentUuid: STAGING_UUID },
      production,
    ])))).toEqual([]);
  });

  test('every `npx projen` prints it: constructing the project logs it as a warning', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      newProject(environments([{ ...production, name: 'staging', bitbucketDeploymentUuid: STAGING_UUID, manualApproval: false }, production]));
      expect(warn.mock.calls.map((c) => c.join(' '))).toContainEqual(expect.stringMatching(/^BitbucketCdkApp: deployEnvironments: account 222222222222 is shared by "staging", "production"/));
    } finally {
      warn.mockRestore();
    }
  });
});
