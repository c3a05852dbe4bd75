import { NPX_NO_DOWNLOADS } from './npx-policy';
import { OIDC_TASK_NAMES } from '../oidc/oidc-tasks';

/** The one dependency install of a pipeline run. */
export const INSTALL_COMMAND = 'npm ci';

/** Compiles, tests and synthesises (`post-compile` runs `cdk synth`). */
export const BUILD_COMMAND = 'npx projen build';

/** Synthesises only (projen's `synth:silent`: `cdk synth -q`), for pipelines that need `cdk.out` and nothing else. */
export const SYNTH_COMMAND = 'npx projen synth:silent';

/**
 * Fails when the build changed tracked files or left untracked ones: then
 * someone edited `.projenrc.ts` without running `npx projen`, or edited a
 * generated file by hand, and what is deployed would differ from what is
 * committed. Ignored files (`cdk.out`, `node_modules`) do not count.
 *
 * Three short lines of one shell (Bitbucket runs a step's script lines in
 * one shell, and an `exit 1` in any of them fails the step).
 */
export const STALE_FILES_CHECK = [
  // A failing git (an image without git, "dubious ownership") must fail the check, not pass it.
  'changes="$(git status --porcelain)" || { echo "git status failed: the step image needs git to check for stale files." >&2; exit 1; }',
  'if [ -n "$changes" ]; then echo "The build changed or created these files:" >&2; git status --porcelain >&2; git --no-pager diff --stat >&2; fi',
  'if [ -n "$changes" ]; then echo \'Run "npx projen build" locally (after editing .projenrc.ts, run "npx projen"; never edit generated files) and commit the result.\' >&2; exit 1; fi',
];

/**
 * Synthesises the OIDC trust alone (`bitbucket:oidc:synth:app`: the build
 * already ran projen), without credentials, into `cdk.oidc.out`: the
 * artifact an administrator reviews and deploys for a pull request.
 */
export const OIDC_SYNTH_COMMAND = `npx projen ${OIDC_TASK_NAMES.synthApp}`;

/**
 * Script of a build step: npx refuses downloads (it runs only what the
 * install put into node_modules), one install, one build and synth, then
 * the staleness check.
 * @param after lines run after the staleness check (the pull request's OIDC synthesis)
 */
export function buildStepScript(after: string[] = []): string[] {
  return [NPX_NO_DOWNLOADS, INSTALL_COMMAND, BUILD_COMMAND, ...STALE_FILES_CHECK, ...after];
}

/** Script of a step that only synthesises (`drift-detection`): npx refuses downloads, one install, `synth:silent`. */
export function synthStepScript(): string[] {
  return [NPX_NO_DOWNLOADS, INSTALL_COMMAND, SYNTH_COMMAND];
}
