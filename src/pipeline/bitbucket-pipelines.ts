import { Component } from 'projen';
import type { awscdk, YamlFile } from 'projen';
import { serviceMemoryLimit } from './bitbucket-limits';
import { BitbucketPipelinesFile } from './bitbucket-pipelines-file';
import { buildStepScript, OIDC_SYNTH_COMMAND, synthStepScript } from './build-step-script';
import { StepSize, StepTrigger } from './configuration-model';
import type { CustomPipeline, PipelineCache, PipelineStep, PipelinesConfiguration } from './configuration-model';
import { DeployPreflight } from './deploy-preflight';
import { withNpxDownloadsRefused } from './npx-policy';
import { OidcStepAction, OidcStepRunner } from './oidc-step-runner';
import type { PipelineSequence } from './pipeline-sequence';
import { addPerEnvironment, driftStep, previewStep } from './read-role-steps';
import { shellQuote } from './shell';
import { DeployAction } from '../app/deploy-tasks';
import type { DeployTasks } from '../app/deploy-tasks';
import { OIDC_CDK_OUT } from '../core/naming';
import type { BitbucketOidcDoctor } from '../diagnostics/bitbucket-oidc-doctor';
import { OidcReviewedDeploy } from '../oidc/oidc-reviewed-deploy';
import { OIDC_TASK_NAMES } from '../oidc/oidc-tasks';
import type { ResolvedDeployEnvironment } from '../settings';

/** Options of `BitbucketPipelines`. */
export interface BitbucketPipelinesOptions {
  /** The environments to deploy, in pipeline order (validated: see `ResolvedDeployEnvironment`). */
  readonly environments: ResolvedDeployEnvironment[];
  /** The `deploy:<env>` tasks whose CDK arguments the deploy steps run. */
  readonly deployTasks: DeployTasks;
  /** The CDK CLI version the deploy steps install, as locked in package-lock.json. */
  readonly cdkCliVersion: string;
  /**
   * Runs this doctor in each deploy step's `after-script` when the step
   * failed, to explain an OIDC or role mismatch the CDK CLI would only
   * report as missing credentials.
   * @default - no after-script
   */
  readonly diagnostics?: BitbucketOidcDoctor;
  /**
   * The branch whose pushes build and deploy.
   * @default "main"
   */
  readonly mainBranch?: string;
  /**
   * Docker image of every step.
   * @default - Bitbucket's default image
   */
  readonly image?: string;
  /**
   * Whether pull requests get a pipeline (build, test, synth, stale-file check).
   * @default true
   */
  readonly pullRequestPipeline?: boolean;
  /**
   * Whether each pull request previews every environment after the build
   * (steps `preview-<env>` running `npx projen preview:<env> --report` with
   * the read-only role of the environment's account, `previewRoleArn`).
   * Needs the `preview:<env>` tasks (`PreviewTasks`). No effect without
   * `pullRequestPipeline`.
   * @default false
   */
  readonly pullRequestPreview?: boolean;
  /**
   * Whether each preview step runs `preview:<env> --report
   * --fail-on-stateful-risk`: the step fails (exit 4) when a stateful
   * resource would (or may) be replaced or deleted, so a merge check on
   * passed builds stops the pull request. No effect without `pullRequestPreview`.
   * @default false
   */
  readonly pullRequestPreviewFailsOnStatefulRisk?: boolean;
  /**
   * Whether the file gets the custom pipeline `drift-detection`: synthesise,
   * then per environment `npx projen drift:<env>` with the read-only role
   * (`previewRoleArn`). Needs the `drift:<env>` tasks (`PreviewTasks`).
   * @default false
   */
  readonly driftDetection?: boolean;
  /**
   * Size of the build steps, and of added steps that set none.
   * @default StepSize.SIZE_2X
   */
  readonly buildStepSize?: StepSize;
  /**
   * Max-time of the build steps, and of added steps that set none, in minutes.
   * @default 30
   */
  readonly buildStepMaxTime?: number;
  /**
   * Size of the deploy steps.
   * @default StepSize.SIZE_1X
   */
  readonly deployStepSize?: StepSize;
  /**
   * Max-time of the deploy steps, in minutes.
   * @default 120
   */
  readonly deployStepMaxTime?: number;
  /**
   * Whether deploy steps let the CDK CLI run `executable` asset sources.
   * @default false
   */
  readonly allowExecutableAssets?: boolean;
  /**
   * Whether deploy steps let Docker image assets use build options that
   * reach the step's machine (secrets, extra contexts, SSH, network mode, outputs).
   * @default false
   */
  readonly allowDockerBuildOptions?: boolean;
  /**
   * sha512 integrity the deploy steps require of the locked CDK CLI.
   * @default - only the lockfile's own integrity is verified
   */
  readonly cdkCliIntegrity?: string;
  /**
   * Give every deploy step Bitbucket's `docker` service, with the memory the
   * deploy step's size leaves beside the build container.
   * @default false
   */
  readonly dockerImageAssets?: boolean;
}

