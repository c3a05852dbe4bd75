import type { BitbucketOidcOptions } from './bitbucket-oidc';
import type { OidcTrustOptions } from './oidc-trust-options';
import { tsLiteral } from './ts-literal';
import { generatedHeader } from '../core/generated-header';
import * as naming from '../core/naming';
import type { ResolvedDeployEnvironment, ResolvedOidcAccount } from '../settings';

/** Name of the constant `config.ts` exports; the entry point imports it. */
export const OIDC_CONFIG_CONSTANT = 'BITBUCKET_OIDC_CONFIG';

/**
 * The fields every generated `BitbucketOidcConfig` starts with: who issues
 * the tokens, for whom, and which repository the roles trust.
 */
export function trustHeader(options: OidcTrustOptions): Record<string, unknown> {
  return {
    projectName: options.projectName,
    workspace: options.workspace,
    issuerUrl: options.issuerUrl,
    issuerHost: options.issuerHost,
    audience: options.audience,
    repositoryUuid: options.repositoryUuid,
  };
}

/**
 * The data of `src/bitbucket-oidc/config.ts`, in the shape of
 * `templates/bitbucket-oidc/bitbucket-oidc-config.ts` (`BitbucketOidcConfig`).
 * Every name and ARN comes from the resolved settings (`naming.ts`), the one
 * definition the pipeline and the tasks share.
 */
export function oidcConfigData(options: BitbucketOidcOptions): Record<string, unknown> {
  const environments = new Map(options.environments.map((e) => [e.name, e]));
  return {
    ...trustHeader(options),
    accounts: options.oidcAccounts.map((account) => {
      const accountEnvironments = account.environmentNames.map((name) => {
        const env = environments.get(name);
        if (!env) throw new Error(`OIDC account ${account.account} names unknown environment ${name}`);
        return env;
      });
      return {
        account: account.account,
        region: account.region,
        partition: account.partition,
        stackId: account.stackId,
        stackName: account.stackName,
        providerLogicalId: naming.OIDC_PROVIDER_LOGICAL_ID,
        providerExists: account.providerExists,
        providerArn: account.providerArn,
        thumbprints: options.oidcThumbprints,
        bootstrapQualifier: options.bootstrapQualifier,
        managedPolicies: options.managedPolicies,
        permissionsBoundary: options.permissionsBoundary,
        maxSessionHours: options.maxSessionHours,
        roles: accountEnvironments.map((env) => ({
          environment: env.name,
          bitbucketDeployment: env.bitbucketDeployment,
          deploymentUuid: env.bitbucketDeploymentUuid,
          roleName: env.deployRoleName,
          logicalId: env.deployRoleLogicalId,
          region: env.region,
          subjectPattern: naming.subjectPattern(options.repositoryUuid, env.bitbucketDeploymentUuid),
          bootstrapRoleArns: naming.bootstrapRoleArns(env.partition, env.account, env.region, options.bootstrapQualifier),
        })),
        previewRole: options.previewRoleName ? previewRoleData(options, account, accountEnvironments, options.previewRoleName) : undefined,
      };
    }),
  };
}

/** The read-only role of one account (`PreviewRoleConfig`): this app's stacks of the account's environments, and each region's bootstrap version. */
function previewRoleData(
  options: BitbucketOidcOptions, account: ResolvedOidcAccount, environments: ResolvedDeployEnvironment[], roleName: string,
): Record<string, unknown> {
  const regions = [...new Set(environments.map((e) => e.region))];
  return {
    roleName,
    logicalId: naming.PREVIEW_ROLE_LOGICAL_ID,
    // Pull-request steps have no deployment environment: any step of the repository.
    subjectPattern: naming.subjectPattern(options.repositoryUuid),
    stackArnPatterns: environments.map((e) => naming.stageStackArnPattern(e.partition, e.account, e.region, e.name)),
    // The name pattern alone also matches other apps' `<env>-*` stacks in a shared account.
    stackTag: { key: naming.APP_TAG_KEY, value: naming.appTagValue(options.projectName, options.repositoryUuid) },
    bootstrapVersionParameterArns: regions.map((region) =>
      naming.bootstrapVersionParameterArn(account.partition, account.account, region, options.bootstrapQualifier)),
    driftDetection: options.driftDetection ?? false,
  };
}

/** Lines of the generated `config.ts`. */
export function oidcConfigLines(options: BitbucketOidcOptions): string[] {
  return [
    ...generatedHeader('The Bitbucket OIDC trust of this project (provider, deploy roles and read-only role per AWS account), from .projenrc.ts.'),
    "import type { BitbucketOidcConfig } from './bitbucket-oidc-config';",
    '',
    '/** Read by main.ts: one stack per entry of `accounts`. */',
    `export const ${OIDC_CONFIG_CONSTANT}: BitbucketOidcConfig = ${tsLiteral(oidcConfigData(options))};`,
    '',
  ];
}
