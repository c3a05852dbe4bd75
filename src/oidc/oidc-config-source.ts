import { generatedHeader } from '../core/generated-header';
import * as naming from '../core/naming';
import type { ResolvedSettings } from '../settings';
import { tsLiteral } from './ts-literal';

/** Name of the constant `config.ts` exports; the entry point imports it. */
export const OIDC_CONFIG_CONSTANT = 'BITBUCKET_OIDC_CONFIG';

/**
 * The data of `src/bitbucket-oidc/config.ts`, in the shape of
 * `templates/bitbucket-oidc/bitbucket-oidc-config.ts` (`BitbucketOidcConfig`).
 * Every name and ARN comes from the resolved settings (`naming.ts`), the one
 * definition the pipeline and the tasks share.
 */
/** What the OIDC stack's `config.ts` is generated from. */
export type OidcConfigInput = Pick<ResolvedSettings, 'projectName' | 'workspace' | 'issuerUrl' | 'issuerHost' | 'audience' | 'repositoryUuid'
| 'environments' | 'oidcAccounts' | 'oidcThumbprints' | 'bootstrapQualifier' | 'managedPolicies' | 'permissionsBoundary' | 'maxSessionHours'>;

export function oidcConfigData(settings: OidcConfigInput): Record<string, unknown> {
  const environments = new Map(settings.environments.map((e) => [e.name, e]));
  return {
    projectName: settings.projectName,
    workspace: settings.workspace,
    issuerUrl: settings.issuerUrl,
    issuerHost: settings.issuerHost,
    audience: settings.audience,
    repositoryUuid: settings.repositoryUuid,
    accounts: settings.oidcAccounts.map((account) => ({
      account: account.account,
      region: account.region,
      partition: account.partition,
      stackId: account.stackId,
      stackName: account.stackName,
      providerLogicalId: naming.OIDC_PROVIDER_LOGICAL_ID,
      providerExists: account.providerExists,
      providerArn: account.providerArn,
      thumbprints: settings.oidcThumbprints,
      bootstrapQualifier: settings.bootstrapQualifier,
      managedPolicies: settings.managedPolicies,
      permissionsBoundary: settings.permissionsBoundary,
      maxSessionHours: settings.maxSessionHours,
      roles: account.environmentNames.map((name) => {
        const env = environments.get(name);
        if (!env) throw new Error(`OIDC account ${account.account} names unknown environment ${name}`);
        return {
          environment: env.name,
          bitbucketDeployment: env.bitbucketDeployment,
          deploymentUuid: env.bitbucketDeploymentUuid,
          roleName: env.deployRoleName,
          logicalId: env.deployRoleLogicalId,
          region: env.region,
          subjectPattern: naming.subjectPattern(settings.repositoryUuid, env.bitbucketDeploymentUuid),
          bootstrapRoleArns: naming.bootstrapRoleArns(env.partition, env.account, env.region, settings.bootstrapQualifier),
        };
      }),
    })),
  };
}

/** Lines of the generated `config.ts`. */
export function oidcConfigLines(settings: OidcConfigInput): string[] {
  return [
    ...generatedHeader('The Bitbucket OIDC trust of this project (provider and deploy roles per AWS account), from .projenrc.ts.'),
    "import type { BitbucketOidcConfig } from './bitbucket-oidc-config';",
    '',
    '/** Read by main.ts: one stack per entry of `accounts`. */',
    `export const ${OIDC_CONFIG_CONSTANT}: BitbucketOidcConfig = ${tsLiteral(oidcConfigData(settings))};`,
    '',
  ];
}