/**
 * The CDK deploy pipeline, on top of `BitbucketPipelinesFile`: pull requests
 * build, test, synth and fail on stale generated files, then (with
 * `pullRequestPreview`) preview each environment with the read-only role,
 * all at once; the main branch installs and synthesises once, passes
 * `cdk.out` on as an artifact and deploys each environment in its own OIDC
 * step, the environments of a wave together in one fail-fast parallel set;
 * the custom pipeline `drift-detection` (with `driftDetection`) checks each
 * environment for drift. Every step has a stable id in `pipelinesFile`, so it
 * can be found and changed there:
 *
 * - main branch: `build`, `deploy-<env>`, `wave-<wave>` (a wave's parallel
 *   set), `start-wave-<wave>` (a manual wave's start);
 * - pull requests: `pull-request-build`, `preview-<env>` in the parallel set
 *   `preview` (a lone step with one environment);
 * - `drift-detection`: `drift-synth`, `drift-<env>` in the parallel set
 *   `drift` (a lone step with one environment).
 */
export class BitbucketPipelines extends Component {
  /** Path of the file, relative to the project root. */
  public static readonly FILE_PATH = BitbucketPipelinesFile.FILE_PATH;
  /** Name of the npm cache keyed on `package-lock.json`. */
  public static readonly NPM_CACHE = 'npm';
  /**
   * What the npm cache holds: npm's content-addressed store, whose entries npm
   * checks against their integrity on every read. Not all of `~/.npm`: its
   * `_npx` folder holds installed packages that `npx` would run unverified,
   * so a branch pipeline that saved the cache first could plant code there.
   */
  public static readonly NPM_CACHE_PATH = '~/.npm/_cacache';
  /** Id of the main branch's build step. */
  public static readonly BUILD_STEP_ID = 'build';
  /** Id of the pull-request pipeline's build step. */
  public static readonly PULL_REQUEST_BUILD_STEP_ID = 'pull-request-build';
  /** Artifact glob of the OIDC trust the pull-request build synthesises: what an administrator reviews and deploys before merging. */
  public static readonly OIDC_ASSEMBLY_ARTIFACT = `${OIDC_CDK_OUT}/**`;
  /** Id of the pull-request pipeline's parallel set of preview steps (with two or more environments). */
  public static readonly PREVIEW_SET_ID = 'preview';
  /** Name of the custom pipeline that checks every environment for drift (chosen in "Run pipeline" and in Schedules). */
  public static readonly DRIFT_PIPELINE_NAME = 'drift-detection';
  /** Id of the drift pipeline's synth step. */
  public static readonly DRIFT_SYNTH_STEP_ID = 'drift-synth';
  /** Id of the drift pipeline's parallel set of drift steps (with two or more environments). */
  public static readonly DRIFT_SET_ID = 'drift';

