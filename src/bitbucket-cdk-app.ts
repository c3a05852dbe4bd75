import { awscdk, javascript } from 'projen';
import { DeployEnvironmentsFile } from './app/deploy-environments-file';
import { DeployTasks } from './app/deploy-tasks';
import { GenericTasks } from './app/generic-tasks';
import { PresetVersionCheck } from './app/preset-version-check';
import { PreviewTasks } from './app/preview-tasks';
import { projectReadme } from './app/project-readme';
import { ProjenrcExamples } from './app/projenrc-examples';
import { SampleApp } from './app/sample-app';
import { BitbucketCdkAppOptions } from './bitbucket-cdk-app-options';
import { FirstRunNotice } from './core/first-run-notice';
import { APP_TAG_KEY, appTagValue } from './core/naming';
import { NodeVersionNotice } from './core/node-version-notice';
import { BitbucketOidcDoctor } from './diagnostics/bitbucket-oidc-doctor';
import { EnvironmentLifecycle } from './lifecycle/environment-lifecycle';
import { BitbucketOidc } from './oidc/bitbucket-oidc';
import { OidcProviderApp } from './oidc/oidc-provider-app';
import { listedProviderAccounts } from './oidc/oidc-provider-config';
import type { OidcTrustOptions } from './oidc/oidc-trust-options';
import { BitbucketPipelines } from './pipeline/bitbucket-pipelines';
import { UpgradePipeline } from './pipeline/upgrade-pipeline';
import { ResolvedSettings } from './settings';
import { normaliseCreationArgs } from './validation/creation-args';
import { resolveSettings } from './validation/resolve-settings';
import { DEFAULT_BOOTSTRAP_QUALIFIER, DEFAULT_CDK_CLI_VERSION, DEFAULT_CDK_VERSION } from './versions';

/**
 * An AWS CDK app deployed from Bitbucket Pipelines with OIDC: every
 * `npx projen` regenerates, from the same options, the OIDC trust stack
 * (`src/bitbucket-oidc/`), `bitbucket-pipelines.yml` and the
 * `deploy:<env>` / `diff:<env>` / `bitbucket:oidc:*` tasks.
 *
 * Platform teams extend it with their defaults (docs/platform-teams.md): the
 * subclass fills options before `super()` and adds steps through the public
 * components after it. There are no overridable hooks called from this
 * constructor on purpose: a subclass's fields are not initialised yet when a
 * base constructor runs, in TypeScript and in every jsii language.
 *
 * @pjid bitbucket-cdk-app
 */
export class BitbucketCdkApp extends awscdk.AwsCdkTypeScriptApp {
  /** The validated, normalised settings every component works from. */
  public readonly settings: ResolvedSettings;
  /** `deploy:<env>` and `diff:<env>` tasks. */
  public readonly deployTasks: DeployTasks;
  /** `preview:<env>` and `drift:<env>` tasks (each only when `pullRequestPreview` or `driftDetection` is on). */
  public readonly previewTasks: PreviewTasks;
  /** The generated OIDC stack source and its tasks. */
  public readonly oidc: BitbucketOidc;
  /**
   * The workspace's identity provider alone, one stack per account of
   * `oidcProviderExistsInAccounts`, for the platform team to create once per
   * account (`bitbucket:oidc:provider:deploy`); undefined when none is listed.
   */
  public readonly oidcProvider?: OidcProviderApp;
  /** The record of this generation and what changed in AWS since the previous one (`.projen/bitbucket-cdk-generation.json`). */
  public readonly lifecycle: EnvironmentLifecycle;
  /** Explains OIDC and role mismatches: `.projen/bitbucket-oidc-doctor.js`, `bitbucket:oidc:doctor`, the deploy steps' after-script. */
  public readonly doctor: BitbucketOidcDoctor;
  /** The managed `bitbucket-pipelines.yml`. */
  public readonly pipelines: BitbucketPipelines;
  /** The generated `src/deploy-environments.ts` that the app's code reads. */
  public readonly environmentsFile: DeployEnvironmentsFile;
  /**
   * The custom pipeline `upgrade-dependencies`; undefined when
   * `upgradePipeline` is false or the project has no upgrade task.
   */
  public readonly upgradePipeline?: UpgradePipeline;

