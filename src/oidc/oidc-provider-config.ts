import { trustHeader } from './oidc-config-source';
import type { OidcTrustOptions } from './oidc-trust-options';
import * as naming from '../core/naming';
import { accountId } from '../validation/aws-account-region';
import { parseList } from '../validation/option-readers';
import { Problems } from '../validation/problems';

/** Task names of the provider app. */
export const PROVIDER_TASK_NAMES = {
  synth: 'bitbucket:oidc:provider:synth',
  deploy: 'bitbucket:oidc:provider:deploy',
  deployAccount: (account: string) => `bitbucket:oidc:provider:deploy:${account}`,
};

/** Cloud assembly of the provider app: apart from `cdk.out` and `cdk.oidc.out`. */
export const PROVIDER_CDK_OUT = 'cdk.oidc-provider.out';

/** CloudFormation stack name of the provider of a workspace: the same from every repository, so deploying it twice changes nothing. */
export function providerStackName(workspace: string): string {
  return `bitbucket-oidc-provider-${naming.slug(workspace)}`;
}

/** Construct ID of the provider stack of one account: what `cdk deploy` selects. */
export function providerStackId(account: string): string {
  return `BitbucketOidcProvider-${account}`;
}

/**
 * The accounts of `oidcProviderExistsInAccounts` as 12-digit strings (the
 * option was validated with the others; this only normalises).
 */
export function listedProviderAccounts(option: unknown): string[] {
  const p = new Problems();
  return [...new Set(parseList(p, 'oidcProviderExistsInAccounts', option, (opt, v) => accountId(opt, v, p)))];
}

/**
 * The data of `provider-config.ts`: the shape of `config.ts`
 * (`BitbucketOidcConfig`), one account per listed account, each creating the
 * provider and holding no deploy role. A listed account keeps the region of
 * this project's OIDC stack there, else takes the first environment's (IAM
 * is global; the region only says where CloudFormation keeps the stack).
 */
export function providerConfigData(settings: OidcTrustOptions, accounts: string[]): Record<string, unknown> {
  const used = new Map(settings.oidcAccounts.map((a) => [a.account, a]));
  const fallbackRegion = settings.environments[0]?.region;
  return {
    ...trustHeader(settings),
    accounts: accounts.map((account) => {
      const region = used.get(account)?.region ?? fallbackRegion;
      const partition = naming.partitionOf(region);
      return {
        account,
        region,
        partition,
        stackId: providerStackId(account),
        stackName: providerStackName(settings.workspace),
        providerLogicalId: naming.OIDC_PROVIDER_LOGICAL_ID,
        providerExists: false,
        providerArn: naming.oidcProviderArn(partition, account, settings.workspace),
        thumbprints: settings.oidcThumbprints,
        bootstrapQualifier: settings.bootstrapQualifier,
        managedPolicies: [],
        maxSessionHours: settings.maxSessionHours,
        roles: [],
      };
    }),
  };
}

