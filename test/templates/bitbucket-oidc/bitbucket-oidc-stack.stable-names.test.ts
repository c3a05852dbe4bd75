import { generatedOidcApp, removeWorkDirs } from '../../support/generated-oidc-app';
import { twoEnvironmentOptions } from '../../util';

afterAll(removeWorkDirs);

// These names live in users' AWS accounts: a change replaces the provider or
// the roles (breaking every pipeline until redeployed) or orphans a stack.
// Change them only with a migration path, never by accident.
test('logical IDs, stack IDs, stack names, role names and output IDs are stable', () => {
  const generated = generatedOidcApp(twoEnvironmentOptions({
    deployEnvironments: [
      { name: 'staging', account: '111111111111', region: 'eu-west-1' },
      { name: 'prod-eu', account: '222222222222', region: 'eu-central-1' },
    ],
  }));
  const summary = Object.fromEntries(Object.entries(generated.stacks).map(([id, stack]) => {
    const template = generated.templates[id].toJSON();
    return [id, {
      stackName: stack.stackName,
      resources: Object.fromEntries(Object.entries<any>(template.Resources).map(([logicalId, r]) => [logicalId, r.Properties.RoleName ?? r.Type])),
      outputs: Object.keys(template.Outputs),
    }];
  }));
  expect(summary).toEqual({
    'BitbucketOidc-111111111111': {
      stackName: 'bitbucket-oidc-my-app-3f0c9a42',
      resources: {
        BitbucketOidcProvider: 'AWS::IAM::OIDCProvider',
        DeployRoleStaging: 'bitbucket-deploy-my-app-staging-3f0c9a42',
        PreviewRole: 'bitbucket-preview-my-app-3f0c9a42',
      },
      outputs: ['DeployRoleStagingArn', 'PreviewRoleArn'],
    },
    'BitbucketOidc-222222222222': {
      stackName: 'bitbucket-oidc-my-app-3f0c9a42',
      resources: {
        BitbucketOidcProvider: 'AWS::IAM::OIDCProvider',
        DeployRoleProdEu: 'bitbucket-deploy-my-app-prod-eu-3f0c9a42',
        PreviewRole: 'bitbucket-preview-my-app-3f0c9a42',
      },
      outputs: ['DeployRoleProdEuArn', 'PreviewRoleArn'],
    },
  });
});
