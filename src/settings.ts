import type { StepSize } from './pipeline/configuration-model';

/**
 * A deploy environment after validation and normalisation: every name, ID and
 * ARN the OIDC stack, the pipeline and the tasks share, computed once.
 */
export interface ResolvedDeployEnvironment {
  /** Environment name: CDK stage ID and task suffix. */
  readonly name: string;
  /** 12-digit AWS account ID. */
  readonly account: string;
  /** AWS region. */
  readonly region: string;
  /** AWS partition of the region: `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  /** `deployment:` of the pipeline step. */
  readonly bitbucketDeployment: string;
  /** Deployment environment UUID without braces, lower case. */
  readonly bitbucketDeploymentUuid?: string;
  /** Whether the pipeline step is `trigger: manual`. */
  readonly manualApproval: boolean;
  /** The wave this environment deploys in, at the same time as the others of the wave. */
  readonly wave?: string;
  /** Name of the deploy role. */
  readonly deployRoleName: string;
  /** ARN of the deploy role (deterministic, no lookup needed). */
  readonly deployRoleArn: string;
  /** Logical ID of the deploy role in the OIDC stack; stable across versions. */
  readonly deployRoleLogicalId: string;
  /**
   * ARN of the read-only role of the environment's account that pull-request
   * previews and drift checks use; undefined when both are off.
   */
  readonly previewRoleArn?: string;
}

/** One OIDC stack: the trust of one AWS account. */
export interface ResolvedOidcAccount {
  /** 12-digit AWS account ID. */
  readonly account: string;
  /** Region the stack is deployed to (IAM is global; this is where CloudFormation keeps it). */
  readonly region: string;
  /** AWS partition. */
  readonly partition: string;
  /** Construct ID of the stack in the OIDC app; selects it on the CDK command line. */
  readonly stackId: string;
  /** CloudFormation stack name, unique per project and account. */
  readonly stackName: string;
  /** Whether the provider already exists and is imported. */
  readonly providerExists: boolean;
  /** ARN of the provider (deterministic). */
  readonly providerArn: string;
  /** Names of the environments whose deploy roles this stack holds. */
  readonly environmentNames: string[];
}

/**
 * Everything `BitbucketCdkApp`'s components need, validated and normalised
 * from `BitbucketCdkAppOptions`. Produced by `resolveSettings()` (src/validation/resolve-settings.ts).
 */
export interface ResolvedSettings {
  /** Project name (package name). */
  readonly projectName: string;
  /** Workspace slug. */
  readonly workspace: string;
  /** Workspace UUID without braces, lower case. */
  readonly workspaceUuid: string;
  /** Repository UUID without braces, lower case. */
  readonly repositoryUuid: string;
  /** OIDC issuer URL of the workspace. */
  readonly issuerUrl: string;
  /** Issuer URL without `https://`: the prefix of the IAM condition keys. */
  readonly issuerHost: string;
  /** Audience (client ID) of the workspace's tokens. */
  readonly audience: string;
  /** Deploy environments in pipeline order. */
  readonly environments: ResolvedDeployEnvironment[];
  /** One entry per AWS account, in order of first use. */
  readonly oidcAccounts: ResolvedOidcAccount[];
  /** Thumbprints for providers this project creates. */
  readonly oidcThumbprints: string[];
  /** CDK bootstrap qualifier. */
  readonly bootstrapQualifier: string;
  /** AWS managed policy names attached to every deploy role (opt-in). */
  readonly managedPolicies: string[];
  /** Customer managed policy name used as permissions boundary. */
  readonly permissionsBoundary?: string;
  /** Maximum session duration of deploy roles, in hours. */
  readonly maxSessionHours: number;
  /** The CDK CLI version the project depends on. */
  readonly cdkCliVersion: string;
  /** Docker image of the pipeline. */
  readonly pipelineImage: string;
  /** Size of the build steps (build, pull request, upgrade). */
  readonly pipelineStepSize: StepSize;
  /** Max-time of the build steps, in minutes. */
  readonly pipelineMaxTime: number;
  /** Size of the deploy steps. */
  readonly deployStepSize: StepSize;
  /** Max-time of the deploy steps, in minutes. */
  readonly deployStepMaxTime: number;
  /** Whether deploy steps get Bitbucket's docker service, to build Docker image assets. */
  readonly dockerImageAssets: boolean;
  /** Whether deploy steps let the CDK CLI run `executable` asset sources. */
  readonly allowExecutableAssets: boolean;
  /** Whether deploy steps let Docker image assets use build options that reach the step's machine. */
  readonly allowDockerBuildOptions: boolean;
  /** sha512 integrity the deploy steps require of the locked CLI; undefined: only the lockfile's own is verified. */
  readonly cdkCliIntegrity?: string;
  /** Whether pull requests get a pipeline. */
  readonly pullRequestPipeline: boolean;
  /** Whether each pull request previews every environment with the read-only role (needs the pull-request pipeline). */
  readonly pullRequestPreview: boolean;
  /** Whether a preview step fails when a stateful resource would (or may) be replaced or deleted (only with `pullRequestPreview`). */
  readonly pullRequestPreviewFailsOnStatefulRisk: boolean;
  /** Whether the custom pipeline `drift-detection` exists and the read-only role may detect drift. */
  readonly driftDetection: boolean;
  /** Name of the read-only role in every account with environments; undefined when previews and drift detection are both off. */
  readonly previewRoleName?: string;
  /** Branch that deploys. */
  readonly mainBranch: string;
  /** Risky but legal choices and normalisations, shown at synth time. */
  readonly warnings: string[];
}
