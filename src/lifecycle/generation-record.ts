/**
 * What one deploy environment put into AWS, as generated: enough to say what
 * stays deployed once it is removed, renamed or moved.
 */
export interface RecordedEnvironment {
  /** Environment name: the CDK stage of its stacks (`<name>/*`). */
  readonly name: string;
  /** 12-digit AWS account ID. */
  readonly account: string;
  /** AWS region. */
  readonly region: string;
  /** Prefix CDK gives the names of the stage's stacks (`<name>-`), unless the app sets `stackName`. */
  readonly stackNamePrefix: string;
  /** Name of the deploy role (in the account's OIDC stack). */
  readonly deployRoleName: string;
  /** `deployment:` of the environment's pipeline step. */
  readonly bitbucketDeployment: string;
  /** UUID of the Bitbucket deployment environment its role trusts; unset: any step of the repository. */
  readonly bitbucketDeploymentUuid?: string;
}

/** One account's OIDC stack, as generated. */
export interface RecordedAccount {
  /** 12-digit AWS account ID. */
  readonly account: string;
  /** Region the OIDC stack is deployed to. */
  readonly region: string;
  /** CloudFormation name of the OIDC stack. */
  readonly stackName: string;
  /** ARN of the workspace's identity provider in the account. */
  readonly providerArn: string;
  /** Whether the stack imports the provider instead of creating it. */
  readonly providerExists: boolean;
  /**
   * The earlier OIDC stack of this project that created the provider, when
   * the stack imports it only because the stack was renamed (the provider is
   * retained when that stack is deleted). Unset when the provider is created
   * here or imported through `oidcProviderExistsInAccounts`.
   */
  readonly providerCreatedByStack?: string;
}

/**
 * The committed record of one generation (`.projen/bitbucket-cdk-generation.json`):
 * what `npx projen` generated last time, so that the next run can say what a
 * change leaves deployed in AWS, or needs there first.
 */
export interface GenerationRecord {
  /** Format version of this record. */
  readonly version: number;
  /** Project (package) name: part of the OIDC stack and deploy role names. */
  readonly projectName: string;
  /** Bitbucket workspace slug (part of the issuer). */
  readonly workspace: string;
  /** Repository UUID, without braces. */
  readonly repositoryUuid: string;
  /** CDK bootstrap qualifier the deploy roles may assume roles of. */
  readonly bootstrapQualifier: string;
  /** AWS managed policies attached to every deploy role. */
  readonly deployRoleManagedPolicies: string[];
  /** Permissions boundary of the deploy roles. */
  readonly deployRolePermissionsBoundary?: string;
  /** Maximum session duration of the deploy roles, in hours. */
  readonly deployRoleMaxSessionHours: number;
  /**
   * Name of the read-only role of pull-request previews and drift detection
   * in every account's OIDC stack; unset when both are off, or in a record
   * written before the role existed.
   */
  readonly previewRoleName?: string;
  /** Whether the read-only role may run drift detection. */
  readonly previewRoleDriftDetection?: boolean;
  /**
   * `<key>=<value>` of the stack tag the read-only role requires of the
   * stacks it reads; unset in a record written before the role was scoped
   * by tag (it then read every `<env>-*` stack of the account).
   */
  readonly previewRoleStackTag?: string;
  /** Deploy environments in pipeline order. */
  readonly environments: RecordedEnvironment[];
  /** One OIDC stack per account. */
  readonly accounts: RecordedAccount[];
}

/** The previous record, or why it could not be used. */
export interface PreviousRecord {
  /** The record; unset on a first run, in a project made before records existed, or when unreadable. */
  readonly record?: GenerationRecord;
  /** Why an existing file could not be read; unset when it was read or does not exist. */
  readonly problem?: string;
}
