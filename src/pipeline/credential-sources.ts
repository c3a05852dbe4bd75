/*
 * The credential sources an OIDC step shuts out, for the TypeScript side
 * (the doctor's expectations, tests). The step runner
 * (templates/pipeline/oidc-step.js) has its own copy, being
 * dependency-free; a test keeps both equal.
 */

/** The variable Bitbucket puts the step's OIDC token in (with `oidc: true`). */
export const TOKEN_VARIABLE = 'BITBUCKET_STEP_OIDC_TOKEN';

/**
 * Variables through which the AWS SDK would take credentials, or choose a
 * profile, other than the web identity: the runner leaves them out of the
 * command's environment and names the ones that were set.
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
 * `credential_process`. The runner points both at empty files of its own,
 * which also hides `~/.aws/credentials` and `~/.aws/config`.
 */
export const CREDENTIAL_FILE_VARIABLES = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'];
