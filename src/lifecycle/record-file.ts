import * as fs from 'fs';
import * as path from 'path';
import type { GenerationRecord, PreviousRecord } from './generation-record';
import { APP_TAG_KEY, appTagValue } from '../core/naming';
import type { ResolvedSettings } from '../settings';

/** Path of the record, relative to the project root. */
export const GENERATION_RECORD_FILE = '.projen/bitbucket-cdk-generation.json';

/** Format version written by this package. */
export const GENERATION_RECORD_VERSION = 1;

/** The record of what these settings generate; `providerCreatedBy` holds the stacks imported after a rename, by account. */
/** What the generation record and the lifecycle checks are computed from. */
export type LifecycleInput = Pick<ResolvedSettings, 'projectName' | 'workspace' | 'repositoryUuid' | 'bootstrapQualifier' | 'managedPolicies'
| 'permissionsBoundary' | 'maxSessionHours' | 'environments' | 'oidcAccounts'> & Partial<Pick<ResolvedSettings, 'previewRoleName' | 'driftDetection'>>;

export function generationRecord(settings: LifecycleInput, providerCreatedBy: ReadonlyMap<string, string> = new Map()): GenerationRecord {
  return {
    version: GENERATION_RECORD_VERSION,
    projectName: settings.projectName,
    workspace: settings.workspace,
    repositoryUuid: settings.repositoryUuid,
    bootstrapQualifier: settings.bootstrapQualifier,
    deployRoleManagedPolicies: [...settings.managedPolicies],
    deployRolePermissionsBoundary: settings.permissionsBoundary,
    deployRoleMaxSessionHours: settings.maxSessionHours,
    previewRoleName: settings.previewRoleName,
    previewRoleDriftDetection: settings.previewRoleName ? settings.driftDetection ?? false : undefined,
    previewRoleStackTag: settings.previewRoleName ? previewRoleStackTag(settings) : undefined,
    environments: settings.environments.map((env) => ({
      name: env.name,
      account: env.account,
      region: env.region,
      stackNamePrefix: `${env.name}-`,
      deployRoleName: env.deployRoleName,
      bitbucketDeployment: env.bitbucketDeployment,
      bitbucketDeploymentUuid: env.bitbucketDeploymentUuid,
    })),
    accounts: settings.oidcAccounts.map((account) => ({
      account: account.account,
      region: account.region,
      stackName: account.stackName,
      providerArn: account.providerArn,
      providerExists: account.providerExists,
      providerCreatedByStack: providerCreatedBy.get(account.account),
    })),
  };
}

/** Reads the record the previous `npx projen` wrote in `outdir`; a missing file is no problem. */
export function readGenerationRecord(outdir: string): PreviousRecord {
  const file = path.join(outdir, GENERATION_RECORD_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch {
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { problem: `${GENERATION_RECORD_FILE} is not valid JSON (a merge conflict?)` };
  }
  return isRecord(data)
    ? { record: data }
    : { problem: `${GENERATION_RECORD_FILE} does not have the expected shape (version ${GENERATION_RECORD_VERSION})` };
}

function isRecord(data: unknown): data is GenerationRecord {
  const r = data as Partial<GenerationRecord> | null;
  return typeof r === 'object' && r !== null
    && r.version === GENERATION_RECORD_VERSION
    && typeof r.projectName === 'string'
    && Array.isArray(r.environments) && r.environments.every((e) => typeof e?.name === 'string' && typeof e.account === 'string' && typeof e.region === 'string')
    && Array.isArray(r.accounts) && r.accounts.every((a) => typeof a?.account === 'string' && typeof a.stackName === 'string');
}

/** `<key>=<value>` of the stack tag the read-only role of these settings requires. */
export function previewRoleStackTag(settings: Pick<LifecycleInput, 'projectName' | 'repositoryUuid'>): string {
  return `${APP_TAG_KEY}=${appTagValue(settings.projectName, settings.repositoryUuid)}`;
}
