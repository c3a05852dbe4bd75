/**
 * The shape of `config.ts`: everything that differs between projects. The
 * stack code reads only these values, so a reviewer can check the trust of a
 * project by reading `config.ts` alone.
 */

/** A deploy role: what one Bitbucket deployment environment may do in one AWS account. */
export interface DeployRoleConfig {
  /** Deploy environment name in `.projenrc.ts` (`npx projen deploy:<environment>`). */
  readonly environment: string;
  /** Bitbucket deployment environment (`deployment:` of the pipeline step). */
  readonly bitbucketDeployment: string;
  /** UUID of the Bitbucket deployment environment, without braces; unset when the role trusts every step of the repository. */
  readonly deploymentUuid?: string;
  /** IAM role name; the pipeline uses its ARN without lookup. */
  readonly roleName: string;
  /** CloudFormation logical ID of the role; fixed, since a changed logical ID replaces the role. */
  readonly logicalId: string;
  /** Region the environment deploys to (its CDK bootstrap roles live there). */
  readonly region: string;
  /**
   * IAM `StringLike` pattern on the token's `sub` claim: `{REPOSITORY}*:*` admits
   * every step of the repository, `{REPOSITORY}*{DEPLOYMENT}:*` only steps that
   * deploy to this Bitbucket deployment environment (with or without a colon
   * between the two UUIDs, as Bitbucket sends both).
   */
  readonly subjectPattern: string;
  /** The CDK bootstrap roles (deploy, file-publishing, image-publishing, lookup) of the environment: all the role may assume. */
  readonly bootstrapRoleArns: readonly string[];
}

/**
 * The read-only role of pull-request previews and drift detection in one
 * AWS account: any step of the repository may assume it (pull-request steps
 * have no deployment environment), so it may only read this app's stacks
 * and the bootstrap version; never write, read data or assume a role.
 */
export interface PreviewRoleConfig {
  /** IAM role name, the same in every account; the pipeline uses its ARN without lookup. */
  readonly roleName: string;
  /** CloudFormation logical ID of the role; fixed, since a changed logical ID replaces the role. */
  readonly logicalId: string;
  /** IAM `StringLike` pattern on the token's `sub` claim: `{REPOSITORY}*:*`, every step of the repository. */
  readonly subjectPattern: string;
  /**
   * The stacks whose status and deployed template the role may read, one
   * ARN pattern per environment of the account: the stacks named
   * `<environment>-<anything>` in the environment's region (CDK names the
   * stacks of a stage `<stage>-<id>`).
   */
  readonly stackArnPatterns: readonly string[];
  /**
   * The stack tag that makes a stack of those names this app's: the role
   * reads only stacks carrying it (`aws:ResourceTag`), so another team's
   * `<environment>-*` stack in the same account stays unreadable. The app
   * tags its stacks with `tagStacks(app)` of `deploy-environments.ts`.
   */
  readonly stackTag: { readonly key: string; readonly value: string };
  /** The CDK bootstrap version parameter of each region of the account's environments: the only parameter the role may read. */
  readonly bootstrapVersionParameterArns: readonly string[];
  /**
   * Whether the role may run CloudFormation drift detection on those stacks,
   * and read the configuration of their resources, only when CloudFormation
   * reads it on the role's behalf (`aws:CalledVia`).
   */
  readonly driftDetection: boolean;
}

/** The OIDC stack of one AWS account. */
export interface OidcAccountConfig {
  /** 12-digit AWS account ID. */
  readonly account: string;
  /** Region CloudFormation keeps the stack in (IAM itself is global). */
  readonly region: string;
  /** AWS partition of the account: `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  /** Construct ID of the stack: `npx projen bitbucket:oidc:deploy:<account>` selects it. */
  readonly stackId: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  /** CloudFormation logical ID of the identity provider; fixed, since a changed logical ID replaces it. */
  readonly providerLogicalId: string;
  /** True when the account already has the workspace's provider (one per issuer and account): it is imported, not created. */
  readonly providerExists: boolean;
  /** ARN of the provider (deterministic from partition, account and issuer). */
  readonly providerArn: string;
  /** Pinned certificate thumbprints of the issuer; empty lets AWS verify the issuer against its trusted root CAs. */
  readonly thumbprints: readonly string[];
  /** Qualifier of the account's CDK bootstrap (`cdk bootstrap --qualifier`). */
  readonly bootstrapQualifier: string;
  /** AWS managed policies attached to every deploy role: an explicit opt-in, empty by default. */
  readonly managedPolicies: readonly string[];
  /** Customer managed policy used as permissions boundary of the deploy roles. */
  readonly permissionsBoundary?: string;
  /** Maximum session duration of the deploy roles, in hours. */
  readonly maxSessionHours: number;
  /** One deploy role per deploy environment in this account. */
  readonly roles: readonly DeployRoleConfig[];
  /** The read-only role of pull-request previews and drift detection; unset when both are off. */
  readonly previewRole?: PreviewRoleConfig;
}

/** The Bitbucket OIDC trust of one repository. */
export interface BitbucketOidcConfig {
  /** Project (package) name. */
  readonly projectName: string;
  /** Bitbucket workspace slug. */
  readonly workspace: string;
  /** Issuer of the workspace's OIDC tokens. */
  readonly issuerUrl: string;
  /** Issuer without `https://`: the prefix of the IAM condition keys `<issuerHost>:aud` and `<issuerHost>:sub`. */
  readonly issuerHost: string;
  /** Audience of the workspace's tokens: the provider's only client ID. */
  readonly audience: string;
  /** UUID of the Bitbucket repository, without braces. */
  readonly repositoryUuid: string;
  /** One stack per AWS account. */
  readonly accounts: readonly OidcAccountConfig[];
}
