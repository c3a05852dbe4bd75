/**
 * Tokens shaped like Bitbucket Pipelines' `$BITBUCKET_STEP_OIDC_TOKEN`
 * (see /work/shared/reference/facts.md). They are not signed by Bitbucket:
 * the signature segment is random bytes, and the stand-in STS does not check
 * it. What the rehearsal proves is therefore about claims and policies, not
 * about key discovery or signature validation.
 */
import { randomBytes, randomUUID } from 'crypto';

export const ISSUER_PREFIX = 'https://api.bitbucket.org/2.0/workspaces/';
export const ISSUER_SUFFIX = '/pipelines-config/identity/oidc';
export const AUDIENCE_PREFIX = 'ari:cloud:bitbucket::workspace/';

export interface StepTokenInput {
  /** Workspace slug (in the issuer URL). */
  readonly workspace: string;
  /** Workspace UUID without braces (in the audience). */
  readonly workspaceUuid: string;
  /** Repository UUID without braces. */
  readonly repositoryUuid: string;
  /** Deployment environment UUID without braces; unset for a step without `deployment:`. */
  readonly deploymentUuid?: string;
  /** Overrides the audience (default: the workspace audience). */
  readonly audience?: string;
  readonly branchName?: string;
  /** Seconds from now until `exp` (default 3600, as Bitbucket). Negative gives an expired token. */
  readonly expiresIn?: number;
}

export interface StepToken {
  readonly jwt: string;
  readonly claims: Record<string, any>;
  readonly stepUuid: string;
  readonly pipelineUuid: string;
}

function b64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

export function issuerOf(workspace: string): string {
  return `${ISSUER_PREFIX}${workspace}${ISSUER_SUFFIX}`;
}

/** A token of one step run; the step UUID is new each time, as on Bitbucket. */
export function stepToken(input: StepTokenInput): StepToken {
  const stepUuid = randomUUID();
  const pipelineUuid = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const sub = input.deploymentUuid
    ? `{${input.repositoryUuid}}:{${input.deploymentUuid}}:{${stepUuid}}`
    : `{${input.repositoryUuid}}:{${stepUuid}}`;
  const claims: Record<string, any> = {
    iss: issuerOf(input.workspace),
    aud: input.audience ?? `${AUDIENCE_PREFIX}${input.workspaceUuid}`,
    sub,
    iat: now,
    exp: now + (input.expiresIn ?? 3600),
    workspaceUuid: `{${input.workspaceUuid}}`,
    repositoryUuid: `{${input.repositoryUuid}}`,
    pipelineUuid: `{${pipelineUuid}}`,
    stepUuid: `{${stepUuid}}`,
    branchName: input.branchName ?? 'main',
    ...(input.deploymentUuid ? { deploymentEnvironmentUuid: `{${input.deploymentUuid}}` } : {}),
  };
  const header = { alg: 'RS256', typ: 'JWT', kid: 'rehearsal-not-a-bitbucket-key' };
  const jwt = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}.${b64url(randomBytes(256))}`;
  return { jwt, claims, stepUuid, pipelineUuid };
}

/** Payload of a JWT, without any signature check; undefined when it is not a JWT. */
export function decodeJwtPayload(jwt: string): Record<string, any> | undefined {
  const parts = jwt.trim().split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf-8'));
    return payload && typeof payload === 'object' ? payload : undefined;
  } catch {
    return undefined;
  }
}