  /**
   * The concurrency group of an environment's deploy step: one per
   * environment (names are unique without case), at most 39 characters.
   * @param env the environment
   */
  public static concurrencyGroup(env: ResolvedDeployEnvironment): string {
    return `deploy-${env.name.toLowerCase()}`;
  }

  /**
   * Id of an environment's deploy step in `pipelinesFile`.
   * @param environmentName the environment's name
   */
  public static deployStepId(environmentName: string): string {
    return `deploy-${environmentName}`;
  }

  /**
   * Id of an environment's preview step in `pipelinesFile`.
   * @param environmentName the environment's name
   */
  public static previewStepId(environmentName: string): string {
    return `preview-${environmentName}`;
  }

  /**
   * Id of an environment's drift step in `pipelinesFile`.
   * @param environmentName the environment's name
   */
  public static driftStepId(environmentName: string): string {
    return `drift-${environmentName}`;
  }

  /** The typed model of `bitbucket-pipelines.yml` these steps live in. */
  public readonly pipelinesFile: BitbucketPipelinesFile;
  /** The YAML file; `addOverride` here bypasses the model and its lints. */
  public readonly file: YamlFile;
  /** Artifact glob of the synthesised assembly, which the build step passes to the deploy steps. */
  public readonly assemblyArtifact: string;
  /** The deploy steps' pre-flight script (`.projen/bitbucket-deploy-preflight.js`), which the step runner loads. */
  public readonly preflight: DeployPreflight;
  /** The runner of the deploy, preview and drift steps (`.projen/oidc-step.js`). */
  public readonly stepRunner: OidcStepRunner;

  private readonly options: BitbucketPipelinesOptions;
  private readonly cdkout: string;
  private readonly main: PipelineSequence;
  private readonly pullRequests?: PipelineSequence;
  /** Per environment: the id of the item it deploys in (its step, its wave's set, or the wave's manual start). */
  private readonly firstItemOf = new Map<string, string>();
  /** Per environment: the id after which its next "after" step goes. */
  private readonly lastItemAfter = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  constructor(project: awscdk.AwsCdkTypeScriptApp, options: BitbucketPipelinesOptions) {
    super(project);
    this.options = options;
    this.cdkout = project.cdkConfig.cdkout;
    this.assemblyArtifact = `${this.cdkout}/**`;
    this.preflight = new DeployPreflight(project);
    this.stepRunner = new OidcStepRunner(project, {
      assembly: this.cdkout,
      cliVersion: options.cdkCliVersion,
      cliIntegrity: options.cdkCliIntegrity,
      allowExecutableAssets: options.allowExecutableAssets ?? false,
      allowDockerBuildOptions: options.allowDockerBuildOptions ?? false,
    });
    // The administrator's reviewed deploy of a pull request's OIDC artifact installs the CLI as the deploy steps do: same bytes required.
    for (const c of project.components) if (c instanceof OidcReviewedDeploy) c.cliIntegrity = options.cdkCliIntegrity;
    this.pipelinesFile = new BitbucketPipelinesFile(project, { image: options.image ? { name: options.image } : undefined });
    this.file = this.pipelinesFile.file;
    this.pipelinesFile.addCache(BitbucketPipelines.NPM_CACHE, { keyFiles: ['package-lock.json'], path: BitbucketPipelines.NPM_CACHE_PATH });
    if (options.dockerImageAssets) {
      this.pipelinesFile.addService(DOCKER_SERVICE, { memory: serviceMemoryLimit(this.deploySize) });
    }
    this.main = this.pipelinesFile.branchPipeline(options.mainBranch ?? 'main');
    this.main.addStep(BitbucketPipelines.BUILD_STEP_ID, this.buildStep('Build, test and synthesise', [this.assemblyArtifact]));
    this.addDeploySteps(options.environments);
    if (options.pullRequestPipeline ?? true) {
      const previews = options.pullRequestPreview ?? false;
      this.pullRequests = this.pipelinesFile.pullRequestPipeline('**');
      // The previews compare the build's cdk.out with what is deployed: no second synth. The OIDC trust is
      // synthesised without credentials and kept, so an administrator can deploy it without running the branch.
      const oidc = project.tasks.tryFind(OIDC_TASK_NAMES.synthApp) !== undefined;
      const artifacts = [...(previews ? [this.assemblyArtifact] : []), ...(oidc ? [BitbucketPipelines.OIDC_ASSEMBLY_ARTIFACT] : [])];
      this.pullRequests.addStep(BitbucketPipelines.PULL_REQUEST_BUILD_STEP_ID,
        this.buildStep('Build, test and synthesise (pull request)', artifacts, oidc ? [OIDC_SYNTH_COMMAND] : []));
      if (previews) {
        addPerEnvironment(this.pullRequests, BitbucketPipelines.PREVIEW_SET_ID,
          options.environments.map((env) => ({ id: BitbucketPipelines.previewStepId(env.name), step: this.previewStep(env) })));
      }
    }
    if (options.driftDetection) this.addDriftPipeline(options.environments);
  }

