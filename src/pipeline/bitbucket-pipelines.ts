import { Component, YamlFile } from 'projen';
import type { awscdk } from 'projen';
import { buildStepScript } from './build-step-script';
import { StepSize, StepTrigger } from './configuration-model';
import type { CustomPipeline, PipelineCache, PipelineItem, PipelineStep, PipelinesConfiguration } from './configuration-model';
import { renderConfiguration } from './configuration-render';
import { DeployPreflight } from './deploy-preflight';
import { DEPLOY_TMP, deployStepScript } from './deploy-step-script';
import { lintConfiguration, PipelineLintError } from './pipeline-lints';
import { DeployAction } from '../app/deploy-tasks';
import type { DeployTasks } from '../app/deploy-tasks';
import type { BitbucketOidcDoctor } from '../diagnostics/bitbucket-oidc-doctor';
import type { ResolvedDeployEnvironment, ResolvedSettings } from '../settings';

/** Options of `BitbucketPipelines`. */
export interface BitbucketPipelinesOptions {
  /** Validated settings: image, step size and time, branches, environments. */
  readonly settings: ResolvedSettings;
  /** The `deploy:<env>` tasks whose CDK arguments the deploy steps run. */
  readonly deployTasks: DeployTasks;
  /**
   * Runs this doctor in each deploy step's `after-script` when the step
   * failed, to explain an OIDC or role mismatch the CDK CLI would only
   * report as missing credentials.
   * @default - no after-script
   */
  readonly diagnostics?: BitbucketOidcDoctor;
}

/**
 * The managed `bitbucket-pipelines.yml`: pull requests build, test, synth and
 * fail on stale generated files; the main branch installs and synthesises
 * once, passes `cdk.out` on as an artifact and deploys each environment in
 * its own OIDC step. Linted at synth time against Bitbucket rules the schema
 * misses; a failing lint writes no file at all.
 */
export class BitbucketPipelines extends Component {
  /** Path of the file, relative to the project root. */
  public static readonly FILE_PATH = 'bitbucket-pipelines.yml';
  /** Name of the npm cache keyed on `package-lock.json`. */
  public static readonly NPM_CACHE = 'npm';
  /**
   * What the npm cache holds: npm's content-addressed store, whose entries npm
   * checks against their integrity on every read. Not all of `~/.npm`: its
   * `_npx` folder holds installed packages that `npx` would run unverified,
   * so a branch pipeline that saved the cache first could plant code there.
   */
  public static readonly NPM_CACHE_PATH = '~/.npm/_cacache';

  /**
   * The concurrency group of an environment's deploy step: one per
   * environment (names are unique without case), at most 39 characters.
   * @param env the environment
   */
  public static concurrencyGroup(env: ResolvedDeployEnvironment): string {
    return `deploy-${env.name.toLowerCase()}`;
  }

  /** The YAML file; `addOverride` here bypasses the model and its lints. */
  public readonly file: YamlFile;
  /** Artifact glob of the synthesised assembly, which the build step passes to the deploy steps. */
  public readonly assemblyArtifact: string;
  /** The deploy steps' pre-flight script (`.projen/bitbucket-deploy-preflight.js`). */
  public readonly preflight: DeployPreflight;

  private readonly settings: ResolvedSettings;
  private readonly cdkout: string;
  private readonly deployTasks: DeployTasks;
  private readonly diagnostics?: BitbucketOidcDoctor;
  private readonly stepsBeforeDeploy: PipelineStep[] = [];
  private readonly stepsAfterDeploy: PipelineStep[] = [];
  private readonly pullRequestSteps: PipelineStep[] = [];
  private readonly customPipelines: { [name: string]: CustomPipeline } = {};
  private readonly caches: { [name: string]: PipelineCache } = {};

  constructor(project: awscdk.AwsCdkTypeScriptApp, options: BitbucketPipelinesOptions) {
    super(project);
    this.settings = options.settings;
    this.deployTasks = options.deployTasks;
    this.diagnostics = options.diagnostics;
    this.cdkout = project.cdkConfig.cdkout;
    this.assemblyArtifact = `${this.cdkout}/**`;
    this.preflight = new DeployPreflight(project, { allowExecutableAssets: options.settings.allowExecutableAssets });
    this.caches[BitbucketPipelines.NPM_CACHE] = { keyFiles: ['package-lock.json'], path: BitbucketPipelines.NPM_CACHE_PATH };
    // Rendered lazily, so that steps added after construction are included.
    this.file = new YamlFile(project, BitbucketPipelines.FILE_PATH, {
      obj: () => renderConfiguration(this.configuration()),
      readonly: true,
      committed: true,
    });
  }

  /** Adds steps to the main-branch pipeline after the build, before the first deploy. */
  public addStepsBeforeDeploy(...steps: PipelineStep[]): void {
    this.stepsBeforeDeploy.push(...steps);
  }

