import { shellQuote } from './shell';

/** What one deploy step needs to know. */
export interface DeployStepScriptInput {
  /** Environment name, used in the role session name and messages. */
  readonly environmentName: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** ARN of the environment's deploy role (the one the OIDC stack creates). */
  readonly roleArn: string;
  /** The deploy command, already shell-quoted, e.g. `npx -y aws-cdk@2.1148.1 deploy ...`. */
  readonly command: string;
}

/** Static credentials that the AWS SDK would prefer over the web identity. */
export const LEFTOVER_CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];

/** Characters STS accepts in a role session name. */
const SESSION_NAME_CHARS = 'A-Za-z0-9+=,.@_-';
const MAX_SESSION_NAME = 64;

/**
 * The script of a deploy step: assume the environment's deploy role with the
 * step's OIDC token, then run `command`.
 *
 * Bitbucket prints every line before running it, so no line may hold the
 * token's value: lines only reference `$BITBUCKET_STEP_OIDC_TOKEN`, and
 * xtrace, which would print expanded values, is switched off first.
 */
export function deployStepScript(input: DeployStepScriptInput): string[] {
  const sessionPrefix = `bitbucket-${input.environmentName}`.replace(new RegExp(`[^${SESSION_NAME_CHARS}]`, 'g'), '_').slice(0, 40);
  const leftovers = LEFTOVER_CREDENTIAL_VARIABLES.join(' ');
  return [
    'set +x',
    // A step without `oidc: true` gets no token; say so instead of letting the CDK CLI report missing credentials.
    'if [ -z "${BITBUCKET_STEP_OIDC_TOKEN:-}" ]; then echo "BITBUCKET_STEP_OIDC_TOKEN is empty: this deploy step needs \'oidc: true\' in bitbucket-pipelines.yml and OpenID Connect enabled for the repository." >&2; exit 1; fi',
    // Static keys would win silently over the role: drop them, name them, never print their values.
    `leftover=""; for v in ${leftovers}; do if [ -n "$(printenv "$v")" ]; then leftover="$leftover $v"; fi; unset "$v"; done; if [ -n "$leftover" ]; then echo "Warning: ignoring$leftover (repository, workspace or deployment variables?): this step deploys with the OIDC role ${input.roleArn} only. Remove them from the Bitbucket variables." >&2; fi`,
    `export AWS_REGION=${shellQuote(input.region)}`,
    `export AWS_ROLE_ARN=${shellQuote(input.roleArn)}`,
    `export AWS_ROLE_SESSION_NAME="$(printf '%s' ${shellQuote(sessionPrefix + '-')}"\${BITBUCKET_BUILD_NUMBER:-0}" | tr -c '${SESSION_NAME_CHARS}' '_' | cut -c 1-${MAX_SESSION_NAME})"`,
    // Outside the clone directory, so no artifact glob can pick the token up; readable by this user only.
    'export AWS_WEB_IDENTITY_TOKEN_FILE="$(mktemp -d)/web-identity-token"',
    'case "$AWS_WEB_IDENTITY_TOKEN_FILE" in "${BITBUCKET_CLONE_DIR:-/nonexistent}"/*) echo "The temporary directory is inside the clone directory; set TMPDIR elsewhere so artifacts cannot include the OIDC token." >&2; exit 1;; esac',
    '(umask 077 && printf \'%s\' "$BITBUCKET_STEP_OIDC_TOKEN" > "$AWS_WEB_IDENTITY_TOKEN_FILE")',
    'chmod 600 "$AWS_WEB_IDENTITY_TOKEN_FILE"',
    `echo ${shellQuote(`Deploying ${input.environmentName} to ${input.region} as ${input.roleArn}`)}`,
    input.command,
  ];
}
