/**
 * A typed model of `bitbucket-pipelines.yml`. Properties are camelCase here
 * and rendered with Bitbucket's keys (`max-time`, `after-script`,
 * `pull-requests`) by `configuration-render.ts`.
 *
 * @see https://support.atlassian.com/bitbucket-cloud/docs/bitbucket-pipelines-configuration-reference/
 */

/** Resources of a step's container. */
export enum StepSize {
  /** 4 GB memory (Bitbucket's default). */
  SIZE_1X = '1x',
  /** 8 GB memory. */
  SIZE_2X = '2x',
  /** 16 GB memory; runners or a paid plan. */
  SIZE_4X = '4x',
  /** 32 GB memory; runners or a paid plan. */
  SIZE_8X = '8x',
  /** Runners only. */
  SIZE_16X = '16x',
  /** Runners only. */
  SIZE_32X = '32x',
}

/** How a step or stage starts. */
export enum StepTrigger {
  /** Runs when the previous step succeeded. */
  AUTOMATIC = 'automatic',
  /** Waits for someone to press "Run" (never allowed on a pipeline's first step). */
  MANUAL = 'manual',
}

/** A Docker image with options. A plain image name renders as a string. */
export interface PipelineImage {
  /** Image name, e.g. `node:22`. */
  readonly name: string;
  /**
   * UID to run as.
   * @default - the image's user
   */
  readonly runAsUser?: number;
  /**
   * Registry user name (use a secured variable, e.g. `$DOCKER_USER`).
   * @default - no registry authentication
   */
  readonly username?: string;
  /**
   * Registry password (use a secured variable, e.g. `$DOCKER_PASSWORD`).
   * @default - no registry authentication
   */
  readonly password?: string;
}

/** Git clone settings (`clone:`). */
export interface PipelineClone {
  /**
   * Whether the repository is cloned at all.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Clone depth in commits.
   * @default 50
   */
  readonly depth?: number;
  /**
   * Clone the full history (`depth: full`); takes precedence over `depth`.
   * @default false
   */
  readonly fullDepth?: boolean;
  /**
   * Download Git LFS files.
   * @default false
   */
  readonly lfs?: boolean;
}

/** Files a step passes on to later steps (`artifacts:`). */
export interface PipelineArtifacts {
  /**
   * Glob patterns, relative to the clone directory, e.g. `cdk.out/**`.
   * @default - no artifacts uploaded
   */
  readonly paths?: string[];
  /**
   * Whether this step downloads the artifacts of earlier steps.
   * @default true
   */
  readonly download?: boolean;
}

/** Changed-file condition of a step or stage (`condition: changesets:`). */
export interface PipelineChangesets {
  /**
   * Runs only when a changed file matches one of these globs.
   * @default - no include filter
   */
  readonly includePaths?: string[];
  /**
   * Runs only when some changed file matches none of these globs.
   * @default - no exclude filter
   */
  readonly excludePaths?: string[];
}

/** When a step or stage runs (`condition:`). */
export interface PipelineCondition {
  /**
   * Condition on the changed files.
   * @default - none
   */
  readonly changesets?: PipelineChangesets;
  /**
   * A boolean expression, e.g. `PROD_DEPLOYMENT_ENABLED == true`.
   * @default - none
   */
  readonly state?: string;
}

/** One step (`- step:`). */
export interface PipelineStep {
  /**
   * Name shown in the Bitbucket UI; lint messages use it too.
   * @default - unnamed
   */
  readonly name?: string;
  /** Commands, run in order in one shell; Bitbucket prints each line before running it. */
  readonly script: string[];
  /**
   * Docker image of this step.
   * @default - the global image
   */
  readonly image?: PipelineImage;
  /**
   * Container size.
   * @default - the global option, else 1x
   */
  readonly size?: StepSize;
  /**
   * Time limit in minutes (1 to 720).
   * @default - the global option, else 120
   */
  readonly maxTime?: number;
  /**
   * Names of caches (predefined, e.g. `node`, or under `definitions.caches`).
   * @default - no caches
   */
  readonly caches?: string[];
  /**
   * Files passed to later steps.
   * @default - none uploaded, all downloaded
   */
  readonly artifacts?: PipelineArtifacts;
  /**
   * Bitbucket deployment environment (once per pipeline).
   * @default - not a deployment step
   */
  readonly deployment?: string;
  /**
   * Steps sharing a concurrency group (at most 50 characters) run one at a
   * time, also across pipeline runs; later ones queue and start by
   * themselves, where `deployment` alone pauses them until resumed by hand.
   * @default - no concurrency group
   */
  readonly concurrencyGroup?: string;
  /**
   * How the step starts.
   * @default StepTrigger.AUTOMATIC
   */
  readonly trigger?: StepTrigger;
  /**
   * Provide `$BITBUCKET_STEP_OIDC_TOKEN` to this step. Required by every step
   * that talks to AWS through the deploy role.
   * @default false
   */
  readonly oidc?: boolean;
  /**
   * Clone settings of this step.
   * @default - the global clone settings
   */
  readonly clone?: PipelineClone;
  /**
   * Commands run after the script, whether it failed or not.
   * @default - none
   */
  readonly afterScript?: string[];
  /**
   * Names of services (e.g. `docker`, or under `definitions.services`), at most 5.
   * @default - none
   */
  readonly services?: string[];
  /**
   * When the step runs (not allowed on steps inside a stage).
   * @default - always
   */
  readonly condition?: PipelineCondition;
  /**
   * Labels of the self-hosted runner that runs this step (`runs-on`), e.g.
   * `['self.hosted', 'linux']`; at most 10 labels of 50 characters.
   * @default - the global option, else Bitbucket Cloud
   */
  readonly runsOn?: string[];
}

