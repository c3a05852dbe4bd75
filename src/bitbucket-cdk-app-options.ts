import { CdkAppCommonOptions } from './cdk-app-common-options';
import { DeployEnvironment } from './deploy-environment';

/**
 * Options of a `BitbucketCdkApp`: every option of projen's
 * `AwsCdkTypeScriptApp`, plus where the code lives on Bitbucket, where it
 * deploys to, and how the trust and the pipeline are shaped.
 */
export interface BitbucketCdkAppOptions extends CdkAppCommonOptions {
  // ---------------------------------------------------------------------------
  // Bitbucket
  // ---------------------------------------------------------------------------

  /**
   * Workspace slug, in Repository settings → Pipelines → OpenID Connect: Identity provider URL …/workspaces/<slug>/….
   *
   * Also the first part of bitbucket.org/<workspace>/<repository>. The OIDC issuer URL contains it.
   *
   * @featured
   * @example "acme"
   */
  readonly bitbucketWorkspace: string;

  /**
   * Workspace UUID, in Repository settings → Pipelines → OpenID Connect: Audience ari:cloud:bitbucket::workspace/<uuid>.
   *
   * With or without braces. The OIDC audience is built from it.
   *
   * @featured
   * @example "{7baee083-1234-4c8d-9d2e-0123456789ab}"
   */
  readonly bitbucketWorkspaceUuid: string;

  /**
   * Repository UUID, in Repository settings → Pipelines → OpenID Connect: Repository UUID.
   *
   * With or without braces. Deploy roles trust only this repository.
   *
   * @featured
   * @example "{3f0c9a42-5678-4e1f-8a3b-fedcba987654}"
   */
  readonly bitbucketRepositoryUuid: string;

  // ---------------------------------------------------------------------------
  // Where to deploy
  // ---------------------------------------------------------------------------

  /**
   * The environments to deploy to, in pipeline order. Each gets a CDK stage,
   * `deploy:<name>` and `diff:<name>` tasks, an OIDC deploy role and a
   * pipeline step.
   *
   * @default - one environment named `production` from `deployAccount`, `deployRegion` and `deployBitbucketDeploymentUuid`, deployed with manual approval
   */
  readonly deployEnvironments?: DeployEnvironment[];

  /**
   * Shortcut for the command line: the AWS account of a single environment
   * named `production`. Ignored (and an error) when `deployEnvironments` is given.
   *
   * @featured
   * @example "012345678901"
   */
  readonly deployAccount?: string;

  /**
   * Shortcut for the command line: the AWS region of a single environment
   * named `production`.
   *
   * @featured
   * @example "eu-west-1"
   */
  readonly deployRegion?: string;

  /**
   * Shortcut for the command line: the UUID of the Bitbucket deployment
   * environment "Production" (with or without braces), so that the single
   * environment's deploy role trusts only steps deploying to it from the
   * first `bitbucket:oidc:deploy` on. Shown in Repository settings →
   * Pipelines → OpenID Connect (Deployment environments). The shortcut's
   * environment always deploys with manual approval.
   *
   * @featured
   * @default - every step of the repository can assume the role (a warning says so)
   */
  readonly deployBitbucketDeploymentUuid?: string;

  /**
   * Bitbucket deployment environment UUIDs by environment name (with or
   * without braces), merged into the environments: a repository made from a
   * preset gives its own UUIDs without restating the preset's
   * `deployEnvironments`, and keeps receiving the preset's changes to them.
   * Same as `bitbucketDeploymentUuid` on each environment; giving both with
   * different values is an error, and so is a name no environment has.
   *
   * @example { staging: "{a1b2c3d4-0000-4000-8000-000000000001}", production: "{a1b2c3d4-0000-4000-8000-000000000002}" }
   * @default - each environment's own `bitbucketDeploymentUuid`
   */
  readonly bitbucketDeploymentUuids?: { [environmentName: string]: string };

  // ---------------------------------------------------------------------------
  // OIDC trust (the generated stack under src/bitbucket-oidc/)
  // ---------------------------------------------------------------------------

