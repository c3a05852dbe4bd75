import { StepSize } from './configuration-model';
import type { PipelineStep } from './configuration-model';
import { OidcStepAction } from './oidc-step-runner';
import type { OidcStepRunner } from './oidc-step-runner';
import type { IdentifiedStep, PipelineSequence } from './pipeline-sequence';
import { PreviewTasks } from '../app/preview-tasks';
import type { ResolvedDeployEnvironment } from '../settings';

/*
 * The steps that read AWS with the read-only role of an environment's
 * account: the pull-request previews and the drift checks. No deployment
 * (no lock, nothing to wait for), `oidc: true`, the smallest size.
 */

/** Max-time of a preview step, in minutes: an install and a few API calls. */
export const PREVIEW_STEP_MAX_TIME = 15;
/** Max-time of a drift step, in minutes: CloudFormation's drift detection takes minutes per stack. */
export const DRIFT_STEP_MAX_TIME = 30;

/** What a read-role step needs besides its environment. */
export interface ReadRoleStepOptions {
  /** The cache of npm's store (`definitions.caches`). */
  readonly npmCache: string;
  /** The step runner: lockfile check and `npm ci --ignore-scripts` without the token, then the command with the role. */
  readonly runner: OidcStepRunner;
  /**
   * Preview steps only: fail the step when a stateful resource would (or may)
   * be replaced or deleted (the tool's flag is spelt out here: nothing the
   * package entry point loads may import `src/preview`).
   */
  readonly failOnStatefulRisk?: boolean;
}

/**
 * The preview step of one environment: `npx projen preview:<env> --report`
 * (`--fail-on-stateful-risk` with `failOnStatefulRisk`) with the read-only
 * role, its report and diff kept as artifacts.
 */
export function previewStep(env: ResolvedDeployEnvironment, options: ReadRoleStepOptions): PipelineStep {
  return {
    name: `Preview ${env.name}`,
    oidc: true,
    size: StepSize.SIZE_1X,
    maxTime: PREVIEW_STEP_MAX_TIME,
    caches: [options.npmCache],
    script: options.runner.stepScript({
      action: OidcStepAction.PREVIEW,
      environmentName: env.name,
      region: env.region,
      roleArn: readRoleArn(env, 'pullRequestPreview'),
      command: ['npx', 'projen', PreviewTasks.previewTaskName(env.name), '--report', ...(options.failOnStatefulRisk ? ['--fail-on-stateful-risk'] : [])],
    }),
    artifacts: { paths: [`${PreviewTasks.OUTPUT_DIR}/**`] },
  };
}

/** The drift step of one environment: `npx projen drift:<env>` with the read-only role; fails when a stack drifted. */
export function driftStep(env: ResolvedDeployEnvironment, options: ReadRoleStepOptions): PipelineStep {
  return {
    name: `Drift ${env.name}`,
    oidc: true,
    size: StepSize.SIZE_1X,
    maxTime: DRIFT_STEP_MAX_TIME,
    caches: [options.npmCache],
    script: options.runner.stepScript({
      action: OidcStepAction.DRIFT,
      environmentName: env.name,
      region: env.region,
      roleArn: readRoleArn(env, 'driftDetection'),
      command: ['npx', 'projen', PreviewTasks.driftTaskName(env.name)],
    }),
  };
}

/**
 * Adds one step per environment: together in a parallel set `setId` that
 * lets every environment finish (one environment's failure says nothing
 * about another's), or a lone step when there is one environment.
 */
export function addPerEnvironment(sequence: PipelineSequence, setId: string, steps: IdentifiedStep[]): void {
  if (steps.length === 1) {
    sequence.addStep(steps[0].id, steps[0].step);
  } else if (steps.length > 1) {
    sequence.addParallel(setId, { failFast: false, steps });
  }
}

function readRoleArn(env: ResolvedDeployEnvironment, option: string): string {
  if (!env.previewRoleArn) {
    throw new Error(`BitbucketPipelines: ${option} needs the read-only role of environment ${JSON.stringify(env.name)} (previewRoleArn), which is undefined; resolve the environments with pullRequestPreview or driftDetection on, or turn ${option} off`);
  }
  return env.previewRoleArn;
}
