import * as path from 'path';
import { resolveAccounts } from './accounts';
import { resolveCliIntegrity } from './cli-integrity';
import { resolveEnvironments } from './environments';
import { WHERE } from './input';
import { optional, parseList, required } from './option-readers';
import { Problems } from './problems';
import { warnSharedAccounts } from './shared-accounts';
import * as parse from './values';
import type { BitbucketCdkAppOptions } from '../bitbucket-cdk-app-options';
import * as naming from '../core/naming';
import { StepSize } from '../pipeline/configuration-model';
import type { ResolvedSettings } from '../settings';
import { DEFAULT_BOOTSTRAP_QUALIFIER, DEFAULT_CDK_CLI_VERSION, DEFAULT_NODE_MAJOR } from '../versions';

/**
 * Validates and normalises the options this package adds (and the inherited
 * ones it relies on). Collects every problem and throws one
 * `BitbucketCdkOptionsError` listing them all; runs before the project
 * exists, so a bad option writes nothing.
 */
export function resolveSettings(options: BitbucketCdkAppOptions): ResolvedSettings {
  const p = new Problems();
  const o = options as unknown as Record<string, unknown>;

  const workspace = required(p, o, 'bitbucketWorkspace', 'Give the workspace ID, the first part of bitbucket.org/<workspace>/<repository>.', (opt, v) => parse.workspaceSlug(opt, v, p));
  const workspaceUuid = required(p, o, 'bitbucketWorkspaceUuid', `Copy it from ${WHERE.oidc} (the UUID in Audience).`, (opt, v) => parse.uuid(opt, v, p, 'workspace'));
  const repositoryUuid = required(p, o, 'bitbucketRepositoryUuid', `Copy it from ${WHERE.oidc} (Repository UUID).`, (opt, v) => parse.uuid(opt, v, p, 'repository'));
  if (workspaceUuid && repositoryUuid && workspaceUuid === repositoryUuid) {
    p.error('bitbucketRepositoryUuid', o.bitbucketRepositoryUuid, `Equals bitbucketWorkspaceUuid. ${WHERE.oidc} shows the workspace UUID in Audience and the repository UUID separately: copy "Repository UUID".`);
  }

  const projectName = resolveProjectName(p, options);
  const mainBranch = optional(o, 'defaultReleaseBranch', (opt, v) => parse.branchName(opt, v, p)) ?? 'main';
  const environments = resolveEnvironments(p, o, { projectName, workspaceUuid, repositoryUuid });
  const oidcAccounts = resolveAccounts(p, o.oidcProviderExistsInAccounts, environments, {
    projectName, workspace: workspace ?? '', repositoryUuid: repositoryUuid ?? '',
  });

  const thumbprints = parseList(p, 'oidcThumbprints', o.oidcThumbprints, (opt, v) => parse.thumbprint(opt, v, p));
  if (thumbprints.length > 5) p.error('oidcThumbprints', o.oidcThumbprints, `An OIDC provider holds at most 5 thumbprints; this has ${thumbprints.length}.`);
  const managedPolicies = parseList(p, 'deployRoleManagedPolicies', o.deployRoleManagedPolicies, (opt, v) => parse.managedPolicyName(opt, v, p, 'aws'));
  if (managedPolicies.includes('AdministratorAccess')) {
    p.warn('deployRoleManagedPolicies', 'AdministratorAccess lets every deploy role, and so every pipeline step that can assume one, do anything in its account. `cdk deploy` needs only the CDK bootstrap roles, which the deploy roles may assume anyway.');
  }

  // The pipeline installs with `npm ci` and caches on package-lock.json.
  if (o.packageManager !== undefined && o.packageManager !== 'npm') {
    p.error('packageManager', o.packageManager, 'Only npm is supported: the generated pipeline installs with `npm ci` and keys its cache on package-lock.json. Remove packageManager (npm is the default).');
  }

  const upgradePipeline = optional(o, 'upgradePipeline', (opt, v) => parse.flag(opt, v, p));
  if (upgradePipeline === true && o.depsUpgrade === false) {
    p.error('upgradePipeline', true, 'The upgrade pipeline runs projen\'s upgrade task, which depsUpgrade: false removes. Set depsUpgrade: true, or upgradePipeline: false.');
  }

  const pullRequestPipeline = optional(o, 'pullRequestPipeline', (opt, v) => parse.flag(opt, v, p)) ?? true;
  const previewWanted = optional(o, 'pullRequestPreview', (opt, v) => parse.flag(opt, v, p));
  if (previewWanted === true && !pullRequestPipeline) {
    p.error('pullRequestPreview', true, 'Previews run in the pull-request pipeline, which pullRequestPipeline: false removes. Set pullRequestPipeline: true, or pullRequestPreview: false.');
  }
  const pullRequestPreview = (previewWanted ?? true) && pullRequestPipeline;
  const failsOnStatefulRisk = optional(o, 'pullRequestPreviewFailsOnStatefulRisk', (opt, v) => parse.flag(opt, v, p)) ?? false;
  if (failsOnStatefulRisk && !pullRequestPreview) {
    const off = pullRequestPipeline ? 'pullRequestPreview' : 'pullRequestPipeline';
    p.error('pullRequestPreviewFailsOnStatefulRisk', true, `It fails the preview steps of the pull-request pipeline, which ${off}: false removes. Set ${off}: true, or remove pullRequestPreviewFailsOnStatefulRisk.`);
  }
  const driftDetection = optional(o, 'driftDetection', (opt, v) => parse.flag(opt, v, p)) ?? true;
  const previewRoleName = pullRequestPreview || driftDetection ? naming.previewRoleName(projectName, repositoryUuid ?? '') : undefined;
  const withPreviewRoles = previewRoleName
    ? environments.map((e) => ({ ...e, previewRoleArn: naming.roleArn(e.partition, e.account, previewRoleName) }))
    : environments;

  const cdkCliVersion = optional(o, 'cdkCliVersion', (opt, v) => parse.npmVersion(opt, v, p)) ?? DEFAULT_CDK_CLI_VERSION;

  const settings: ResolvedSettings = {
    projectName,
    workspace: workspace ?? '',
    workspaceUuid: workspaceUuid ?? '',
    repositoryUuid: repositoryUuid ?? '',
    issuerUrl: naming.issuerUrl(workspace ?? ''),
    issuerHost: naming.issuerHost(workspace ?? ''),
    audience: naming.audience(workspaceUuid ?? ''),
    environments: withPreviewRoles,
    oidcAccounts,
    oidcThumbprints: thumbprints,
    bootstrapQualifier: optional(o, 'cdkBootstrapQualifier', (opt, v) => parse.bootstrapQualifier(opt, v, p)) ?? DEFAULT_BOOTSTRAP_QUALIFIER,
    managedPolicies,
    permissionsBoundary: optional(o, 'deployRolePermissionsBoundary', (opt, v) => parse.managedPolicyName(opt, v, p, 'customer')),
    maxSessionHours: optional(o, 'deployRoleMaxSessionHours', (opt, v) => parse.sessionHours(opt, v, p)) ?? 1,
    cdkCliVersion,
    cdkCliIntegrity: resolveCliIntegrity(p, o, cdkCliVersion),
    pipelineImage: optional(o, 'pipelineImage', (opt, v) => parse.dockerImage(opt, v, p)) ?? `node:${nodeMajor(options.workflowNodeVersion)}`,
    pipelineStepSize: optional(o, 'pipelineStepSize', (opt, v) => parse.stepSize(opt, v, p)) ?? StepSize.SIZE_2X,
    pipelineMaxTime: optional(o, 'pipelineMaxTime', (opt, v) => parse.maxTime(opt, v, p)) ?? 30,
    deployStepSize: optional(o, 'deployStepSize', (opt, v) => parse.stepSize(opt, v, p)) ?? DEFAULT_DEPLOY_STEP_SIZE,
    deployStepMaxTime: optional(o, 'deployStepMaxTime', (opt, v) => parse.maxTime(opt, v, p)) ?? DEFAULT_DEPLOY_STEP_MAX_TIME,
    allowExecutableAssets: optional(o, 'allowExecutableAssets', (opt, v) => parse.flag(opt, v, p)) ?? false,
    allowDockerBuildOptions: optional(o, 'allowDockerBuildOptions', (opt, v) => parse.flag(opt, v, p)) ?? false,
    dockerImageAssets: optional(o, 'dockerImageAssets', (opt, v) => parse.flag(opt, v, p, DOCKER_IMAGE_ASSETS)) ?? false,
    pullRequestPipeline,
    pullRequestPreview,
    pullRequestPreviewFailsOnStatefulRisk: failsOnStatefulRisk && pullRequestPreview,
    driftDetection,
    previewRoleName,
    mainBranch,
    warnings: p.warnings,
  };
  warnSharedAccounts(p, environments, settings.bootstrapQualifier);
  p.throwIfAny();
  return settings;
}