  /**
   * Adds steps to the main-branch pipeline after the build, before the first
   * deploy. Steps without a size or max-time get the build steps'.
   */
  public addStepsBeforeDeploy(...steps: PipelineStep[]): void {
    const first = this.options.environments[0];
    for (const step of steps) {
      this.main.addStep(this.nextId('before-deploy'), this.withDefaults(step), first ? { before: this.firstItemOf.get(first.name) } : undefined);
    }
  }

  /** Adds steps to the main-branch pipeline after the last deploy (and after the steps added after it). */
  public addStepsAfterDeploy(...steps: PipelineStep[]): void {
    for (const step of steps) this.main.addStep(this.nextId('after-deploy'), this.withDefaults(step));
  }

  /**
   * Adds steps to the main-branch pipeline right before an environment's
   * deploy step (before its whole wave when it is in one), after steps
   * added there before.
   * @param environmentName the environment's name
   */
  public addStepsBeforeEnvironment(environmentName: string, ...steps: PipelineStep[]): void {
    const env = this.environment(environmentName);
    for (const step of steps) {
      this.main.addStep(this.nextId(`before-${env.name}`), this.withDefaults(step), { before: this.firstItemOf.get(env.name) });
    }
  }

  /**
   * Adds steps to the main-branch pipeline right after an environment's
   * deploy step (after its whole wave when it is in one), after steps added
   * there before.
   * @param environmentName the environment's name
   */
  public addStepsAfterEnvironment(environmentName: string, ...steps: PipelineStep[]): void {
    const env = this.environment(environmentName);
    const key = env.wave === undefined ? env.name : `wave ${env.wave}`;
    for (const step of steps) {
      const id = this.nextId(`after-${env.name}`);
      this.main.addStep(id, this.withDefaults(step), { after: this.lastItemAfter.get(key) });
      this.lastItemAfter.set(key, id);
    }
  }

  /**
   * Adds steps to the pull-request pipeline, after the build and the
   * previews. Has no effect when `pullRequestPipeline` is false.
   */
  public addPullRequestSteps(...steps: PipelineStep[]): void {
    for (const step of steps) this.pullRequests?.addStep(this.nextId('pull-request'), this.withDefaults(step));
  }

  /**
   * Adds a pipeline run by hand or on a schedule (`pipelines.custom.<name>`).
   * Its steps get the ids `custom-<name>-<index>` (`.<index>` appended for
   * the steps of a parallel set or stage), and the build steps' size and
   * max-time unless they set their own.
   * @param name name shown in "Run pipeline"; written as given
   * @param pipeline its items and variables
   */
  public addCustomPipeline(name: string, pipeline: CustomPipeline): void {
    if (this.pipelinesFile.hasCustomPipeline(name)) {
      throw new Error(`BitbucketPipelines: a custom pipeline named ${JSON.stringify(name)} already exists`);
    }
    const custom = this.pipelinesFile.customPipeline(name, { variables: pipeline.variables });
    pipeline.items.forEach((item, i) => custom.addItem(`custom-${name}-${i}`, {
      step: item.step && this.withDefaults(item.step),
      parallel: item.parallel && { ...item.parallel, steps: item.parallel.steps.map((s) => this.withDefaults(s)) },
      stage: item.stage && { ...item.stage, steps: item.stage.steps.map((s) => this.withDefaults(s)) },
    }));
  }

