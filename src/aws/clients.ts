/**
 * CloudFormation and SSM clients for one region, with the SDK's default
 * credential chain: in a pipeline step `AWS_ROLE_ARN` +
 * `AWS_WEB_IDENTITY_TOKEN_FILE` (the step's OIDC token), locally the
 * developer's own credentials. `AWS_ENDPOINT_URL` is honoured by the SDK
 * itself (tests and the rehearsal point it at a local stand-in).
 *
 * Only `src/preview/` and `src/drift/` import this module: nothing reachable
 * from `src/index.ts` may load the SDK (see `optional-module.ts`).
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { HasCredentials } from './credentials';
import { loadOptionalModule } from './optional-module';

export type CloudFormationModule = typeof import('@aws-sdk/client-cloudformation');
export type SsmModule = typeof import('@aws-sdk/client-ssm');

/** Attempts per call, throttling included (the SDK's standard retry mode backs off between them). */
const MAX_ATTEMPTS = 5;

/** The `@aws-sdk/client-cloudformation` module; `tool` names the command in the error when it is missing. */
export function cloudFormationModule(tool: string): CloudFormationModule {
  return loadOptionalModule<CloudFormationModule>('@aws-sdk/client-cloudformation', tool);
}

/** The `@aws-sdk/client-ssm` module; `tool` names the command in the error when it is missing. */
export function ssmModule(tool: string): SsmModule {
  return loadOptionalModule<SsmModule>('@aws-sdk/client-ssm', tool);
}

/**
 * A client of another service or region reuses `shareCredentialsOf`'s
 * credentials: one web identity session (one AssumeRoleWithWebIdentity) for all.
 */
export function createCloudFormationClient(region: string, tool: string, shareCredentialsOf?: HasCredentials): CloudFormationClient {
  const sdk = cloudFormationModule(tool);
  return new sdk.CloudFormationClient({ region, maxAttempts: MAX_ATTEMPTS, ...shared(shareCredentialsOf) });
}

export function createSsmClient(region: string, tool: string, shareCredentialsOf?: HasCredentials): SSMClient {
  const sdk = ssmModule(tool);
  return new sdk.SSMClient({ region, maxAttempts: MAX_ATTEMPTS, ...shared(shareCredentialsOf) });
}

function shared(client: HasCredentials | undefined): { credentials?: any } {
  return client ? { credentials: client.config.credentials } : {};
}
