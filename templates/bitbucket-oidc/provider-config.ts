// Example only: lets provider-main.ts compile and be linted in this repository.
// Projects never receive this file; OidcProviderApp writes each project's own
// `provider-config.ts` from oidcProviderExistsInAccounts.
import type { BitbucketOidcConfig } from './bitbucket-oidc-config';
import { BITBUCKET_OIDC_CONFIG } from './config';

/** The workspace's identity provider, one stack per account, without roles. */
export const BITBUCKET_OIDC_PROVIDER_CONFIG: BitbucketOidcConfig = {
  ...BITBUCKET_OIDC_CONFIG,
  accounts: BITBUCKET_OIDC_CONFIG.accounts.map((account) => ({
    ...account,
    stackId: `BitbucketOidcProvider-${account.account}`,
    stackName: 'bitbucket-oidc-provider-acme',
    providerExists: false,
    roles: [],
    previewRole: undefined,
  })),
};
