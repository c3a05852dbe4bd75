import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { BitbucketCdkApp, BitbucketCdkAppOptions } from '../src';

export const WORKSPACE_UUID = '7baee083-1b2c-4c8d-9d2e-0123456789ab';
export const REPOSITORY_UUID = '3f0c9a42-5678-4e1f-8a3b-fedcba987654';
export const STAGING_UUID = 'a1b2c3d4-0000-4000-8000-000000000001';
export const PRODUCTION_UUID = 'a1b2c3d4-0000-4000-8000-000000000002';

/** Minimal valid options; tests override what they exercise. */
export function baseOptions(overrides: Partial<BitbucketCdkAppOptions> = {}): BitbucketCdkAppOptions {
  return {
    name: 'my-app',
    bitbucketWorkspace: 'acme',
    bitbucketWorkspaceUuid: `{${WORKSPACE_UUID}}`,
    bitbucketRepositoryUuid: `{${REPOSITORY_UUID}}`,
    deployAccount: '012345678901',
    deployRegion: 'eu-west-1',
    ...overrides,
  } as BitbucketCdkAppOptions;
}

/** Two environments in two accounts, the second gated and scoped. */
export function twoEnvironmentOptions(overrides: Partial<BitbucketCdkAppOptions> = {}): BitbucketCdkAppOptions {
  return baseOptions({
    deployAccount: undefined,
    deployRegion: undefined,
    deployEnvironments: [
      { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging', bitbucketDeploymentUuid: STAGING_UUID },
      { name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: `{${PRODUCTION_UUID}}`, manualApproval: true },
    ],
    ...overrides,
  });
}

/**
 * A fresh temp folder per project: `Testing.synth` without an explicit outdir
 * in the temp directory can delete the working tree.
 */
export function tempDir(prefix = 'pbc-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function newProject(options: BitbucketCdkAppOptions): BitbucketCdkApp {
  return new BitbucketCdkApp({ outdir: tempDir(), ...options });
}

/** Synthesised files of a new project, by path. */
export function synth(options: BitbucketCdkAppOptions): Record<string, any> {
  return Testing.synth(newProject(options));
}

export function tasks(files: Record<string, any>): Record<string, any> {
  return files['.projen/tasks.json'].tasks;
}
