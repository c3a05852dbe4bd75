/** Versions the generated projects default to. Read by `.projenrc.ts` too. */
export const DEFAULT_CDK_VERSION = '2.276.0';
/** Exact, so the pipeline's `npx aws-cdk@<version>` is the CLI of the lockfile. */
export const DEFAULT_CDK_CLI_VERSION = '2.1148.1';
export const DEFAULT_NODE_MAJOR = '22';
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/**
 * What the pull-request preview and drift check (`bitbucket-cdk-preview`,
 * `bitbucket-cdk-drift`, shipped in this package) load from the generated
 * project: added to its devDependencies at these exact versions, so its
 * lockfile pins them. The CDK's own template diff and the AWS SDK clients of
 * the two services the read-only role may call.
 */
export const PREVIEW_DEPENDENCIES: { readonly [name: string]: string } = {
  '@aws-cdk/cloudformation-diff': '2.187.5',
  '@aws-sdk/client-cloudformation': '3.1169.0',
  '@aws-sdk/client-ssm': '3.1169.0',
};
