import { Component } from 'projen';
import type { awscdk, Task } from 'projen';
import type { BitbucketPipelines } from './bitbucket-pipelines';
import { INSTALL_COMMAND } from './build-step-script';
import { StepSize } from './configuration-model';
import type { PipelineStep } from './configuration-model';
import { NPX_NO_DOWNLOADS } from './npx-policy';
import { shellQuote } from './shell';
import { projectTypePackages, THIS_PACKAGE } from '../app/project-type-packages';

/** Options of `UpgradePipeline`. */
export interface UpgradePipelineOptions {
  /** The pipeline component the custom pipeline is added to. */
  readonly pipelines: BitbucketPipelines;
  /**
   * The branch the upgrade starts from and its pull request targets.
   * @default "main"
   */
  readonly mainBranch?: string;
  /**
   * Whether pull requests get a pipeline (without one, the upgrade step's own build is the only check).
   * @default true
   */
  readonly pullRequestPipeline?: boolean;
  /**
   * Size of the upgrade step.
   * @default StepSize.SIZE_2X
   */
  readonly stepSize?: StepSize;
  /**
   * Max-time of the upgrade step, in minutes.
   * @default 30
   */
  readonly stepMaxTime?: number;
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
 * be scheduled on the main branch in Repository settings → Pipelines →
 * Schedules) that runs the upgrade task, builds and tests, and pushes the
 * result to a new branch `deps/upgrade-<build number>` for a person to open a
 * pull request from. It restores no cache (pull-request steps save the shared
 * `npm` cache, and this step resolves packages by name) and asks the
 * registry for every answer (`npm_config_prefer_online=true`). It refuses to run on any other branch, commits only
 * `package.json`, `package-lock.json` and files projen generates (anything
 * else changed fails the step and names the files), pushes nothing when
 * nothing changed, and never pushes to the main branch.
 */
export class UpgradePipeline extends Component {
  /** Name of the custom pipeline (chosen in "Run pipeline" and in Schedules). */
  public static readonly PIPELINE_NAME = 'upgrade-dependencies';
  /** Default prefix of the pushed branch. */
  public static readonly DEFAULT_BRANCH_PREFIX = 'deps/upgrade-';
  /**
   * The npm-check-updates that projen's upgrade task runs (`npx
   * npm-check-updates@20`), pinned as an exact devDependency of the project:
   * `npx` then runs the locked local copy instead of whatever the registry
   * or npx's cache serves. Must satisfy the range projen's task asks for.
   */
  public static readonly NPM_CHECK_UPDATES_VERSION = '20.0.2';

  /**
   * The line that makes every npm (and npm-check-updates) request in the
   * upgrade step revalidate with the registry instead of answering from a
   * cache: the step picks new versions by name, and a cached registry answer
   * could name any version with any integrity.
   */
  public static readonly PREFER_ONLINE = 'export npm_config_prefer_online=true';

  /** Name of the task that moves a preset to its newest minor version (`npx projen upgrade` runs it last). */
  public static readonly PRESET_UPGRADE_TASK = 'upgrade:preset';

  /**
   * Adds `npm-check-updates` at `NPM_CHECK_UPDATES_VERSION` as an exact
   * devDependency, so `npx npm-check-updates@<major>` in the upgrade task
   * resolves to the copy package-lock.json verified. An exact version is left
   * alone by the upgrade task itself (it bumps only unversioned dependencies).
   */
  public static lockUpgradeTool(project: awscdk.AwsCdkTypeScriptApp): void {
    project.addDevDeps(`npm-check-updates@${UpgradePipeline.NPM_CHECK_UPDATES_VERSION}`);
  }

