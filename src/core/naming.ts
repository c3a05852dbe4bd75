/**
 * Every name, ID and ARN that the OIDC stack, the pipeline and the tasks must
 * agree on. Deterministic: the pipeline uses ARNs without any lookup, and
 * names must not change between versions of this package (a changed role name
 * or logical ID replaces the role in users' accounts).
 */

export const ISSUER_URL_PREFIX = 'https://api.bitbucket.org/2.0/workspaces/';
export const ISSUER_URL_SUFFIX = '/pipelines-config/identity/oidc';
export const AUDIENCE_PREFIX = 'ari:cloud:bitbucket::workspace/';

/** The four roles `cdk bootstrap` creates that the CDK CLI assumes per phase. */
export const BOOTSTRAP_ROLE_KINDS = ['deploy', 'file-publishing', 'image-publishing', 'lookup'] as const;

const MAX_ROLE_NAME = 64;

export function issuerUrl(workspace: string): string {
  return `${ISSUER_URL_PREFIX}${workspace}${ISSUER_URL_SUFFIX}`;
}

/** The issuer without scheme: the prefix of the `:aud` and `:sub` condition keys. */
export function issuerHost(workspace: string): string {
  return issuerUrl(workspace).replace(/^https:\/\//, '');
}

export function audience(workspaceUuid: string): string {
  return `${AUDIENCE_PREFIX}${workspaceUuid}`;
}

/**
 * `sub` pattern for IAM `StringLike`. Bitbucket documents
 * `{REPO}[:{ENV}]:{STEP}`, some tokens omit the colon between repository and
 * environment; the wildcard after the repository UUID accepts both.
 */
export function subjectPattern(repositoryUuid: string, deploymentUuid?: string): string {
  return deploymentUuid ? `{${repositoryUuid}}*{${deploymentUuid}}:*` : `{${repositoryUuid}}*:*`;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Lower-case letters, digits and hyphens, no leading/trailing/double hyphens. */
export function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/^@/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** First block of the repository UUID: tells repositories with equal names apart. */
export function repositoryTag(repositoryUuid: string): string {
  return repositoryUuid.slice(0, 8);
}

/**
 * `bitbucket-deploy-<project>-<env>-<repo tag>`; the project part is cut
 * first when the name would pass IAM's 64 characters.
 */
export function deployRoleName(projectName: string, environmentName: string, repositoryUuid: string): string {
  const head = 'bitbucket-deploy-';
  const tail = `-${slug(environmentName)}-${repositoryTag(repositoryUuid)}`;
  const room = MAX_ROLE_NAME - head.length - tail.length;
  const project = slug(projectName).slice(0, Math.max(room, 0)).replace(/-+$/, '');
  return `${head}${project}${tail}`.slice(0, MAX_ROLE_NAME);
}

/**
 * `bitbucket-preview-<project>-<repo tag>`: the read-only role of pull-request
 * previews and drift checks, one per account (same name in each); the
 * project part is cut first when the name would pass IAM's 64 characters.
 */
export function previewRoleName(projectName: string, repositoryUuid: string): string {
  const head = 'bitbucket-preview-';
  const tail = `-${repositoryTag(repositoryUuid)}`;
  const room = MAX_ROLE_NAME - head.length - tail.length;
  const project = slug(projectName).slice(0, Math.max(room, 0)).replace(/-+$/, '');
  return `${head}${project}${tail}`.slice(0, MAX_ROLE_NAME);
}

/** Logical ID of the read-only preview role in each OIDC stack; stable across versions. */
export const PREVIEW_ROLE_LOGICAL_ID = 'PreviewRole';

export function roleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

export function bootstrapRoleArn(partition: string, account: string, region: string, qualifier: string, kind: string): string {
  return roleArn(partition, account, `cdk-${qualifier}-${kind}-role-${account}-${region}`);
}

export function oidcProviderArn(partition: string, account: string, workspace: string): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${issuerHost(workspace)}`;
}

/** `prod-eu` → `ProdEu`. */
export function pascal(value: string): string {
  return value
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

export function deployRoleLogicalId(environmentName: string): string {
  return `DeployRole${pascal(environmentName)}`;
}

export const OIDC_PROVIDER_LOGICAL_ID = 'BitbucketOidcProvider';

/** Construct ID of the OIDC stack of one account: what `cdk deploy` selects. */
export function oidcStackId(account: string): string {
  return `BitbucketOidc-${account}`;
}

/** CloudFormation stack name: unique per project and account. */
export function oidcStackName(projectName: string, repositoryUuid: string): string {
  return `bitbucket-oidc-${slug(projectName).slice(0, 80)}-${repositoryTag(repositoryUuid)}`;
}

/** Folder (under the project's srcdir) of the generated OIDC stack source. */
export const OIDC_SOURCE_DIR = 'bitbucket-oidc';

/** Cloud assembly of the OIDC app: apart from the app's `cdk.out`, so the pipeline never deploys it. */
export const OIDC_CDK_OUT = 'cdk.oidc.out';

/** SSM parameter `cdk bootstrap` writes its version to: read by the CLI (and previews) before deploying. */
export function bootstrapVersionParameter(qualifier: string): string {
  return `/cdk-bootstrap/${qualifier}/version`;
}

export function bootstrapVersionParameterArn(partition: string, account: string, region: string, qualifier: string): string {
  return `arn:${partition}:ssm:${region}:${account}:parameter${bootstrapVersionParameter(qualifier)}`;
}

/**
 * The stacks of one environment's CDK stage: CDK names them `<stage>-<id>`
 * (stage = environment name), unless the app sets `stackName`.
 */
export function stageStackArnPattern(partition: string, account: string, region: string, environmentName: string): string {
  return `arn:${partition}:cloudformation:${region}:${account}:stack/${environmentName}-*/*`;
}

/** The four bootstrap role ARNs of one environment, in `BOOTSTRAP_ROLE_KINDS` order. */
export function bootstrapRoleArns(partition: string, account: string, region: string, qualifier: string): string[] {
  return BOOTSTRAP_ROLE_KINDS.map((kind) => bootstrapRoleArn(partition, account, region, qualifier, kind));
}

/**
 * Stack tag that marks a stack as this app's: the read-only role may read
 * (and drift-check) only stacks carrying it with this app's value, so an
 * account shared with other teams' `<env>-*` stacks, or an environment named
 * like another project's stacks, exposes nothing else. Tag keys and values
 * allow letters, digits, spaces and `_.:/=+-@`: no braces.
 */
export const APP_TAG_KEY = 'bitbucket-cdk:app';

/** `<repository UUID>/<project>`: unique per app, also for several apps in one repository. */
export function appTagValue(projectName: string, repositoryUuid: string): string {
  return `${repositoryUuid}/${slug(projectName)}`.slice(0, 256);
}
