/**
 * What went wrong in a call to AWS, in the terms a user acts on. The preview
 * and drift tools turn each kind into a report ("not previewed: ...") rather
 * than a stack trace.
 */

export type AwsProblemKind =
  /** No credentials at all, no OIDC token, or credentials AWS rejects (invalid or expired). */
  | 'no-credentials'
  /** STS refused `AssumeRoleWithWebIdentity`: the role is not deployed yet, or its trust does not match the token. */
  | 'role-not-assumable'
  /** A call was refused by IAM (the role may not read this stack or parameter). */
  | 'access-denied'
  /** CloudFormation: the stack does not exist (or was deleted). */
  | 'stack-not-found'
  /** SSM: the parameter does not exist. */
  | 'parameter-not-found'
  /** AWS throttled the calls (after the SDK's retries). */
  | 'throttled'
  /** Anything else: network errors, server errors, unexpected answers. */
  | 'other';

export interface AwsProblem {
  readonly kind: AwsProblemKind;
  /** AWS's error code (`AccessDenied`, `ValidationError`...) or the Node error code. */
  readonly code: string;
  /** AWS's message, as it came (it never holds credentials or the token). */
  readonly message: string;
  /** What it means and what to do, one or two sentences. */
  readonly hint: string;
}

export interface ClassifyOptions {
  /**
   * The error came from resolving credentials (before any service call): an
   * `AccessDenied` there is STS refusing the web identity, not a refused read.
   */
  readonly duringCredentials?: boolean;
  /** Environment the SDK read (`AWS_ROLE_ARN`, `AWS_WEB_IDENTITY_TOKEN_FILE`); default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

const INVALID_CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'ExpiredToken',
  'ExpiredTokenException', 'InvalidAccessKeyId', 'IncompleteSignature', 'MissingAuthenticationToken',
]);
const WEB_IDENTITY_CODES = new Set(['InvalidIdentityToken', 'IDPRejectedClaim', 'IDPCommunicationError']);
const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);
const THROTTLING_CODES = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown',
]);

function codeOf(error: any): string {
  return String(error?.Code ?? error?.code ?? error?.name ?? 'Error');
}

function isStsError(error: any): boolean {
  return error?.constructor?.name === 'STSServiceException' || /AssumeRoleWithWebIdentity/.test(String(error?.message ?? ''));
}

/** Sorts an error thrown by the AWS SDK (or by its credential chain) into an `AwsProblem`. */
export function classifyAwsError(error: unknown, options: ClassifyOptions = {}): AwsProblem {
  const env = options.env ?? process.env;
  const e = error as any;
  const code = e?.name === 'CredentialsProviderError' ? 'CredentialsProviderError' : codeOf(e);
  const message = String(e?.message ?? e);
  const roleArn = env.AWS_ROLE_ARN;
  const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE;
  const problem = (kind: AwsProblemKind, hint: string): AwsProblem => ({ kind, code, message, hint });

  if (code === 'CredentialsProviderError') {
    if (roleArn && !tokenFile) {
      return problem('no-credentials', 'No OIDC token: AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not (a Bitbucket step gets a token only with `oidc: true`).');
    }
    return problem('no-credentials', 'No AWS credentials were found. In a pipeline step they come from the step\'s OIDC token '
      + '(`oidc: true`, AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE); locally use your own (AWS_PROFILE, `aws sso login`, ...).');
  }
  // The SDK reads the token file when it resolves credentials: a missing file is a step without a token.
  if (e?.code === 'ENOENT' && tokenFile && e?.path === tokenFile) {
    return problem('no-credentials', `No OIDC token: the file AWS_WEB_IDENTITY_TOKEN_FILE names (${tokenFile}) does not exist (a Bitbucket step gets a token only with \`oidc: true\`).`);
  }
  if (code === 'ExpiredTokenException' && isStsError(e)) {
    return problem('no-credentials', 'The OIDC token has expired: run the step again.');
  }
  if (WEB_IDENTITY_CODES.has(code) || (ACCESS_DENIED_CODES.has(code) && (options.duringCredentials || isStsError(e)))) {
    const role = roleArn ? `The role ${roleArn}` : 'The role';
    return problem('role-not-assumable', `${role} could not be assumed with this step's OIDC token: it is not deployed yet `
      + '(an administrator runs `npx projen bitbucket:oidc:deploy` after merging), or its trust policy does not match '
      + 'this workspace, repository or audience.');
  }
  if (INVALID_CREDENTIAL_CODES.has(code)) {
    return problem('no-credentials', 'AWS rejected the credentials (invalid or expired): refresh them (`aws sso login`, a new session) and try again.');
  }
  if (ACCESS_DENIED_CODES.has(code) || /is not authorized to perform/.test(message)) {
    return problem('access-denied', 'The credentials may not make this call.');
  }
  if (code === 'ValidationError' && /does not exist/.test(message)) {
    return problem('stack-not-found', 'The stack does not exist.');
  }
  if (code === 'ParameterNotFound') {
    return problem('parameter-not-found', 'The parameter does not exist.');
  }
  if (THROTTLING_CODES.has(code) || e?.$retryable?.throttling) {
    return problem('throttled', 'AWS throttled the calls; run the step again later.');
  }
  return problem('other', 'An unexpected error from AWS.');
}