  /** Adds steps to the main-branch pipeline after the last deploy. */
  public addStepsAfterDeploy(...steps: PipelineStep[]): void {
    this.stepsAfterDeploy.push(...steps);
  }

  /**
   * Adds steps to the pull-request pipeline, after the build.
   * Has no effect when `pullRequestPipeline` is false.
   */
  public addPullRequestSteps(...steps: PipelineStep[]): void {
    this.pullRequestSteps.push(...steps);
  }

  /**
   * Adds a pipeline run by hand or on a schedule (`pipelines.custom.<name>`).
   * @param name name shown in "Run pipeline"; written as given
   * @param pipeline its items and variables
   */
  public addCustomPipeline(name: string, pipeline: CustomPipeline): void {
    if (this.customPipelines[name]) {
      throw new Error(`BitbucketPipelines: a custom pipeline named ${JSON.stringify(name)} already exists`);
    }
    this.customPipelines[name] = pipeline;
  }

  /**
   * Defines a custom cache that steps can list in `caches`.
   * @param name cache name; written as given
   * @param cache path and key files
   */
  public addCache(name: string, cache: PipelineCache): void {
    this.caches[name] = cache;
  }

  /** The whole file as a typed model: what is rendered and linted. */
  public configuration(): PipelinesConfiguration {
    const s = this.settings;
    const branchItems: PipelineItem[] = [
      { step: this.buildStep('Build, test and synthesise', true) },
      ...this.stepsBeforeDeploy.map((step) => ({ step })),
      ...s.environments.map((env) => ({ step: this.deployStep(env) })),
      ...this.stepsAfterDeploy.map((step) => ({ step })),
    ];
    const pullRequestItems: PipelineItem[] = [
      { step: this.buildStep('Build, test and synthesise (pull request)', false) },
      ...this.pullRequestSteps.map((step) => ({ step })),
    ];
    return {
      image: { name: s.pipelineImage },
      definitions: { caches: { ...this.caches } },
      pipelines: {
        branches: { [s.mainBranch]: branchItems },
        pullRequests: s.pullRequestPipeline ? { '**': pullRequestItems } : undefined,
        custom: Object.keys(this.customPipelines).length > 0 ? { ...this.customPipelines } : undefined,
      },
    };
  }

  /**
   * The deploy step of one environment: checks the `cdk.out` artifact and
   * installs the CDK CLI as locked in package-lock.json (the pre-flight),
   * assumes the environment's deploy role with the step's OIDC token and
   * nothing else, and runs the `deploy:<env>` task's CDK arguments (no
   * project install, no synth). Steps of one environment queue in its
   * concurrency group instead of pausing at the deployment lock.
   */
  public deployStep(env: ResolvedDeployEnvironment): PipelineStep {
    return {
      name: `Deploy ${env.name}`,
      deployment: env.bitbucketDeployment,
      concurrencyGroup: BitbucketPipelines.concurrencyGroup(env),
      oidc: true,
      trigger: env.manualApproval ? StepTrigger.MANUAL : undefined,
      size: this.settings.deployStepSize as StepSize,
      maxTime: this.settings.deployStepMaxTime,
      script: deployStepScript({
        environmentName: env.name,
        region: env.region,
        roleArn: env.deployRoleArn,
        preflight: this.preflight.command({
          environmentName: env.name,
          assembly: this.cdkout,
          cliVersion: this.settings.cdkCliVersion,
          installInto: DEPLOY_TMP,
        }),
        command: this.deployCommand(env),
      }),
      afterScript: this.diagnostics?.afterScript(env.name, this.cdkout),
    };
  }

  /** `node <the CLI the pre-flight installed> <the deploy:<env> task's arguments>`. */
  public deployCommand(env: ResolvedDeployEnvironment): string {
    return ['node', `${DEPLOY_TMP}/${DeployPreflight.CLI_ENTRY_POINT}`, ...this.deployTasks.cdkArguments(DeployAction.DEPLOY, env)].join(' ');
  }

  /** Refuses, before projen deletes or writes any file, a pipeline Bitbucket or AWS would reject. */
  public preSynthesize(): void {
    const problems = lintConfiguration(this.configuration(), (name) => this.project.tasks.tryFind(name) !== undefined);
    if (problems.length > 0) {
      throw new PipelineLintError(problems);
    }
  }

  private buildStep(name: string, publishAssembly: boolean): PipelineStep {
    return {
      name,
      size: this.stepSize,
      maxTime: this.settings.pipelineMaxTime,
      caches: [BitbucketPipelines.NPM_CACHE],
      script: buildStepScript(),
      artifacts: publishAssembly ? { paths: [this.assemblyArtifact] } : undefined,
    };
  }

  /** Settings hold a validated string; the model wants the enum. */
  private get stepSize(): StepSize {
    return this.settings.pipelineStepSize as StepSize;
  }
}
