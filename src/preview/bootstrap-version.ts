/**
 * The environment's CDK bootstrap version (SSM `/cdk-bootstrap/<qualifier>/version`):
 * missing means `cdk bootstrap` was never run there, and the first deploy will fail.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { AwsCallError, awsCall, ssmModule } from '../aws';
import { TOOL } from './template-diff';

export type BootstrapVersion =
  | { readonly state: 'bootstrapped'; readonly version: number; readonly parameter: string }
  | { readonly state: 'not-bootstrapped'; readonly parameter: string }
  | { readonly state: 'unknown'; readonly parameter: string; readonly error: AwsCallError | Error };

export function bootstrapParameter(qualifier: string): string {
  return `/cdk-bootstrap/${qualifier}/version`;
}

export async function readBootstrapVersion(client: SSMClient, qualifier: string, env: NodeJS.ProcessEnv): Promise<BootstrapVersion> {
  const sdk = ssmModule(TOOL);
  const parameter = bootstrapParameter(qualifier);
  try {
    const got = await awsCall(`GetParameter ${parameter}`, () => client.send(new sdk.GetParameterCommand({ Name: parameter })), env);
    const version = Number.parseInt(String(got.Parameter?.Value ?? ''), 10);
    if (!Number.isInteger(version)) return { state: 'unknown', parameter, error: new Error(`${parameter} holds ${JSON.stringify(got.Parameter?.Value)}, not a version number`) };
    return { state: 'bootstrapped', version, parameter };
  } catch (e) {
    if (e instanceof AwsCallError && e.problem.kind === 'parameter-not-found') return { state: 'not-bootstrapped', parameter };
    return { state: 'unknown', parameter, error: e as Error };
  }
}