  /**
   * AWS accounts that already have the Bitbucket OIDC identity provider for
   * this workspace (an account can hold only one per issuer URL, for instance
   * when another repository's stack created it). In these accounts the
   * provider is imported by its ARN instead of created. An account that no
   * environment deploys to is ignored with a warning, so a preset can list
   * every account with a provider.
   *
   * @default [] - the OIDC stack creates the provider in every account
   */
  readonly oidcProviderExistsInAccounts?: string[];

  /**
   * Certificate thumbprints to pin on a provider this project creates. AWS no
   * longer needs them (it trusts the JWKS host's CA), so leave this empty
   * unless your security policy requires pinning.
   *
   * @default []
   */
  readonly oidcThumbprints?: string[];

  /**
   * Qualifier of the CDK bootstrap stacks in the target environments
   * (`cdk bootstrap --qualifier`). The deploy roles may assume only the
   * bootstrap roles with this qualifier.
   *
   * @default "hnb659fds"
   */
  readonly cdkBootstrapQualifier?: string;

  /**
   * Names of AWS managed policies to attach to every deploy role, in addition
   * to assuming the CDK bootstrap roles. An explicit opt-in to broader
   * permissions (for example `AdministratorAccess` for tooling that calls AWS
   * directly); not needed for `cdk deploy`.
   *
   * @default [] - the roles may only assume the CDK bootstrap roles
   * @example ["ReadOnlyAccess"]
   */
  readonly deployRoleManagedPolicies?: string[];

  /**
   * Name of a customer managed policy to set as permissions boundary of every
   * deploy role.
   *
   * @default - no permissions boundary
   */
  readonly deployRolePermissionsBoundary?: string;

  /**
   * Maximum session duration of the deploy roles, in hours (1 to 12).
   *
   * @default 1
   */
  readonly deployRoleMaxSessionHours?: number;

  // ---------------------------------------------------------------------------
  // bitbucket-pipelines.yml
  // ---------------------------------------------------------------------------

  /**
   * Docker image the pipeline steps run in.
   *
   * @default - `node:<major>` of `workflowNodeVersion`, or `node:22`
   */
  readonly pipelineImage?: string;

  /**
   * Size of the build steps (`size:`: build, pull request, upgrade): 1x,
   * 2x, 4x, 8x, 16x or 32x. Deploy steps have `deployStepSize`.
   *
   * @default "2x" - the build runs jest, tsc and cdk synth, which need more than 4 GB together
   */
  readonly pipelineStepSize?: string;

  /**
   * Maximum minutes a build step may run (`max-time:`, 1 to 720). Deploy
   * steps have `deployStepMaxTime`.
   *
   * @default 30
   */
  readonly pipelineMaxTime?: number;

  /**
   * Size of the deploy steps (`size:`): 1x, 2x, 4x, 8x, 16x or 32x.
   *
   * @default "1x" - a deploy step only runs the CDK CLI on the synthesised cdk.out
   */
  readonly deployStepSize?: string;

  /**
   * Maximum minutes a deploy step may run (`max-time:`, 1 to 720). A step
   * killed half-way leaves the pipeline red while CloudFormation goes on.
   *
   * @default 120 - CloudFormation updates of RDS instances or CloudFront distributions, and their rollbacks, can each take half an hour or more; minutes are billed as used
   */
  readonly deployStepMaxTime?: number;

  /**
   * Give every deploy step Bitbucket's `docker` service, so that `cdk deploy`
   * can build and push Docker image assets (`ContainerImage.fromAsset`,
   * `DockerImageFunction`). The service gets the memory the deploy step's
   * size leaves beside the build container (3072 MB on 1x, 7168 MB on 2x:
   * raise `deployStepSize` for large images).
   *
   * @default false
   */
  readonly dockerImageAssets?: boolean;

  /**
   * Let deploy steps deploy assemblies whose asset manifests name
   * `executable` sources (commands that build a file or image asset). The
   * CDK CLI runs such a command inside the deploy step, next to the deploy
   * role's credentials, and it comes from the build step, where every
   * dependency's install scripts ran. Off, the step refuses the assembly
   * before any AWS call and names the asset.
   *
   * @default false
   */
  readonly allowExecutableAssets?: boolean;