  /**
   * Lets the upgrade task move the platform team's preset (a dependency of
   * the project built on this package) like the rest, to its newest version
   * within the same major version, `0.x` included. projen's own pass leaves
   * it behind: it checks peers, and a preset's next minor version usually
   * needs a newer `projen-bitbucket-cdk` than the installed one, which the
   * project does not list (it comes through the preset's peer range), so the
   * preset is never offered. This adds `upgrade:preset` (npm-check-updates on
   * the preset only, without the peer check; npm then installs the peer the
   * new version asks for; then `npx projen` in a new process, which loads the
   * new preset) to the end of the upgrade task. A preset named with a version
   * in `.projenrc.ts` cannot be moved (projen writes that version back): a
   * warning says to drop it. Returns the task, or undefined without a preset.
   */
  public static upgradePresets(project: awscdk.AwsCdkTypeScriptApp): Task | undefined {
    const postUpgrade = project.upgradeWorkflow?.postUpgradeTask;
    if (!postUpgrade) return undefined;
    const presets = projectTypePackages(project).filter((p) => p.direct && p.name !== THIS_PACKAGE);
    const named = (p: { declared?: string }) => p.declared !== undefined && p.declared !== '*';
    // A tarball, folder or git spec that package.json kept (projen keeps it for a dependency named without a version).
    const unmovable = (p: { packageJsonSpec?: string }) => p.packageJsonSpec !== undefined && !/^[\^~<>=\d*]/.test(p.packageJsonSpec);
    for (const p of presets) {
      if (named(p)) {
        project.logger.warn(`BitbucketCdkApp: the preset ${p.name} is named with a version in .projenrc.ts (${p.name}@${p.declared}): `
          + `upgrades cannot move it past that, as projen writes it back. Name it without one (devDeps: ['${p.name}']) once it is in your registry, and run npm install --save-dev ${p.name}@latest.`);
      } else if (unmovable(p)) {
        project.logger.warn(`BitbucketCdkApp: package.json holds the preset ${p.name} as ${p.packageJsonSpec}, which upgrades cannot move `
          + `(projen keeps it). Once the preset is in your registry, run npm install --save-dev ${p.name}@latest, then npx projen.`);
      }
    }
    const movable = presets.filter((p) => !named(p) && !unmovable(p)).map((p) => p.name);
    if (movable.length === 0) return undefined;
    const ncuMajor = UpgradePipeline.NPM_CHECK_UPDATES_VERSION.split('.')[0];
    const task = project.addTask(UpgradePipeline.PRESET_UPGRADE_TASK, {
      description: `Moves the preset (${movable.join(', ')}) to its newest version within its major version, with the projen-bitbucket-cdk it asks for, then regenerates`,
    });
    task.exec(['npx', `npm-check-updates@${ncuMajor}`, '--upgrade', '--target=minor', '--no-peer', '--dep=dev,prod,optional', `--filter=${movable.join(',')}`].join(' '));
    task.exec(project.package.installAndUpdateLockfileCommand);
    // A new process: this one loaded the old preset.
    task.exec(project.projenCommand);
    postUpgrade.spawn(task);
    return task;
  }

  /** Prefix of the pushed branch; `$BITBUCKET_BUILD_NUMBER` is appended. */
  public readonly branchPrefix: string;
  /** The step of the pipeline, as rendered. */
  public readonly step: PipelineStep;

  constructor(project: awscdk.AwsCdkTypeScriptApp, options: UpgradePipelineOptions) {
    super(project);
    this.branchPrefix = options.branchPrefix ?? UpgradePipeline.DEFAULT_BRANCH_PREFIX;
    const mainBranch = options.mainBranch ?? 'main';
    const pullRequestPipeline = options.pullRequestPipeline ?? true;
    // The branch name is `<prefix><number>`: a prefix that names the main branch (or a path above it) could push to it.
    if (!/^[A-Za-z0-9._-][A-Za-z0-9._/-]*[-/]$/.test(this.branchPrefix) || mainBranch.startsWith(this.branchPrefix)) {
      throw new Error(`UpgradePipeline: branchPrefix ${JSON.stringify(this.branchPrefix)} must be a branch name ending in "-" or "/" that cannot name the main branch ${JSON.stringify(mainBranch)}`);
    }
    UpgradePipeline.lockUpgradeTool(project);
    if (!pullRequestPipeline) {
      project.logger.warn('BitbucketCdkApp: upgradePipeline: pullRequestPipeline is false, so nothing builds the pull requests of the deps/upgrade-* branches. '
        + 'The upgrade step\'s own build and tests are the only check before the merge; set pullRequestPipeline: true to build the pull request too.');
    }
    this.step = {
      name: 'Upgrade dependencies, build, test and push a branch',
      size: options.stepSize ?? StepSize.SIZE_2X,
      maxTime: options.stepMaxTime ?? 30,
      // No cache: pull requests save the shared npm cache, and this step resolves packages by name (not only from the lockfile).
      script: upgradeStepScript(options.upgradeTask.name, this.branchPrefix, mainBranch, pullRequestPipeline),
    };
    options.pipelines.addCustomPipeline(UpgradePipeline.PIPELINE_NAME, { items: [{ step: this.step }] });
  }
}