  /**
   * Defines a custom cache that steps can list in `caches`.
   * @param name cache name; written as given
   * @param cache path and key files
   */
  public addCache(name: string, cache: PipelineCache): void {
    this.pipelinesFile.addCache(name, cache);
  }

  /** The whole file as a typed model: what is rendered and linted. */
  public configuration(): PipelinesConfiguration {
    return this.pipelinesFile.configuration();
  }

  /**
   * The deploy step of one environment: its region, its deploy role, and the
   * step runner with the `deploy:<env>` task's CDK arguments. The runner
   * checks the `cdk.out` artifact, installs the CDK CLI as locked in
   * package-lock.json (the pre-flight), and runs it with the step's OIDC
   * token and nothing else (no project install, no synth). Steps of one environment queue in its
   * concurrency group instead of pausing at the deployment lock. In a wave,
   * the wave's start is manual, never the step.
   */
  public deployStep(env: ResolvedDeployEnvironment): PipelineStep {
    return {
      name: `Deploy ${env.name}`,
      deployment: env.bitbucketDeployment,
      concurrencyGroup: BitbucketPipelines.concurrencyGroup(env),
      oidc: true,
      trigger: env.manualApproval && env.wave === undefined ? StepTrigger.MANUAL : undefined,
      size: this.deploySize,
      maxTime: this.options.deployStepMaxTime ?? DEFAULT_DEPLOY_STEP_MAX_TIME,
      services: this.options.dockerImageAssets ? [DOCKER_SERVICE] : undefined,
      script: this.stepRunner.stepScript({
        action: OidcStepAction.DEPLOY,
        environmentName: env.name,
        region: env.region,
        roleArn: env.deployRoleArn,
        command: this.options.deployTasks.cdkArguments(DeployAction.DEPLOY, env),
      }),
      afterScript: this.options.diagnostics?.afterScript(env.name, this.cdkout),
    };
  }

  /**
   * The pull-request preview step of one environment: installs the project
   * without scripts and without the token, then runs `npx projen
   * preview:<env> --report` (and `--fail-on-stateful-risk` with
   * `pullRequestPreviewFailsOnStatefulRisk`) with the read-only role and the
   * step's OIDC token; keeps `cdk.preview/` as an artifact.
   */
  public previewStep(env: ResolvedDeployEnvironment): PipelineStep {
    return previewStep(env, {
      npmCache: BitbucketPipelines.NPM_CACHE,
      runner: this.stepRunner,
      failOnStatefulRisk: this.options.pullRequestPreviewFailsOnStatefulRisk,
    });
  }

  /** The drift step of one environment: `npx projen drift:<env>` with the read-only role. */
  public driftStep(env: ResolvedDeployEnvironment): PipelineStep {
    return driftStep(env, { npmCache: BitbucketPipelines.NPM_CACHE, runner: this.stepRunner });
  }

