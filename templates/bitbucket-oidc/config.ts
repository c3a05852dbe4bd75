// Example only: lets the templates compile and be linted in this repository.
// Projects never receive this file; BitbucketOidc writes each project's own
// `config.ts` from its .projenrc.ts options.
import type { BitbucketOidcConfig } from './bitbucket-oidc-config';

/** The Bitbucket OIDC trust of this project, from .projenrc.ts. */
export const BITBUCKET_OIDC_CONFIG: BitbucketOidcConfig = {
  projectName: 'my-app',
  workspace: 'acme',
  issuerUrl: 'https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc',
  issuerHost: 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc',
  audience: 'ari:cloud:bitbucket::workspace/7baee083-1b2c-4c8d-9d2e-0123456789ab',
  repositoryUuid: '3f0c9a42-5678-4e1f-8a3b-fedcba987654',
  accounts: [
    {
      account: '012345678901',
      region: 'eu-west-1',
      partition: 'aws',
      stackId: 'BitbucketOidc-012345678901',
      stackName: 'bitbucket-oidc-my-app-3f0c9a42',
      providerLogicalId: 'BitbucketOidcProvider',
      providerExists: false,
      providerArn: 'arn:aws:iam::012345678901:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc',
      thumbprints: [],
      bootstrapQualifier: 'hnb659fds',
      managedPolicies: [],
      maxSessionHours: 1,
      roles: [
        {
          environment: 'production',
          bitbucketDeployment: 'production',
          roleName: 'bitbucket-deploy-my-app-production-3f0c9a42',
          logicalId: 'DeployRoleProduction',
          region: 'eu-west-1',
          subjectPattern: '{3f0c9a42-5678-4e1f-8a3b-fedcba987654}*:*',
          bootstrapRoleArns: [
            'arn:aws:iam::012345678901:role/cdk-hnb659fds-deploy-role-012345678901-eu-west-1',
            'arn:aws:iam::012345678901:role/cdk-hnb659fds-file-publishing-role-012345678901-eu-west-1',
            'arn:aws:iam::012345678901:role/cdk-hnb659fds-image-publishing-role-012345678901-eu-west-1',
            'arn:aws:iam::012345678901:role/cdk-hnb659fds-lookup-role-012345678901-eu-west-1',
          ],
        },
      ],
      previewRole: {
        roleName: 'bitbucket-preview-my-app-3f0c9a42',
        logicalId: 'PreviewRole',
        subjectPattern: '{3f0c9a42-5678-4e1f-8a3b-fedcba987654}*:*',
        stackArnPatterns: [
          'arn:aws:cloudformation:eu-west-1:012345678901:stack/production-*/*',
        ],
        bootstrapVersionParameterArns: [
          'arn:aws:ssm:eu-west-1:012345678901:parameter/cdk-bootstrap/hnb659fds/version',
        ],
        driftDetection: true,
      },
    },
  ],
};
