/** Versions the generated projects default to. Read by `.projenrc.ts` too. */
export const DEFAULT_CDK_VERSION = '2.276.0';
/** Exact, so the pipeline's `npx aws-cdk@<version>` is the CLI of the lockfile. */
export const DEFAULT_CDK_CLI_VERSION = '2.1148.1';
/**
 * npm's integrity of the `aws-cdk@DEFAULT_CDK_CLI_VERSION` tarball
 * (`npm view aws-cdk@<version> dist.integrity`): the deploy steps' pre-flight
 * refuses a lockfile that locks other bytes for it. Bump both together
 * (test/versions.test.ts compares it with this repository's lockfile).
 */
export const DEFAULT_CDK_CLI_INTEGRITY = 'sha512-K3d02L17IwmAuiBWNuX1DzYhKUs9GrKYI7bZnGJfJ1bKz9ymXFxfudBOL3rUb8JAusDNSULiQU2fsJH7kyY2XA==';
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