  /**
   * Let deploy steps build Docker image assets with build options that
   * reach the step's machine outside the build context: `dockerBuildSecrets`,
   * `dockerBuildContexts`, `dockerBuildSsh`, `networkMode` and
   * `dockerOutputs` of the asset manifest's source (`buildSecrets`,
   * `buildContexts`, `buildSsh`, `networkMode`, `outputs` of
   * `DockerImageAsset`). The deploy role's token is on that machine. Off,
   * the step refuses such an assembly before any AWS call and names the
   * asset and the option.
   *
   * @default false
   */
  readonly allowDockerBuildOptions?: boolean;

  /**
   * npm's sha512 integrity of the `aws-cdk` tarball at `cdkCliVersion`
   * (`npm view aws-cdk@<cdkCliVersion> dist.integrity`), for a project that
   * overrides `cdkCliVersion`. The deploy steps refuse a `package-lock.json`
   * that locks other bytes for the CLI, which runs next to the deploy role's
   * token. For the default version this package ships the integrity. With
   * an overridden version and no `cdkCliIntegrity`, the steps verify only
   * the integrity the lockfile states, and say so in their log.
   *
   * @default - the shipped integrity for the default `cdkCliVersion`; none for another version
   */
  readonly cdkCliIntegrity?: string;

  /**
   * Whether pull requests get a pipeline that builds, tests, synthesises and
   * fails when generated files are stale.
   *
   * @default true
   */
  readonly pullRequestPipeline?: boolean;

  /**
   * Whether every pull request previews what it would change in each
   * environment: after the build, one step per environment compares `cdk.out`
   * with the deployed stacks using a read-only role of the OIDC stack, and
   * posts the result as a Bitbucket Code Insights report on the commit
   * (README "Pull-request previews"). The role is created in every account
   * with environments, by the same `bitbucket:oidc:deploy`; it can read this
   * app's templates and stack status and the bootstrap version, nothing else.
   * Needs `pullRequestPipeline`.
   *
   * @default true
   */
  readonly pullRequestPreview?: boolean;

  /**
   * Whether a preview step fails (and with it the pull request's pipeline)
   * when its report fails, i.e. when a stateful resource (database, bucket,
   * table, file system, key...) would or may be replaced or deleted. Bitbucket
   * Cloud's built-in merge checks cannot read Code Insights reports, but
   * "Check for {#} passed builds on the last commit" reads builds: with it,
   * and "Prevent a merge with unresolved merge checks" (Bitbucket Premium),
   * such a pull request cannot be merged (README "Requiring the report
   * before a merge"). A preview that could not run (read role not deployed,
   * no OIDC token, environment not bootstrapped, nothing deployed yet) never
   * fails the step.
   *
   * Off by default: a deliberate replacement then needs this set to false in
   * that pull request (or the merge check lifted), and a red build is not a
   * signal every team wants for a change the reviewers can read in the report.
   * Needs `pullRequestPreview`.
   *
   * @default false
   */
  readonly pullRequestPreviewFailsOnStatefulRisk?: boolean;

  /**
   * Whether `bitbucket-pipelines.yml` gets the custom pipeline
   * `drift-detection` (schedule it in Repository settings → Pipelines →
   * Schedules): it checks each environment's stacks for drift with the
   * read-only role, which then may also run CloudFormation drift detection
   * on this app's stacks, and fails with a summary when a stack drifted.
   *
   * @default true
   */
  readonly driftDetection?: boolean;

  /**
   * Whether `bitbucket-pipelines.yml` gets the custom pipeline
   * `upgrade-dependencies` (Bitbucket's counterpart of projen's GitHub
   * upgrade workflow): it runs the `upgrade` task, builds and tests, and
   * pushes the changes to a new branch `deps/upgrade-<build number>` for a
   * person to open a pull request from. Schedule it in Repository settings →
   * Pipelines → Schedules. Needs projen's upgrade task (`depsUpgrade`, on by
   * default); without it there is no pipeline.
   *
   * @default true
   */
  readonly upgradePipeline?: boolean;
}
