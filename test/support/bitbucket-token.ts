/**
 * Tokens shaped like Bitbucket Pipelines' `$BITBUCKET_STEP_OIDC_TOKEN`
 * (see /work/shared/reference/facts.md): UUIDs in braces, the issuer of the
 * workspace slug, the workspace audience, `sub` with or without a deployment.
 * They are not signed by Bitbucket: the signature segment is random bytes.
 * The doctor and the rehearsal's stand-in STS compare claims, so what the
 * tests prove is about claims and policies, not about key discovery or
 * signature validation.
 */
import { randomBytes, randomUUID } from 'crypto';
import { REPOSITORY_UUID, WORKSPACE_UUID } from '../util';

export const ISSUER_PREFIX = 'https://api.bitbucket.org/2.0/workspaces/';
export const ISSUER_SUFFIX = '/pipelines-config/identity/oidc';
export const AUDIENCE_PREFIX = 'ari:cloud:bitbucket::workspace/';

export interface StepTokenInput {
  /** Workspace slug (in the issuer URL). @default 'acme' */
  readonly workspace?: string;
  /** Workspace UUID without braces (in the audience). @default WORKSPACE_UUID of test/util */
  readonly workspaceUuid?: string;
  /** Repository UUID without braces. @default REPOSITORY_UUID of test/util */
  readonly repositoryUuid?: string;
  /** Deployment environment UUID without braces; unset for a step without `deployment:`. */
  readonly deploymentUuid?: string;
  /** Overrides the audience (default: the workspace audience). */
  readonly audience?: string;
  /** `sub` separator between repository and deployment UUIDs (documented ':'; some tokens have none). */
  readonly separator?: string;
  /** @default 'main' */
  readonly branchName?: string;
  /** Seconds from now until `exp` (default 3600, as Bitbucket). Negative gives an expired token. */
  readonly expiresIn?: number;
  /** Claims to add or replace. */
  readonly extra?: Record<string, unknown>;
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
export function stepToken(input: StepTokenInput = {}): StepToken {
  const workspaceUuid = input.workspaceUuid ?? WORKSPACE_UUID;
  const repositoryUuid = input.repositoryUuid ?? REPOSITORY_UUID;
  const stepUuid = randomUUID();
  const pipelineUuid = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const sub = input.deploymentUuid
    ? `{${repositoryUuid}}${input.separator ?? ':'}{${input.deploymentUuid}}:{${stepUuid}}`
    : `{${repositoryUuid}}:{${stepUuid}}`;
  const claims: Record<string, any> = {
    iss: issuerOf(input.workspace ?? 'acme'),
    aud: input.audience ?? `${AUDIENCE_PREFIX}${workspaceUuid}`,
    sub,
    iat: now,
    exp: now + (input.expiresIn ?? 3600),
    workspaceUuid: `{${workspaceUuid}}`,
    repositoryUuid: `{${repositoryUuid}}`,
    pipelineUuid: `{${pipelineUuid}}`,
    stepUuid: `{${stepUuid}}`,
    branchName: input.branchName ?? 'main',
    ...(input.deploymentUuid ? { deploymentEnvironmentUuid: `{${input.deploymentUuid}}` } : {}),
    ...input.extra,
  };
  const header = { alg: 'RS256', typ: 'JWT', kid: 'test-not-a-bitbucket-key' };
  const jwt = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}.${b64url(randomBytes(256))}`;
  return { jwt, claims, stepUuid, pipelineUuid };
}

/** A "JWT" whose parts are given as raw text (base64url-encoded here). */
export function rawToken(header: string, payload: string, signature = randomBytes(64)): string {
  return [b64url(header), b64url(payload), b64url(signature)].join('.');
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

/**
 * Pieces of a token that must never be printed: the token, each part, and
 * every 16-character window of the payload and signature (a partial print
 * would show one).
 */
export function secretPieces(jwt: string): string[] {
  const pieces = [jwt, ...jwt.split('.')].filter((p) => p.length >= 16);
  for (const part of jwt.split('.').slice(1)) {
    for (let i = 0; i + 16 <= part.length; i += 8) pieces.push(part.slice(i, i + 16));
  }
  return pieces;
}