/** Steps run at the same time (`- parallel:`). */
export interface PipelineParallel {
  /** The steps. */
  readonly steps: PipelineStep[];
  /**
   * Stop all steps when one fails.
   * @default false
   */
  readonly failFast?: boolean;
}

/** Steps that share a deployment and a trigger (`- stage:`). */
export interface PipelineStage {
  /**
   * Name shown in the Bitbucket UI.
   * @default - unnamed
   */
  readonly name?: string;
  /** The steps, in order. */
  readonly steps: PipelineStep[];
  /**
   * Deployment environment of the whole stage.
   * @default - not a deployment stage
   */
  readonly deployment?: string;
  /**
   * How the stage starts.
   * @default StepTrigger.AUTOMATIC
   */
  readonly trigger?: StepTrigger;
  /**
   * When the stage runs.
   * @default - always
   */
  readonly condition?: PipelineCondition;
}

/** One entry of a pipeline: set exactly one of `step`, `parallel` or `stage`. */
export interface PipelineItem {
  /**
   * A single step.
   * @default - not a step
   */
  readonly step?: PipelineStep;
  /**
   * Steps run in parallel.
   * @default - not a parallel group
   */
  readonly parallel?: PipelineParallel;
  /**
   * A stage.
   * @default - not a stage
   */
  readonly stage?: PipelineStage;
}

/** A variable asked for when a custom pipeline is run by hand. */
export interface CustomPipelineVariable {
  /** Variable name. */
  readonly name: string;
  /**
   * Default value (renders `default`; `default` itself is a reserved word in C#, Java and Go).
   * @default - empty
   */
  readonly defaultValue?: string;
  /**
   * Values offered (renders `allowed-values`).
   * @default - free text
   */
  readonly allowedValues?: string[];
  /**
   * Shown in the run dialog.
   * @default - none
   */
  readonly description?: string;
}

/** A pipeline run by hand or on a schedule (`pipelines.custom.<name>`). */
export interface CustomPipeline {
  /** Steps, parallel groups and stages, in order. */
  readonly items: PipelineItem[];
  /**
   * Variables asked for when run by hand.
   * @default - none
   */
  readonly variables?: CustomPipelineVariable[];
}

/** The `pipelines:` section. Keys of the maps are globs or names, written as given. */
export interface PipelinesSection {
  /**
   * Runs on every push to a branch without a branch pipeline (renders `default`).
   * @default - none
   */
  readonly defaultPipeline?: PipelineItem[];
  /**
   * Pipelines by branch glob.
   * @default - none
   */
  readonly branches?: { [glob: string]: PipelineItem[] };
  /**
   * Pipelines by source-branch glob of a pull request (renders `pull-requests`).
   * @default - none
   */
  readonly pullRequests?: { [glob: string]: PipelineItem[] };
  /**
   * Pipelines by tag glob.
   * @default - none
   */
  readonly tags?: { [glob: string]: PipelineItem[] };
  /**
   * Pipelines run by hand or on a schedule, by name.
   * @default - none
   */
  readonly custom?: { [name: string]: CustomPipeline };
}

/** A custom cache (`definitions.caches.<name>`). */
export interface PipelineCache {
  /** Directory to cache, absolute or relative to the clone directory. */
  readonly path: string;
  /**
   * Files whose checksum keys the cache, e.g. `package-lock.json`.
   * @default - one cache, refreshed weekly
   */
  readonly keyFiles?: string[];
}

/** A service container (`definitions.services.<name>`). */
export interface PipelineService {
  /**
   * Image of the service.
   * @default - none (e.g. for `type: docker`)
   */
  readonly image?: PipelineImage;
  /**
   * Memory in MB (at least 128).
   * @default 1024
   */
  readonly memory?: number;
  /**
   * Environment of the service container.
   * @default - none
   */
  readonly variables?: { [name: string]: string };
}

/** The `definitions:` section. */
export interface PipelineDefinitions {
  /**
   * Custom caches by name.
   * @default - none
   */
  readonly caches?: { [name: string]: PipelineCache };
  /**
   * Services by name.
   * @default - none
   */
  readonly services?: { [name: string]: PipelineService };
}

/** The `options:` section: defaults for every step. */
export interface PipelinesGlobalOptions {
  /**
   * Default step time limit in minutes.
   * @default 120
   */
  readonly maxTime?: number;
  /**
   * Default step size.
   * @default StepSize.SIZE_1X
   */
  readonly size?: StepSize;
  /**
   * Docker service for every step.
   * @default false
   */
  readonly docker?: boolean;
  /**
   * Runner labels of every step (`runs-on`).
   * @default - Bitbucket Cloud
   */
  readonly runsOn?: string[];
}

/** A whole `bitbucket-pipelines.yml`. */
export interface PipelinesConfiguration {
  /**
   * Default image of every step.
   * @default - Bitbucket's default image
   */
  readonly image?: PipelineImage;
  /**
   * Clone settings of every step.
   * @default - Bitbucket's defaults
   */
  readonly clone?: PipelineClone;
  /**
   * Defaults for every step.
   * @default - Bitbucket's defaults
   */
  readonly options?: PipelinesGlobalOptions;
  /**
   * Caches and services.
   * @default - none
   */
  readonly definitions?: PipelineDefinitions;
  /** The pipelines. */
  readonly pipelines: PipelinesSection;
}
