/**
 * The environment of a rehearsed pipeline step: Bitbucket's variables only
 * (https://support.atlassian.com/bitbucket-cloud/docs/variables-and-secrets/),
 * plus what the rehearsal needs to stay on this machine.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface StepEnvironmentInput {
  readonly cloneDir: string;
  /** `AWS_ENDPOINT_URL` of the stand-in AWS. */
  readonly endpoint: string;
  /** `$BITBUCKET_STEP_OIDC_TOKEN`. */
  readonly oidcToken: string;
  readonly workspace: string;
  readonly workspaceUuid: string;
  readonly repositoryUuid: string;
  readonly stepUuid: string;
  readonly pipelineUuid: string;
  readonly deploymentName?: string;
  readonly deploymentUuid?: string;
  readonly buildNumber?: number;
  /** Fresh HOME and TMPDIR of the step: outside the clone, removed by the caller. */
  readonly home: string;
  readonly tmpdir: string;
  /** Variables the user added in Bitbucket (repository, workspace or deployment variables). */
  readonly userVariables?: Record<string, string>;
}

/** npm's cache shared by rehearsal runs: `npx -y aws-cdk@<version>` is fetched once, then found offline. */
export const NPM_CACHE = path.join(os.tmpdir(), 'pbc-rehearsal-npm-cache');

/** PATH of the step: the node this test runs with, then the usual system folders (the node:22 image has node in /usr/local/bin). */
export function stepPath(): string {
  return [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
}

/**
 * Settings that keep the CDK CLI off the network apart from the stand-in:
 * no telemetry, no notices download, npm offline (the CLI is already in the
 * cache). Not Bitbucket variables; see the rehearsal README for what this hides.
 */
export function offlineSettings(home: string): Record<string, string> {
  fs.mkdirSync(home, { recursive: true });
  // User-level CDK settings: the project's cdk.json is left as generated.
  fs.writeFileSync(path.join(home, '.cdk.json'), JSON.stringify({ notices: false }));
  return {
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
    npm_config_cache: NPM_CACHE,
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // The SDK would fall back to the instance metadata address, which must never be contacted.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export function bitbucketStepEnvironment(i: StepEnvironmentInput): NodeJS.ProcessEnv {
  const repoSlug = path.basename(i.cloneDir);
  const env: Record<string, string> = {
    PATH: stepPath(),
    HOME: i.home,
    TMPDIR: i.tmpdir,
    LANG: 'C.UTF-8',
    CI: 'true',
    BITBUCKET_BUILD_NUMBER: String(i.buildNumber ?? 42),
    BITBUCKET_CLONE_DIR: i.cloneDir,
    BITBUCKET_COMMIT: 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed',
    BITBUCKET_BRANCH: 'main',
    BITBUCKET_WORKSPACE: i.workspace,
    BITBUCKET_REPO_SLUG: repoSlug,
    BITBUCKET_REPO_FULL_NAME: `${i.workspace}/${repoSlug}`,
    BITBUCKET_REPO_UUID: `{${i.repositoryUuid}}`,
    BITBUCKET_REPO_OWNER_UUID: `{${i.workspaceUuid}}`,
    BITBUCKET_PIPELINE_UUID: `{${i.pipelineUuid}}`,
    BITBUCKET_STEP_UUID: `{${i.stepUuid}}`,
    BITBUCKET_STEP_TRIGGERER_UUID: '{00000000-0000-4000-8000-0000000000aa}',
    BITBUCKET_GIT_HTTP_ORIGIN: `http://bitbucket.org/${i.workspace}/${repoSlug}`,
    BITBUCKET_PROJECT_KEY: 'PROJ',
    BITBUCKET_STEP_OIDC_TOKEN: i.oidcToken,
    ...(i.deploymentName ? { BITBUCKET_DEPLOYMENT_ENVIRONMENT: i.deploymentName.toLowerCase() } : {}),
    ...(i.deploymentUuid ? { BITBUCKET_DEPLOYMENT_ENVIRONMENT_UUID: `{${i.deploymentUuid}}` } : {}),
    AWS_ENDPOINT_URL: i.endpoint,
    ...offlineSettings(i.home),
    ...i.userVariables,
  };
  return env;
}
