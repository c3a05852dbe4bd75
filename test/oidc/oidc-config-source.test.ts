import { Testing } from 'projen/lib/testing';
import * as naming from '../../src/core/naming';
import { evaluateConfig } from '../team/published-shape';
import { baseOptions, newProject, REPOSITORY_UUID, STAGING_UUID, synth, twoEnvironmentOptions } from '../util';

const CONFIG = 'src/bitbucket-oidc/config.ts';

/** The generated `BITBUCKET_OIDC_CONFIG` of a project. */
function config(options: Parameters<typeof synth>[0]): any {
  return evaluateConfig(synth(options)[CONFIG]);
}

/** Three environments in two accounts; two regions in the first. */
const threeEnvironments = (overrides = {}) => twoEnvironmentOptions({
  deployEnvironments: [
    { name: 'dev', account: '111111111111', region: 'eu-west-1' },
    { name: 'staging', account: '111111111111', region: 'eu-central-1', bitbucketDeployment: 'Staging', bitbucketDeploymentUuid: STAGING_UUID },
    { name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', manualApproval: true },
  ],
  ...overrides,
});

describe('the read-only role of each account in config.ts', () => {
  test('on by default: this repository\'s steps, the stacks of the account\'s environments, each region\'s bootstrap version, drift detection', () => {
    const accounts = config(threeEnvironments()).accounts;
    expect(accounts.map((a: any) => a.previewRole)).toEqual([
      {
        roleName: naming.previewRoleName('my-app', REPOSITORY_UUID),
        logicalId: 'PreviewRole',
        subjectPattern: `{${REPOSITORY_UUID}}*:*`,
        stackArnPatterns: [
          'arn:aws:cloudformation:eu-west-1:111111111111:stack/dev-*/*',
          'arn:aws:cloudformation:eu-central-1:111111111111:stack/staging-*/*',
        ],
        // Names alone also match another app's dev-* stacks in the account: only this app's tag is read.
        stackTag: { key: 'bitbucket-cdk:app', value: `${REPOSITORY_UUID}/my-app` },
        bootstrapVersionParameterArns: [
          'arn:aws:ssm:eu-west-1:111111111111:parameter/cdk-bootstrap/hnb659fds/version',
          'arn:aws:ssm:eu-central-1:111111111111:parameter/cdk-bootstrap/hnb659fds/version',
        ],
        driftDetection: true,
      },
      {
        roleName: naming.previewRoleName('my-app', REPOSITORY_UUID),
        logicalId: 'PreviewRole',
        subjectPattern: `{${REPOSITORY_UUID}}*:*`,
        stackArnPatterns: ['arn:aws:cloudformation:us-east-1:222222222222:stack/production-*/*'],
        stackTag: { key: 'bitbucket-cdk:app', value: `${REPOSITORY_UUID}/my-app` },
        bootstrapVersionParameterArns: ['arn:aws:ssm:us-east-1:222222222222:parameter/cdk-bootstrap/hnb659fds/version'],
        driftDetection: true,
      },
    ]);
  });

  test('its ARN in each account is the one the pipeline assumes (previewRoleArn of each environment)', () => {
    const project = newProject(threeEnvironments());
    const accounts = evaluateConfig(Testing.synth(project)[CONFIG]).accounts;
    for (const env of project.settings.environments) {
      const role = accounts.find((a: any) => a.account === env.account).previewRole;
      expect(env.previewRoleArn).toBe(naming.roleArn('aws', env.account, role.roleName));
    }
  });

  test('the bootstrap qualifier and the partition follow the options', () => {
    const role = config(baseOptions({ deployRegion: 'cn-north-1', cdkBootstrapQualifier: 'acme1234' })).accounts[0].previewRole;
    expect(role.stackArnPatterns).toEqual(['arn:aws-cn:cloudformation:cn-north-1:012345678901:stack/production-*/*']);
    expect(role.bootstrapVersionParameterArns).toEqual(['arn:aws-cn:ssm:cn-north-1:012345678901:parameter/cdk-bootstrap/acme1234/version']);
  });

  test('driftDetection: false keeps the role for previews, without drift detection', () => {
    expect(config(threeEnvironments({ driftDetection: false })).accounts.map((a: any) => a.previewRole.driftDetection)).toEqual([false, false]);
  });

  test('previews off and drift detection on: the role is there for drift detection', () => {
    expect(config(threeEnvironments({ pullRequestPreview: false })).accounts.map((a: any) => a.previewRole.driftDetection)).toEqual([true, true]);
  });

  test('previews and drift detection both off: no read-only role at all', () => {
    const text: string = synth(threeEnvironments({ pullRequestPreview: false, driftDetection: false }))[CONFIG];
    expect(text).not.toContain('previewRole');
    expect(evaluateConfig(text).accounts).toHaveLength(2);
  });
});