const DOCKER_IMAGE_ASSETS = 'true gives every deploy step Bitbucket\'s docker service (with the memory its deployStepSize leaves beside the build container: 3072 MB on 1x, 7168 MB on 2x), so cdk deploy can build and push Docker image assets (ContainerImage.fromAsset, DockerImageFunction); false leaves it out.';

/** Deploy steps only run the CDK CLI: Bitbucket's smallest size is plenty. */
const DEFAULT_DEPLOY_STEP_SIZE = StepSize.SIZE_1X;
/**
 * Bitbucket's own default: CloudFormation updates of RDS instances or
 * CloudFront distributions can take half an hour or more, and a rollback as
 * long again; a step killed half-way leaves the pipeline red while
 * CloudFormation goes on. Minutes are billed as used, so the limit costs
 * nothing unless a step hangs.
 */
const DEFAULT_DEPLOY_STEP_MAX_TIME = 120;

/** `name`, else the folder name: it becomes part of role and stack names. */
function resolveProjectName(p: Problems, options: BitbucketCdkAppOptions): string {
  const given = typeof options.name === 'string' && options.name.trim() !== '';
  const name = given ? options.name!.trim() : path.basename(path.resolve(options.outdir ?? '.'));
  if (naming.slug(name) === '') {
    p.error(given ? 'name' : 'outdir', given ? options.name : options.outdir, 'The project name needs at least one letter or digit: it becomes part of the deploy role and OIDC stack names.');
  }
  return name;
}

function nodeMajor(version?: string): string {
  const m = version ? /^\D*(\d+)/.exec(version) : null;
  return m ? m[1] : DEFAULT_NODE_MAJOR;
}
