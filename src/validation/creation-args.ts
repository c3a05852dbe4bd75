import type { BitbucketCdkAppOptions } from '../bitbucket-cdk-app-options';

/** Options of this package typed `string` or `string[]` that a command line may hand over as numbers. */
const ACCOUNT_OPTIONS = ['deployAccount', 'oidcProviderExistsInAccounts'];
const STRING_OPTIONS = [
  'bitbucketWorkspace', 'bitbucketWorkspaceUuid', 'bitbucketRepositoryUuid', 'deployRegion', 'deployBitbucketDeploymentUuid',
  'cdkBootstrapQualifier', 'deployRolePermissionsBoundary', 'pipelineImage', 'pipelineStepSize',
  'oidcThumbprints', 'deployRoleManagedPolicies',
];

/**
 * `projen new` parses digit-only flag values as numbers (`--deploy-account
 * 123456789012`) and would render them into `.projenrc.ts` as numbers, which
 * fails the type check. During `projen new` only, turn them back into strings
 * (account IDs padded to 12 digits) both in the options and in the arguments
 * projen renders `.projenrc.ts` from, so the user never sees the number.
 */
export function normaliseCreationArgs(options: BitbucketCdkAppOptions): BitbucketCdkAppOptions {
  const creation = (options as { __new__?: { args?: Record<string, unknown> } }).__new__;
  if (!creation?.args) return options;
  const fixed: Record<string, unknown> = { ...options };
  for (const key of [...ACCOUNT_OPTIONS, ...STRING_OPTIONS]) {
    const pad = ACCOUNT_OPTIONS.includes(key);
    for (const target of [fixed, creation.args]) {
      if (target[key] !== undefined) target[key] = asString(target[key], pad);
    }
  }
  return fixed as unknown as BitbucketCdkAppOptions;
}

function asString(value: unknown, pad: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => asString(v, pad));
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return value;
  return pad ? String(value).padStart(12, '0') : String(value);
}