  constructor(options: BitbucketCdkAppOptions) {
    // Everything is validated before projen builds anything, so bad options write nothing.
    const opts = normaliseCreationArgs(options);
    const settings = resolveSettings(opts);
    super({
      ...opts,
      name: settings.projectName,
      defaultReleaseBranch: settings.mainBranch,
      cdkVersion: opts.cdkVersion ?? DEFAULT_CDK_VERSION,
      cdkCliVersion: opts.cdkCliVersion ?? DEFAULT_CDK_CLI_VERSION,
      // The app's stacks must use the same bootstrap roles the deploy roles may assume.
      context: settings.bootstrapQualifier === DEFAULT_BOOTSTRAP_QUALIFIER
        ? opts.context
        : { ...opts.context, '@aws-cdk/core:bootstrapQualifier': settings.bootstrapQualifier },
      // Not options of BitbucketCdkAppOptions (omitted from the struct): the pipeline installs with npm ci.
      packageManager: javascript.NodePackageManager.NPM,
      projenrcTs: opts.projenrcTs ?? true,
      // Bitbucket, not GitHub: no workflows, mergify or PR template (options omitted from the struct).
      github: false,
      pullRequestTemplate: false,
      jestOptions: {
        ...opts.jestOptions,
        // CI must fail on a snapshot mismatch, not rewrite it; `npx projen test:update` updates.
        updateSnapshot: opts.jestOptions?.updateSnapshot ?? javascript.UpdateSnapshot.NEVER,
      },
      sampleCode: false,
      // Written once, when the project is created (a sample file): what this repository deploys where and how.
      readme: opts.readme ?? { contents: projectReadme(settings, { projectType: new.target.name }) },
    });
    for (const warning of settings.warnings) {
      this.logger.warn(`BitbucketCdkApp: ${warning}`);
    }
    new FirstRunNotice(this, { mainBranch: settings.mainBranch });
    new NodeVersionNotice(this);
    new ProjenrcExamples(this);
    // A run whose install brings a new preset (or this package) generated with the old one: say so, fail.
    new PresetVersionCheck(this);
    // Reads the previous generation's record: what this change leaves in AWS, and renamed OIDC stacks' providers.
    this.lifecycle = new EnvironmentLifecycle(this, {
      projectName: settings.projectName,
      workspace: settings.workspace,
      repositoryUuid: settings.repositoryUuid,
      bootstrapQualifier: settings.bootstrapQualifier,
      managedPolicies: settings.managedPolicies,
      permissionsBoundary: settings.permissionsBoundary,
      maxSessionHours: settings.maxSessionHours,
      environments: settings.environments,
      oidcAccounts: settings.oidcAccounts,
      previewRoleName: settings.previewRoleName,
      driftDetection: settings.driftDetection,
    });
    // The OIDC stacks are generated with the providers of renamed stacks imported.
    this.settings = this.lifecycle.oidcAccounts === settings.oidcAccounts ? settings : { ...settings, oidcAccounts: this.lifecycle.oidcAccounts };

    this.environmentsFile = new DeployEnvironmentsFile(this, {
      environments: settings.environments,
      // Always: turning previews on later then needs no redeployment of the app.
      stackTags: { [APP_TAG_KEY]: appTagValue(settings.projectName, settings.repositoryUuid) },
      warnWhenUntagged: settings.previewRoleName !== undefined,
    });
    if (opts.sampleCode ?? true) {
      new SampleApp(this, { environmentsModule: this.environmentsFile.path });
    }
    this.deployTasks = new DeployTasks(this, { environments: settings.environments });
    this.previewTasks = new PreviewTasks(this, {
      environments: settings.environments,
      pullRequestPreview: settings.pullRequestPreview,
      driftDetection: settings.driftDetection,
      bootstrapQualifier: settings.bootstrapQualifier,
    });
    // projen's whole-app deploy/diff/destroy/watch, made right for one stage per environment.
    new GenericTasks(this, { deployTasks: this.deployTasks });
    // The repository's OIDC stacks and the workspace provider's stacks share one trust.
    const trust: OidcTrustOptions = {
      projectName: settings.projectName,
      workspace: settings.workspace,
      issuerUrl: settings.issuerUrl,
      issuerHost: settings.issuerHost,
      audience: settings.audience,
      repositoryUuid: settings.repositoryUuid,
      environments: settings.environments,
      oidcAccounts: this.settings.oidcAccounts,
      oidcThumbprints: settings.oidcThumbprints,
      bootstrapQualifier: settings.bootstrapQualifier,
      maxSessionHours: settings.maxSessionHours,
    };
    this.oidc = new BitbucketOidc(this, {
      ...trust,
      managedPolicies: settings.managedPolicies,
      permissionsBoundary: settings.permissionsBoundary,
      previewRoleName: settings.previewRoleName,
      driftDetection: settings.driftDetection,
    });
    const providerAccounts = listedProviderAccounts(opts.oidcProviderExistsInAccounts);
    if (providerAccounts.length > 0) {
      this.oidcProvider = new OidcProviderApp(this, { ...trust, accounts: providerAccounts });
    }
    this.doctor = new BitbucketOidcDoctor(this, {
      projectName: settings.projectName,
      workspace: settings.workspace,
      workspaceUuid: settings.workspaceUuid,
      repositoryUuid: settings.repositoryUuid,
      issuerUrl: settings.issuerUrl,
      audience: settings.audience,
      mainBranch: settings.mainBranch,
      environments: settings.environments,
    });
    this.pipelines = new BitbucketPipelines(this, {
      environments: settings.environments,
      deployTasks: this.deployTasks,
      diagnostics: this.doctor,
      cdkCliVersion: settings.cdkCliVersion,
      cdkCliIntegrity: settings.cdkCliIntegrity,
      mainBranch: settings.mainBranch,
      image: settings.pipelineImage,
      pullRequestPipeline: settings.pullRequestPipeline,
      pullRequestPreview: settings.pullRequestPreview,
      pullRequestPreviewFailsOnStatefulRisk: settings.pullRequestPreviewFailsOnStatefulRisk,
      driftDetection: settings.driftDetection,
      buildStepSize: settings.pipelineStepSize,
      buildStepMaxTime: settings.pipelineMaxTime,
      deployStepSize: settings.deployStepSize,
      deployStepMaxTime: settings.deployStepMaxTime,
      allowExecutableAssets: settings.allowExecutableAssets,
      allowDockerBuildOptions: settings.allowDockerBuildOptions,
      dockerImageAssets: settings.dockerImageAssets,
    });
    this.upgradePipeline = this.addUpgradePipeline(opts.upgradePipeline, settings);
  }

  /** projen's upgrade task exists only with `depsUpgrade` (on by default; validation refuses asking for both off and on). */
  private addUpgradePipeline(wanted: boolean | undefined, settings: ResolvedSettings): UpgradePipeline | undefined {
    const upgradeTask = this.upgradeWorkflow?.upgradeTask;
    if (!upgradeTask) return undefined;
    // Locally too, `npx projen upgrade` must run the locked npm-check-updates, not the registry's latest.
    UpgradePipeline.lockUpgradeTool(this);
    // The preset too, to its next minor version on 0.x: projen's own pass leaves it behind.
    UpgradePipeline.upgradePresets(this);
    if (wanted === false) return undefined;
    return new UpgradePipeline(this, {
      pipelines: this.pipelines,
      upgradeTask,
      mainBranch: settings.mainBranch,
      pullRequestPipeline: settings.pullRequestPipeline,
      stepSize: settings.pipelineStepSize,
      stepMaxTime: settings.pipelineMaxTime,
    });
  }
}
