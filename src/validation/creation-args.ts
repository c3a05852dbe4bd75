import type { BitbucketCdkAppOptions } from '../bitbucket-cdk-app-options';

/** Options of this package typed `string` or `string[]` that a command line may hand over as numbers. */
export const STRING_OPTIONS = [
  'deployAccount', 'oidcProviderExistsInAccounts',
  'bitbucketWorkspace', 'bitbucketWorkspaceUuid', 'bitbucketRepositoryUuid', 'deployRegion', 'deployBitbucketDeploymentUuid',
  'cdkBootstrapQualifier', 'deployRolePermissionsBoundary', 'pipelineImage', 'pipelineStepSize', 'deployStepSize',
  'oidcThumbprints', 'deployRoleManagedPolicies', 'cdkCliIntegrity',
];

/**
 * `projen new` parses digit-only flag values as numbers (`--deploy-account
 * 12345678901` becomes 12345678901) and would render them into
 * `.projenrc.ts` as numbers, which fails the type check. During `projen new`
 * only, each such number becomes the text typed on the command line
 * (`projen new` runs in-process, so `process.argv` still holds it), in the
 * options and in the arguments projen renders `.projenrc.ts` from. Nothing
 * is padded or guessed: a leading zero that was typed stays (the parser keeps
 * such values as strings anyway), and validation refuses an account ID that
 * is not 12 digits, naming it as typed. When the typed text cannot be found,
 * the number's own digits are used, which validation checks the same way.
 *
 * @param argv the command line, `process.argv` by default
 */
export function normaliseCreationArgs(options: BitbucketCdkAppOptions, argv: readonly string[] = process.argv): BitbucketCdkAppOptions {
  const creation = (options as { __new__?: { args?: Record<string, unknown> } }).__new__;
  if (!creation?.args) return options;
  const fixed: Record<string, unknown> = { ...options };
  for (const key of STRING_OPTIONS) {
    const typed = typedValues(argv, key);
    for (const target of [fixed, creation.args]) {
      const value = target[key];
      if (Array.isArray(value)) {
        target[key] = value.map((v, i) => asTyped(v, typed[i]));
      } else if (value !== undefined) {
        // A repeated flag for a single value: projen keeps the first.
        target[key] = asTyped(value, typed[0]);
      }
    }
  }
  return fixed as unknown as BitbucketCdkAppOptions;
}

/** The text as typed when it is what the parser turned into `value`, else the number's digits. */
function asTyped(value: unknown, typed: string | undefined): unknown {
  if (typeof value !== 'number') return value;
  return typed !== undefined && typed.trim() !== '' && Number(typed) === value ? typed : String(value);
}

/**
 * Every value given for an option on the command line, in order:
 * `--deploy-account 1`, `--deploy-account=1`, and the camel-case spelling
 * `--deployAccount` that the parser accepts too. Stops at `--`.
 */
export function typedValues(argv: readonly string[], option: string): string[] {
  const names = new Set([option, option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)].map((n) => `--${n}`));
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    const eq = arg.indexOf('=');
    if (eq > 0 && names.has(arg.slice(0, eq))) {
      values.push(arg.slice(eq + 1));
    } else if (names.has(arg) && i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      values.push(argv[++i]);
    }
  }
  return values;
}
