import { awscdk, javascript } from 'projen';
import { DeployEnvironmentsFile } from './app/deploy-environments-file';
import { DeployTasks } from './app/deploy-tasks';
import { SampleApp } from './app/sample-app';
import { BitbucketCdkAppOptions } from './bitbucket-cdk-app-options';
import { BitbucketOidc } from './oidc/bitbucket-oidc';
import { BitbucketPipelines } from './pipeline/bitbucket-pipelines';
import { ResolvedSettings } from './settings';
import { normaliseCreationArgs } from './validation/creation-args';
import { resolveSettings } from './validation/resolve-settings';
import { DEFAULT_CDK_CLI_VERSION, DEFAULT_CDK_VERSION } from './versions';

/**
 * An AWS CDK app deployed from Bitbucket Pipelines with OIDC: every
 * `npx projen` regenerates, from the same options, the OIDC trust stack
 * (`src/bitbucket-oidc/`), `bitbucket-pipelines.yml` and the
 * `deploy:<env>` / `diff:<env>` / `bitbucket:oidc:*` tasks.
 *
 * @pjid bitbucket-cdk-app
 */
export class BitbucketCdkApp extends awscdk.AwsCdkTypeScriptApp {
  /** The validated, normalised settings every component works from. */
  public readonly settings: ResolvedSettings;
  /** `deploy:<env>` and `diff:<env>` tasks. */
  public readonly deployTasks: DeployTasks;
  /** The generated OIDC stack source and its tasks. */
  public readonly oidc: BitbucketOidc;
  /** The managed `bitbucket-pipelines.yml`. */
  public readonly pipelines: BitbucketPipelines;

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
      packageManager: opts.packageManager ?? javascript.NodePackageManager.NPM,
      projenrcTs: opts.projenrcTs ?? true,
      // Bitbucket, not GitHub: no workflows, mergify or PR template.
      github: opts.github ?? false,
      pullRequestTemplate: opts.pullRequestTemplate ?? false,
      jestOptions: {
        ...opts.jestOptions,
        // CI must fail on a snapshot mismatch, not rewrite it; `npx projen test:update` updates.
        updateSnapshot: opts.jestOptions?.updateSnapshot ?? javascript.UpdateSnapshot.NEVER,
      },
      sampleCode: false,
    });
    this.settings = settings;
    for (const warning of settings.warnings) {
      this.logger.warn(`BitbucketCdkApp: ${warning}`);
    }

    const environmentsFile = new DeployEnvironmentsFile(this, settings.environments);
    if (opts.sampleCode ?? true) {
      new SampleApp(this, environmentsFile.path);
    }
    this.deployTasks = new DeployTasks(this, settings.environments);
    this.oidc = new BitbucketOidc(this, settings);
    this.pipelines = new BitbucketPipelines(this, { settings, deployTasks: this.deployTasks });
  }
}
