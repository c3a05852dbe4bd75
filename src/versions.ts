/** Versions the generated projects default to. Read by `.projenrc.ts` too. */
export const DEFAULT_CDK_VERSION = '2.276.0';
/** Exact, so the pipeline's `npx aws-cdk@<version>` is the CLI of the lockfile. */
export const DEFAULT_CDK_CLI_VERSION = '2.1148.1';
export const DEFAULT_NODE_MAJOR = '22';
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';
