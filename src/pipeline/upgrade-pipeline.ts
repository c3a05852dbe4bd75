import { Component } from 'projen';
import type { awscdk, Task } from 'projen';
import { BitbucketPipelines } from './bitbucket-pipelines';
import { INSTALL_COMMAND } from './build-step-script';
import { StepSize } from './configuration-model';
import type { PipelineStep } from './configuration-model';
import { shellQuote } from './shell';
import type { ResolvedSettings } from '../settings';

/** Options of `UpgradePipeline`. */
export interface UpgradePipelineOptions {
  /** The pipeline component the custom pipeline is added to. */
  readonly pipelines: BitbucketPipelines;
  /** Validated settings: step size and time, main branch. */
  readonly settings: ResolvedSettings;
  /** The project's dependency upgrade task (projen's `upgrade`). */
  readonly upgradeTask: Task;
  /**
   * Prefix of the branch the upgrade is pushed to; the build number is appended.
   * @default "deps/upgrade-"
   */
  readonly branchPrefix?: string;
}

/**
 * projen's dependency-upgrade workflow exists only for GitHub. This adds the
 * Bitbucket equivalent: a custom pipeline (`upgrade-dependencies`, meant to
 * be scheduled in Repository settings → Pipelines → Schedules) that runs the
 * upgrade task, builds and tests, and pushes the result to a new branch
 * `deps/upgrade-<build number>` for a person to open a pull request from.
 * Nothing is pushed when nothing changed, and never to the main branch.
 */
export class UpgradePipeline extends Component {
  /** Name of the custom pipeline (chosen in "Run pipeline" and in Schedules). */
  public static readonly PIPELINE_NAME = 'upgrade-dependencies';
  /** Default prefix of the pushed branch. */
  public static readonly DEFAULT_BRANCH_PREFIX = 'deps/upgrade-';

  /** Prefix of the pushed branch; `$BITBUCKET_BUILD_NUMBER` is appended. */
  public readonly branchPrefix: string;
  /** The step of the pipeline, as rendered. */
  public readonly step: PipelineStep;

  constructor(project: awscdk.AwsCdkTypeScriptApp, options: UpgradePipelineOptions) {
    super(project);
    this.branchPrefix = options.branchPrefix ?? UpgradePipeline.DEFAULT_BRANCH_PREFIX;
    // The branch name is `<prefix><number>`: a prefix that names the main branch (or a path above it) could push to it.
    if (!/^[A-Za-z0-9._-][A-Za-z0-9._/-]*[-/]$/.test(this.branchPrefix) || options.settings.mainBranch.startsWith(this.branchPrefix)) {
      throw new Error(`UpgradePipeline: branchPrefix ${JSON.stringify(this.branchPrefix)} must be a branch name ending in "-" or "/" that cannot name the main branch ${JSON.stringify(options.settings.mainBranch)}`);
    }
    this.step = {
      name: 'Upgrade dependencies, build, test and push a branch',
      size: options.settings.pipelineStepSize as StepSize,
      maxTime: options.settings.pipelineMaxTime,
      caches: [BitbucketPipelines.NPM_CACHE],
      script: upgradeStepScript(options.upgradeTask.name, this.branchPrefix),
    };
    options.pipelines.addCustomPipeline(UpgradePipeline.PIPELINE_NAME, { items: [{ step: this.step }] });
  }
}

/**
 * Install, upgrade, build (compile, test, synth), then commit everything the
 * upgrade changed to a new branch and push it with the pipeline's own clone
 * credentials. Exits early, successfully, when nothing changed.
 */
function upgradeStepScript(upgradeTaskName: string, branchPrefix: string): string[] {
  return [
    INSTALL_COMMAND,
    `npx projen ${upgradeTaskName}`,
    'npx projen build',
    // A failing git must fail the step, not look like "nothing changed".
    'changes="$(git status --porcelain)" || { echo "git status failed: the step image needs git." >&2; exit 1; }',
    'if [ -z "$changes" ]; then echo "Dependencies are up to date: nothing to push."; exit 0; fi',
    `branch=${shellQuote(branchPrefix)}"\${BITBUCKET_BUILD_NUMBER:?}"`,
    // Commits need an author; keep one the runner or the repository already configured.
    'git config user.name >/dev/null || git config user.name "Bitbucket Pipelines"',
    'git config user.email >/dev/null || git config user.email "commits-noreply@bitbucket.org"',
    'git checkout -b "$branch"',
    'git add -A',
    'git commit -m "chore(deps): upgrade dependencies"',
    'git push origin "$branch"',
    'echo "Pushed $branch: open a pull request from it to review and merge the upgrade."',
  ];
}
