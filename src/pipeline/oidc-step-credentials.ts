import { shellQuote } from './shell';

/*
 * The pieces of an OIDC step's script that keep the token and the role
 * apart from everything else: the deploy steps (deploy-step-script.ts) and
 * the read-only preview and drift steps (read-role-step-script.ts) are both
 * made of them.
 *
 * Bitbucket prints every line before running it, so no line may hold the
 * token's value: lines only reference `$BITBUCKET_STEP_OIDC_TOKEN`, and
 * xtrace, which would print expanded values, is switched off first.
 */

/** The first line of every OIDC step: xtrace would print expanded values. */
export const XTRACE_OFF = 'set +x';

/** The variable Bitbucket puts the step's OIDC token in (with `oidc: true`). */
export const TOKEN_VARIABLE = 'BITBUCKET_STEP_OIDC_TOKEN';

/** Removes the token from the step's environment: later commands read it only through the file. */
export const UNSET_TOKEN = `unset ${TOKEN_VARIABLE}`;

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

/** `"$<variable>"`: the shell word of the step's private temporary directory. */
export function tmpWord(variable: string): string {
  return `"$${variable}"`;
}

/**
 * Creates the step's private temporary directory (mode 700, outside the
 * clone, so no artifact glob can pick the token up) in `$<variable>`. A
 * failed mktemp must stop the step: "$(mktemp -d)/web-identity-token" would
 * otherwise be /web-identity-token.
 * @param variable shell variable to hold the directory
 * @param nothingDone end of the failure message: what did not happen
 */
export function privateTempDir(variable: string, nothingDone: string): string[] {
  const v = `"$${variable}"`;
  return [
    `${variable}="$(mktemp -d)" || ${variable}=""; if [ -z ${v} ] || [ ! -d ${v} ]; then echo "Cannot create a private temporary directory (mktemp -d failed: check TMPDIR and free space); ${nothingDone}" >&2; exit 1; fi`,
    `case ${v} in "\${BITBUCKET_CLONE_DIR:-/nonexistent}"/*) echo "The temporary directory is inside the clone directory; set TMPDIR elsewhere so artifacts cannot include the OIDC token." >&2; exit 1;; esac`,
  ];
}

/** Runs `command` in a subshell without the token in its environment (npm and the checks never see it). */
export function withoutToken(command: string): string {
  return `(${UNSET_TOKEN}; ${command})`;
}

/**
 * Every other credential source would win silently over the role: drop
 * them, name them (never their values), and point the SDK at empty files
 * of the step's own; no instance metadata either.
 * @param tmp shell word of the private temporary directory
 * @param roleArn the only role the step may use, for the warning
 * @param does what the step does with it, for the warning (`deploys`, `reads`)
 */
export function shutOutOtherCredentials(tmp: string, roleArn: string, does: string): string[] {
  const ignoredVariables = [...LEFTOVER_CREDENTIAL_VARIABLES, ...CREDENTIAL_FILE_VARIABLES].join(' ');
  return [
    `ignored=""; for v in ${ignoredVariables}; do if [ -n "$(printenv "$v")" ]; then ignored="$ignored $v"; fi; unset "$v"; done; `
      + 'for f in credentials config; do if [ -e "${HOME:-/nonexistent}/.aws/$f" ]; then ignored="$ignored ~/.aws/$f"; fi; done; '
      + `if [ -n "$ignored" ]; then echo "Warning: ignoring$ignored (Bitbucket variables or files of the image?): this step ${does} with the OIDC role ${roleArn} only, never with static keys, profiles, shared credential or config files, container or instance credentials. Remove them." >&2; fi`,
    // Empty files of the step's own hide ~/.aws and any file a variable pointed to.
    `export AWS_SHARED_CREDENTIALS_FILE=${tmp}/aws-credentials AWS_CONFIG_FILE=${tmp}/aws-config AWS_EC2_METADATA_DISABLED=true`,
    ': > "$AWS_SHARED_CREDENTIALS_FILE"; : > "$AWS_CONFIG_FILE"',
  ];
}

/** What the AWS SDK needs to assume the role with the web identity. */
export interface RoleVariablesInput {
  /** AWS region. */
  readonly region: string;
  /** ARN of the role. */
  readonly roleArn: string;
  /** Start of the role session name; the build number is appended. */
  readonly sessionName: string;
}

/** `AWS_REGION`, `AWS_ROLE_ARN` and a valid `AWS_ROLE_SESSION_NAME` (`<sessionName>-<build number>`, at most 64 characters). */
export function roleVariables(input: RoleVariablesInput): string[] {
  const sessionPrefix = input.sessionName.replace(new RegExp(`[^${SESSION_NAME_CHARS}]`, 'g'), '_').slice(0, 40);
  return [
    `export AWS_REGION=${shellQuote(input.region)}`,
    `export AWS_ROLE_ARN=${shellQuote(input.roleArn)}`,
    `export AWS_ROLE_SESSION_NAME="$(printf '%s' ${shellQuote(sessionPrefix + '-')}"\${BITBUCKET_BUILD_NUMBER:-0}" | tr -c '${SESSION_NAME_CHARS}' '_' | cut -c 1-${MAX_SESSION_NAME})"`,
  ];
}

/**
 * Writes the token to `<tmp>/web-identity-token` (owner-only) and points
 * `AWS_WEB_IDENTITY_TOKEN_FILE` at it; the token's value never appears in a line.
 * @param tmp shell word of the private temporary directory
 */
export function writeTokenFile(tmp: string): string[] {
  return [
    `export AWS_WEB_IDENTITY_TOKEN_FILE=${tmp}/web-identity-token`,
    `(umask 077 && printf '%s' "$${TOKEN_VARIABLE}" > "$AWS_WEB_IDENTITY_TOKEN_FILE")`,
  ];
}