/**
 * Refuse other branches, install, upgrade, build (compile, test, synth), then
 * commit what the upgrade changed to a new branch and push it with the
 * pipeline's own clone credentials. Exits early, successfully, when nothing
 * changed.
 */
function upgradeStepScript(upgradeTaskName: string, branchPrefix: string, mainBranch: string, pullRequestPipeline: boolean): string[] {
  const main = shellQuote(mainBranch);
  return [
    // First, before anything runs: on another branch the bot would commit that branch's work as an upgrade.
    // (It guards against runs started on the wrong branch; whoever can push a branch can also edit this file there.)
    // Two short lines of one shell (no line of the file over MAX_SCRIPT_LINE_LENGTH); the second stops the step.
    'where="not on ${BITBUCKET_BRANCH:-a commit without branch}"',
    `if [ "\${BITBUCKET_BRANCH:-}" != ${main} ]; then echo "upgrade-dependencies runs only on the main branch "${main}", $where: nothing was changed." >&2; fi`,
    `if [ "\${BITBUCKET_BRANCH:-}" != ${main} ]; then echo "Run it on "${main}" (Run pipeline, or a schedule on that branch)." >&2; exit 1; fi`,
    // npx may run only what package-lock.json installed (projen, npm-check-updates): never download a tool.
    NPX_NO_DOWNLOADS,
    // Versions are resolved by name here: ask the registry, never a cached answer (the step restores no cache, but a runner may keep ~/.npm).
    UpgradePipeline.PREFER_ONLINE,
    INSTALL_COMMAND,
    `npx projen ${upgradeTaskName}`,
    'npx projen build',
    // A failing git must fail the step, not look like "nothing changed".
    'changes="$(git status --porcelain --untracked-files=all)" || { echo "git status failed: the step image needs git." >&2; exit 1; }',
    'if [ -z "$changes" ]; then echo "Dependencies are up to date: nothing to push."; exit 0; fi',
    // What an upgrade may change: the manifest, the lockfile and projen's generated files (listed before and after it).
    'projen_files() { node -e \'for (const f of JSON.parse(require("fs").readFileSync(0, "utf8")).files) console.log(f)\'; }',
    'allowed="$(mktemp)" || exit 1',
    'printf "%s\\n" package.json package-lock.json > "$allowed"',
    'projen_files < .projen/files.json >> "$allowed" || { echo "Could not read the generated files of the project from .projen/files.json." >&2; exit 1; }',
    'git show HEAD:.projen/files.json | projen_files >> "$allowed" || { echo "Could not read .projen/files.json of HEAD." >&2; exit 1; }',
    'changed="$(printf "%s\\n" "$changes" | cut -c4-)"',
    'unexpected="$(printf "%s\\n" "$changed" | grep -vxF -f "$allowed")" || [ $? -eq 1 ]',
    'if [ -n "$unexpected" ]; then echo "The upgrade changed files other than package.json, package-lock.json and generated files (.projen/files.json); nothing was committed." >&2; fi',
    'if [ -n "$unexpected" ]; then echo "A build that writes into the repository? Ignore them in .gitignore (the gitignore option of .projenrc.ts) or fix the build:" >&2; fi',
    'if [ -n "$unexpected" ]; then printf "%s\\n" "$unexpected" | sed "s/^/  /" >&2; exit 1; fi',
    `branch=${shellQuote(branchPrefix)}"\${BITBUCKET_BUILD_NUMBER:?}"`,
    // Commits need an author; keep one the runner or the repository already configured.
    'git config user.name >/dev/null || git config user.name "Bitbucket Pipelines"',
    'git config user.email >/dev/null || git config user.email "commits-noreply@bitbucket.org"',
    'git checkout -b "$branch"',
    // Exactly the files checked above, taken literally (no globbing of names).
    'printf "%s\\n" "$changed" | git --literal-pathspecs add -A --pathspec-from-file=-',
    'git commit -m "chore(deps): upgrade dependencies"',
    'git push origin "$branch"',
    pullRequestPipeline
      ? 'echo "Pushed $branch: open a pull request from it to review and merge the upgrade."'
      : 'echo "Pushed $branch: open a pull request from it to review and merge the upgrade. No pull-request pipeline builds it (pullRequestPipeline: false): this step\'s build and tests were its only check."',
  ];
}
