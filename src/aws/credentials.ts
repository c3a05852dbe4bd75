import { AwsProblem, classifyAwsError } from './aws-errors';

/** Thrown when an AWS call fails: the classified problem, ready to report. */
export class AwsCallError extends Error {
  constructor(public readonly problem: AwsProblem, what: string) {
    super(`${what}: ${problem.code}: ${problem.message}`);
    this.name = 'AwsCallError';
  }
}

/** Anything with the SDK client's credentials provider (every v3 client has one). */
export interface HasCredentials {
  readonly config: { credentials: () => Promise<unknown> };
}

/** What the resolved credentials say about themselves (never the keys). */
export interface CredentialIdentity {
  /** Account of the credentials, when the SDK knows it (web identity and SSO sessions; not plain keys). */
  readonly accountId?: string;
}

/**
 * Resolves the client's credentials before any call, so that a refused web
 * identity (role not deployed, trust mismatch) or a missing token is told
 * apart from a refused read. Throws an `AwsCallError`.
 */
export async function resolveCredentials(client: HasCredentials, env: NodeJS.ProcessEnv = process.env): Promise<CredentialIdentity> {
  try {
    const credentials = await client.config.credentials() as { accountId?: unknown } | undefined;
    return typeof credentials?.accountId === 'string' ? { accountId: credentials.accountId } : {};
  } catch (e) {
    throw new AwsCallError(classifyAwsError(e, { duringCredentials: true, env }), 'Resolving AWS credentials');
  }
}

/** Runs one AWS call; failures become an `AwsCallError` describing `what` was attempted. */
export async function awsCall<T>(what: string, call: () => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw new AwsCallError(classifyAwsError(e, { env }), what);
  }
}