  /** One step per environment; consecutive environments of a wave in one fail-fast parallel set. */
  private addDeploySteps(environments: ResolvedDeployEnvironment[]): void {
    for (const group of waves(environments)) {
      const wave = group[0].wave;
      if (wave === undefined) {
        const id = BitbucketPipelines.deployStepId(group[0].name);
        this.main.addStep(id, this.deployStep(group[0]));
        this.firstItemOf.set(group[0].name, id);
        this.lastItemAfter.set(group[0].name, id);
        continue;
      }
      // Atlassian documents manual triggers for steps and stages, not inside a parallel set: a manual wave starts with one manual step.
      const start = `start-wave-${wave}`;
      if (group[0].manualApproval) {
        this.main.addStep(start, {
          name: `Start wave ${wave}`,
          trigger: StepTrigger.MANUAL,
          clone: { enabled: false },
          maxTime: 5,
          script: [['echo', shellQuote(`Deploying ${group.map((e) => e.name).join(', ')} at the same time`)].join(' ')],
        });
      }
      const id = `wave-${wave}`;
      this.main.addParallel(id, {
        failFast: true,
        steps: group.map((env) => ({ id: BitbucketPipelines.deployStepId(env.name), step: this.deployStep(env) })),
      });
      for (const env of group) this.firstItemOf.set(env.name, group[0].manualApproval ? start : id);
      this.lastItemAfter.set(`wave ${wave}`, id);
    }
  }

  /**
   * `drift-detection`: one synth (its `cdk.out` names each stage's stacks),
   * then every environment's drift check at once.
   */
  private addDriftPipeline(environments: ResolvedDeployEnvironment[]): void {
    const drift = this.pipelinesFile.customPipeline(BitbucketPipelines.DRIFT_PIPELINE_NAME);
    drift.addStep(BitbucketPipelines.DRIFT_SYNTH_STEP_ID, {
      name: 'Synthesise',
      size: this.buildSize,
      maxTime: this.buildMaxTime,
      caches: [BitbucketPipelines.NPM_CACHE],
      script: synthStepScript(),
      artifacts: { paths: [this.assemblyArtifact] },
    });
    addPerEnvironment(drift, BitbucketPipelines.DRIFT_SET_ID,
      environments.map((env) => ({ id: BitbucketPipelines.driftStepId(env.name), step: this.driftStep(env) })));
  }

  private environment(name: string): ResolvedDeployEnvironment {
    const env = this.options.environments.find((e) => e.name === name);
    if (!env) {
      throw new Error(`BitbucketPipelines: no environment ${JSON.stringify(name)}; known: ${this.options.environments.map((e) => JSON.stringify(e.name)).join(', ')}`);
    }
    return env;
  }

  private nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}-${n}`;
  }

  /**
   * Added steps run with the build steps' size and max-time unless they set
   * their own, and with `export npm_config_yes=false` first when they run npx.
   */
  private withDefaults(step: PipelineStep): PipelineStep {
    return withNpxDownloadsRefused({ ...step, size: step.size ?? this.buildSize, maxTime: step.maxTime ?? this.buildMaxTime });
  }

  private buildStep(name: string, artifacts: string[], after: string[] = []): PipelineStep {
    return {
      name,
      size: this.buildSize,
      maxTime: this.buildMaxTime,
      caches: [BitbucketPipelines.NPM_CACHE],
      script: buildStepScript(after),
      artifacts: artifacts.length > 0 ? { paths: artifacts } : undefined,
    };
  }

  private get buildSize(): StepSize {
    return this.options.buildStepSize ?? StepSize.SIZE_2X;
  }

  private get buildMaxTime(): number {
    return this.options.buildStepMaxTime ?? DEFAULT_BUILD_STEP_MAX_TIME;
  }

  private get deploySize(): StepSize {
    return this.options.deployStepSize ?? StepSize.SIZE_1X;
  }
}

/** Bitbucket's predefined Docker-in-Docker service. */
const DOCKER_SERVICE = 'docker';
const DEFAULT_BUILD_STEP_MAX_TIME = 30;
const DEFAULT_DEPLOY_STEP_MAX_TIME = 120;

/** Environments in order, consecutive ones of the same wave together (validation refuses split waves). */
function waves(environments: ResolvedDeployEnvironment[]): ResolvedDeployEnvironment[][] {
  const groups: ResolvedDeployEnvironment[][] = [];
  for (const env of environments) {
    const last = groups[groups.length - 1];
    if (env.wave !== undefined && last && last[0].wave === env.wave) last.push(env);
    else groups.push([env]);
  }
  return groups;
}
