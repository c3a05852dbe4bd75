/**
 * One deployment target of the app: an AWS account and region, deployed by its
 * own pipeline step through its own OIDC deploy role.
 */
export interface DeployEnvironment {
  /**
   * Name of the environment. Becomes the CDK stage ID (`<name>/*` selects its
   * stacks), the task names `deploy:<name>` and `diff:<name>`, and part of the
   * deploy role's name.
   *
   * Letters, digits and hyphens, starting with a letter, at most 32 characters.
   *
   * @example "production"
   */
  readonly name: string;

  /**
   * The 12-digit AWS account ID to deploy to.
   *
   * @example "012345678901"
   */
  readonly account: string;

  /**
   * The AWS region to deploy to.
   *
   * @example "eu-west-1"
   */
  readonly region: string;

  /**
   * Name of the deployment environment in Bitbucket (Repository settings →
   * Deployments). Used as `deployment:` of the pipeline step. Bitbucket's
   * defaults are Test, Staging and Production (Atlassian's examples write them
   * in lower case, e.g. `deployment: production`).
   *
   * @default - the environment's `name`
   */
  readonly bitbucketDeployment?: string;

  /**
   * UUID of the Bitbucket deployment environment, with or without braces.
   * When set, the deploy role trusts only pipeline steps that deploy to this
   * environment; without it, every step of the repository can assume the role.
   *
   * Find it in Repository settings → Pipelines → OpenID Connect (the
   * "Deployment environments" list), or in the `deploymentEnvironmentUuid`
   * claim of a deployment step's token.
   *
   * @default - the role trusts every pipeline step of the repository (a synth-time warning says so)
   */
  readonly bitbucketDeploymentUuid?: string;

  /**
   * Whether the deploy step waits for a person to start it (`trigger: manual`).
   * Cannot be set on the first step of a pipeline; it is allowed here because the
   * build step always comes first.
   *
   * @default false
   */
  readonly manualApproval?: boolean;

  /**
   * Deploys this environment at the same time as the environments next to it
   * with the same wave name: one Bitbucket parallel set with `fail-fast:
   * true`, each step keeping its own deployment, role and concurrency
   * group. The environments of a wave must follow each other in
   * `deployEnvironments` and share `manualApproval` (a manual wave waits
   * for one manual step before the set). Bitbucket requires every
   * deployment environment of a parallel set to be of the same type (Test,
   * Staging or Production, in Repository settings → Deployments).
   *
   * Letters, digits and hyphens, starting with a letter, at most 32 characters.
   *
   * @default - deployed alone, after the previous environment
   * @example "staging"
   */
  readonly wave?: string;

  /**
   * Name of this environment's deploy role, to override the generated one.
   * Changing it replaces the role in AWS.
   *
   * @default - `bitbucket-deploy-<project>-<name>-<first 8 characters of the repository UUID>`, shortened to 64 characters
   */
  readonly deployRoleName?: string;
}
