/**
 * Unsigned tokens shaped like Bitbucket's `$BITBUCKET_STEP_OIDC_TOKEN`
 * (/work/shared/reference/facts.md): UUIDs in braces, the issuer of the
 * workspace slug, the workspace audience, `sub` with or without a
 * deployment. The signature is random bytes: the doctor compares claims.
 */
import { randomBytes, randomUUID } from 'crypto';
import { REPOSITORY_UUID, WORKSPACE_UUID } from '../util';

export interface TokenInput {
  readonly workspace?: string;
  readonly workspaceUuid?: string;
  readonly repositoryUuid?: string;
  /** Deployment environment UUID; unset for a step without `deployment:`. */
  readonly deploymentUuid?: string;
  readonly audience?: string;
  /** `sub` separator between repository and deployment UUIDs (documented ':'; some tokens have none). */
  readonly separator?: string;
  /** Seconds until `exp`; negative for an expired token. */
  readonly expiresIn?: number;
  /** Claims to add or replace. */
  readonly extra?: Record<string, unknown>;
}

export interface CraftedToken {
  readonly jwt: string;
  readonly claims: Record<string, any>;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export function craftToken(input: TokenInput = {}): CraftedToken {
  const workspaceUuid = input.workspaceUuid ?? WORKSPACE_UUID;
  const repositoryUuid = input.repositoryUuid ?? REPOSITORY_UUID;
  const stepUuid = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const sub = input.deploymentUuid
    ? `{${repositoryUuid}}${input.separator ?? ':'}{${input.deploymentUuid}}:{${stepUuid}}`
    : `{${repositoryUuid}}:{${stepUuid}}`;
  const claims: Record<string, any> = {
    sub,
    aud: input.audience ?? `ari:cloud:bitbucket::workspace/${workspaceUuid}`,
    stepUuid: `{${stepUuid}}`,
    iss: `https://api.bitbucket.org/2.0/workspaces/${input.workspace ?? 'acme'}/pipelines-config/identity/oidc`,
    repositoryUuid: `{${repositoryUuid}}`,
    branchName: 'main',
    exp: now + (input.expiresIn ?? 3600),
    iat: now,
    pipelineUuid: `{${randomUUID()}}`,
    workspaceUuid: `{${workspaceUuid}}`,
    ...(input.deploymentUuid ? { deploymentEnvironmentUuid: `{${input.deploymentUuid}}` } : {}),
    ...input.extra,
  };
  const header = { kid: 'a1b2c3', typ: 'JWT', alg: 'RS256' };
  return { jwt: [b64url(JSON.stringify(header)), b64url(JSON.stringify(claims)), b64url(randomBytes(256))].join('.'), claims };
}

/** A "JWT" whose parts are given as raw text (base64url-encoded here). */
export function rawToken(header: string, payload: string, signature = randomBytes(64)): string {
  return [b64url(header), b64url(payload), b64url(signature)].join('.');
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
