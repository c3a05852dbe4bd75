import { shellQuote } from './shell';

/** What one deploy step needs to know. */
export interface DeployStepScriptInput {
  /** Environment name, used in the role session name and messages. */
  readonly environmentName: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** ARN of the environment's deploy role (the one the OIDC stack creates). */
  readonly roleArn: string;
  /**
   * The pre-flight line (assembly check, executable assets, locked CLI
   * install into `DEPLOY_TMP`); runs without the token in its environment.
   */
  readonly preflight: string;
  /** The deploy command, already shell-quoted, running the CLI the pre-flight installed into `DEPLOY_TMP`. */
  readonly command: string;
}

/**
 * A shell word for the step's private temporary directory (mode 700,
 * outside the clone): the pre-flight installs the CLI there, and the token
 * file and the empty AWS credential and config files live there.
 */
export const DEPLOY_TMP = '"$deploy_tmp"';

/**
 * Variables through which the AWS SDK would take credentials, or choose a
 * profile, other than the web identity: the step unsets them all and names
 * the ones that were set.
 */
export const LEFTOVER_CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE', 'AWS_DEFAULT_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

/**
 * Shared credentials and config files: `[default]` in them wins over the web
 * identity (CDK CLI 2.1148.1), and a config file can name a
 * `credential_process`. The step points both variables at empty files of its
 * own, which also hides `~/.aws/credentials` and `~/.aws/config`.
 */
export const CREDENTIAL_FILE_VARIABLES = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'];

/** Characters STS accepts in a role session name. */
const SESSION_NAME_CHARS = 'A-Za-z0-9+=,.@_-';
const MAX_SESSION_NAME = 64;

/**
 * The script of a deploy step: create a private temporary directory, run
 * the pre-flight (assembly, assets, locked CLI), shut out every credential
 * source but the web identity, write the step's OIDC token to a file,
 * remove the token from the environment, then run `command`.
 *
 * Bitbucket prints every line before running it, so no line may hold the
 * token's value: lines only reference `$BITBUCKET_STEP_OIDC_TOKEN`, and
 * xtrace, which would print expanded values, is switched off first.
 */
export function deployStepScript(input: DeployStepScriptInput): string[] {
  const sessionPrefix = `bitbucket-${input.environmentName}`.replace(new RegExp(`[^${SESSION_NAME_CHARS}]`, 'g'), '_').slice(0, 40);
  const ignoredVariables = [...LEFTOVER_CREDENTIAL_VARIABLES, ...CREDENTIAL_FILE_VARIABLES].join(' ');
  return [
    'set +x',
    // A step without `oidc: true` gets no token; say so instead of letting the CDK CLI report missing credentials.
    'if [ -z "${BITBUCKET_STEP_OIDC_TOKEN:-}" ]; then echo "BITBUCKET_STEP_OIDC_TOKEN is empty: this deploy step needs \'oidc: true\' in bitbucket-pipelines.yml and OpenID Connect enabled for the repository." >&2; exit 1; fi',
    // Private (mode 700) and outside the clone directory, so no artifact glob can pick the token up. A failed
    // mktemp must stop the step: "$(mktemp -d)/web-identity-token" would otherwise be /web-identity-token.
    'deploy_tmp="$(mktemp -d)" || deploy_tmp=""; if [ -z "$deploy_tmp" ] || [ ! -d "$deploy_tmp" ]; then echo "Cannot create a private temporary directory (mktemp -d failed: check TMPDIR and free space); nothing was written and nothing deployed." >&2; exit 1; fi',
    'case "$deploy_tmp" in "${BITBUCKET_CLONE_DIR:-/nonexistent}"/*) echo "The temporary directory is inside the clone directory; set TMPDIR elsewhere so artifacts cannot include the OIDC token." >&2; exit 1;; esac',
    // Before any token file or AWS call; npm and the checks never see the token.
    `(unset BITBUCKET_STEP_OIDC_TOKEN; ${input.preflight})`,
    // Every other credential source would win silently over the role: drop them, name them, never print their values.
    `ignored=""; for v in ${ignoredVariables}; do if [ -n "$(printenv "$v")" ]; then ignored="$ignored $v"; fi; unset "$v"; done; `
      + 'for f in credentials config; do if [ -e "${HOME:-/nonexistent}/.aws/$f" ]; then ignored="$ignored ~/.aws/$f"; fi; done; '
      + `if [ -n "$ignored" ]; then echo "Warning: ignoring$ignored (Bitbucket variables or files of the image?): this step deploys with the OIDC role ${input.roleArn} only, never with static keys, profiles, shared credential or config files, container or instance credentials. Remove them." >&2; fi`,
    // Empty files of the step's own hide ~/.aws and any file a variable pointed to; no instance metadata either.
    `export AWS_SHARED_CREDENTIALS_FILE=${DEPLOY_TMP}/aws-credentials AWS_CONFIG_FILE=${DEPLOY_TMP}/aws-config AWS_EC2_METADATA_DISABLED=true`,
    ': > "$AWS_SHARED_CREDENTIALS_FILE"; : > "$AWS_CONFIG_FILE"',
    `export AWS_REGION=${shellQuote(input.region)}`,
    `export AWS_ROLE_ARN=${shellQuote(input.roleArn)}`,
    `export AWS_ROLE_SESSION_NAME="$(printf '%s' ${shellQuote(sessionPrefix + '-')}"\${BITBUCKET_BUILD_NUMBER:-0}" | tr -c '${SESSION_NAME_CHARS}' '_' | cut -c 1-${MAX_SESSION_NAME})"`,
    `export AWS_WEB_IDENTITY_TOKEN_FILE=${DEPLOY_TMP}/web-identity-token`,
    '(umask 077 && printf \'%s\' "$BITBUCKET_STEP_OIDC_TOKEN" > "$AWS_WEB_IDENTITY_TOKEN_FILE")',
    // The CLI and everything it starts (asset builds, hooks) read the token only through the file.
    'unset BITBUCKET_STEP_OIDC_TOKEN',
    `echo ${shellQuote(`Deploying ${input.environmentName} to ${input.region} as ${input.roleArn}`)}`,
    input.command,
  ];
}
