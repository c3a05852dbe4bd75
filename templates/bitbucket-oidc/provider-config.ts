// Example only: lets provider-main.ts compile and be linted in this repository.
// Projects never receive this file; OidcProviderApp writes each project's own
// `provider-config.ts` from oidcProviderExistsInAccounts.
import type { BitbucketOidcConfig } from './bitbucket-oidc-config';

/** The workspace's identity provider, one stack per account, without deploy roles. */
export const BITBUCKET_OIDC_PROVIDER_CONFIG: BitbucketOidcConfig = {
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
      stackId: 'BitbucketOidcProvider-012345678901',
      stackName: 'bitbucket-oidc-provider-acme',
      providerLogicalId: 'BitbucketOidcProvider',
      providerExists: false,
      providerArn: 'arn:aws:iam::012345678901:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc',
      thumbprints: [],
      bootstrapQualifier: 'hnb659fds',
      managedPolicies: [],
      maxSessionHours: 1,
      roles: [],
    },
  ],
};
