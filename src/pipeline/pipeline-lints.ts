import {
  DEFAULT_SERVICE_MEMORY, MAX_CONCURRENCY_GROUP_LENGTH, MAX_DEPLOYMENT_NAME_LENGTH, MAX_RUNNER_LABEL_LENGTH, MAX_RUNNER_LABELS,
  MAX_SERVICES_PER_STEP, MAX_STEPS_PER_PIPELINE, MAX_TIME_LIMIT, MIN_SERVICE_MEMORY, serviceMemoryLimit, STEP_SIZES,
} from './bitbucket-limits';
import { StepTrigger } from './configuration-model';
import type { PipelineCondition, PipelineItem, PipelineStep, PipelinesConfiguration } from './configuration-model';
import { NPX_NO_DOWNLOADS, npxCalls } from './npx-policy';
import { OidcStepAction, OidcStepRunner } from './oidc-step-runner';
import { CleanError } from '../validation/clean-exit';

export { MAX_CONCURRENCY_GROUP_LENGTH, MAX_STEPS_PER_PIPELINE, MAX_TIME_LIMIT } from './bitbucket-limits';

/*
 * Bitbucket rules the official schema does not check, and mistakes that only
 * show up when a pipeline runs against AWS. Checked at synth time so that a
 * broken pipeline is never written.
 */


/** Thrown from `preSynthesize()`; lists every problem of the pipeline file. */
export class PipelineLintError extends CleanError {
  /** One message per problem. */
  public readonly problems!: string[];

  constructor(problems: string[]) {
    super(
      'PipelineLintError',
      [
        `bitbucket-pipelines.yml would break Bitbucket's rules (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was written:`,
        ...problems.map((p) => `  - ${p}`),
      ].join('\n'),
    );
    // Not enumerable, so printing the error does not list the problems a second time.
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
  }
}

/** Answers whether a projen task exists, for steps that call `npx projen <task>`. */
export type TaskLookup = (name: string) => boolean;

/** Every problem of the configuration, as one-line messages; empty when fine. */
export function lintConfiguration(config: PipelinesConfiguration, taskExists: TaskLookup = () => true): string[] {
  const problems: string[] = [];
  const options = config.options;
  if (options) {
    checkSize('options', options.size, problems);
    checkMaxTime('options', options.maxTime, problems);
    checkRunsOn('options', options.runsOn, problems);
  }
  for (const [name, service] of Object.entries(config.definitions?.services ?? {})) {
    if (service.memory !== undefined && !(Number.isInteger(service.memory) && service.memory >= MIN_SERVICE_MEMORY)) {
      problems.push(`definitions.services.${yamlKey(name)}: memory ${JSON.stringify(service.memory)} is not valid; give whole megabytes, at least ${MIN_SERVICE_MEMORY}`);
    }
  }
  const context: LintContext = { config, taskExists };
  for (const [where, items, offset] of pipelinesOf(config)) {
    lintPipeline(where, items, offset, context, problems);
  }
  return problems;
}

/**
 * Each pipeline with its path in the YAML file and the index its first item
 * has there (a custom pipeline's `variables` entry comes first). Messages
 * name steps by that path, 0-based, e.g. `pipelines.branches.main[2].step`:
 * what `file.addOverride`/`file.patch` address.
 */
function pipelinesOf(config: PipelinesConfiguration): Array<[string, PipelineItem[], number]> {
  const p = config.pipelines;
  const result: Array<[string, PipelineItem[], number]> = [];
  if (p.defaultPipeline) result.push(['pipelines.default', p.defaultPipeline, 0]);
  const keyed = (section: string, map: { [key: string]: PipelineItem[] } | undefined) => {
    for (const [key, items] of Object.entries(map ?? {})) result.push([`pipelines.${section}.${yamlKey(key)}`, items, 0]);
  };
  keyed('branches', p.branches);
  keyed('pull-requests', p.pullRequests);
  keyed('tags', p.tags);
  for (const [name, custom] of Object.entries(p.custom ?? {})) {
    result.push([`pipelines.custom.${yamlKey(name)}`, custom.items, custom.variables && custom.variables.length > 0 ? 1 : 0]);
  }
  return result;
}

/** A key as written in a path: bare when it is a plain word, else quoted (`"**"`). */
function yamlKey(key: string): string {
  return /^[\w-]+$/.test(key) ? key : JSON.stringify(key);
}

/** A step and where it sits, for messages. */
interface LocatedStep {
  readonly step: PipelineStep;
  readonly where: string;
}

/** What step checks need besides the step. */
interface LintContext {
  readonly config: PipelinesConfiguration;
  readonly taskExists: TaskLookup;
}

function lintPipeline(pipeline: string, items: PipelineItem[], offset: number, context: LintContext, problems: string[]): void {
  if (items.length === 0) {
    problems.push(`${pipeline}: has no steps; add a step or remove the pipeline`);
    return;
  }
  const steps: LocatedStep[] = [];
  const deployments = new Map<string, string>();
  const useDeployment = (where: string, name: string | undefined) => {
    if (name === undefined) return;
    checkDeploymentName(where, name, problems);
    const key = name.trim().toLowerCase();
    const first = deployments.get(key);
    if (first) {
      problems.push(`${where}: deployment ${JSON.stringify(name)} is already used by ${first}; Bitbucket allows each deployment environment once per pipeline (deployment names are case-insensitive). Use another environment, or one stage with "deployment:" around several steps`);
    } else {
      deployments.set(key, where);
    }
  };

  items.forEach((item, i) => {
    const at = `${pipeline}[${i + offset}]`;
    const kinds = [item.step && 'step', item.parallel && 'parallel', item.stage && 'stage'].filter(Boolean);
    if (kinds.length !== 1) {
      problems.push(`${at}: an item needs exactly one of step, parallel or stage (got ${kinds.length === 0 ? 'none' : kinds.join(', ')})`);
      return;
    }
    if (item.step) {
      const where = stepName(`${at}.step`, item.step);
      steps.push({ step: item.step, where });
      useDeployment(where, item.step.deployment);
    } else if (item.parallel) {
      item.parallel.steps.forEach((step, j) => {
        const where = stepName(`${at}.parallel.steps[${j}].step`, step);
        steps.push({ step, where });
        useDeployment(where, step.deployment);
        // Atlassian documents manual triggers for steps and stages, not for the steps of a parallel set.
        if (step.trigger === StepTrigger.MANUAL) {
          problems.push(`${where}: "trigger: manual" on a step inside a parallel set; Bitbucket documents manual triggers only for steps and stages. Put a manual step before the parallel set and leave its steps automatic`);
        }
      });
      if (item.parallel.steps.length === 0) problems.push(`${at}.parallel: a parallel set needs at least one step`);
    } else if (item.stage) {
      const stageAt = item.stage.name ? `${at}.stage (${JSON.stringify(item.stage.name)})` : `${at}.stage`;
      useDeployment(stageAt, item.stage.deployment);
      checkCondition(stageAt, item.stage.condition, problems);
      if (item.stage.steps.length === 0) problems.push(`${stageAt}: a stage needs at least one step`);
      item.stage.steps.forEach((step, j) => {
        const where = stepName(`${at}.stage.steps[${j}].step`, step);
        steps.push({ step, where });
        useDeployment(where, step.deployment);
        if (step.condition) problems.push(`${where}: a step inside a stage cannot have a condition; put the condition on the stage`);
      });
    }
  });

  if (startsManually(items[0])) {
    problems.push(`${pipeline}: the first step is "trigger: manual", which Bitbucket rejects; make it automatic, or put manual-only work into a custom pipeline (addCustomPipeline)`);
  }
  if (steps.length > MAX_STEPS_PER_PIPELINE) {
    problems.push(`${pipeline}: has ${steps.length} steps, Bitbucket allows at most ${MAX_STEPS_PER_PIPELINE} per pipeline; merge steps or split the work into custom pipelines`);
  }
  for (const { step, where } of steps) {
    lintStep(where, step, context, problems);
  }
}

function lintStep(where: string, step: PipelineStep, context: LintContext, problems: string[]): void {
  const taskExists = context.taskExists;
  checkSize(where, step.size, problems);
  checkMaxTime(where, step.maxTime, problems);
  checkCondition(where, step.condition, problems);
  checkConcurrencyGroup(where, step.concurrencyGroup, problems);
  checkRunsOn(where, step.runsOn, problems);
  checkServices(where, step, context.config, problems);
  const script = step.script ?? [];
  if (script.length === 0) {
    problems.push(`${where}: has no script; give the step at least one command`);
  }
  for (const line of [...script, ...(step.afterScript ?? [])]) {
    const aws = awsCommand(line);
    if (aws && step.oidc !== true) {
      problems.push(`${where}: runs ${JSON.stringify(aws)} without "oidc: true", so it gets no OIDC token and cannot assume the deploy role; set oidc: true on the step (and a deployment: for an environment-scoped role)`);
    }
    const read = readRoleCommand(line);
    if (read && step.oidc !== true) {
      problems.push(`${where}: runs ${JSON.stringify(read)} without "oidc: true", so it gets no OIDC token and cannot assume the read-only role; set oidc: true on the step`);
    }
    if (step.oidc === true && /(^|[;&|]\s*)set\s+(-[a-z]*x|-o\s+xtrace)/.test(line)) {
      problems.push(`${where}: switches on xtrace (${JSON.stringify(line)}) in a step that holds an OIDC token; Bitbucket logs would show it. Remove "set -x"`);
    }
    const unlocked = unlockedNpx(line);
    if (unlocked) {
      problems.push(`${where}: runs ${JSON.stringify(unlocked)}, which makes npx download and run a package that package-lock.json does not lock (any registry or .npmrc decides its bytes); add the tool as a devDependency and call it without -y/--yes/-p/--package`);
    }
    for (const task of projenTasksCalled(line)) {
      if (!taskExists(task)) {
        problems.push(`${where}: calls the projen task ${JSON.stringify(task)}, which does not exist; see .projen/tasks.json or add the task in .projenrc.ts`);
      }
    }
  }
  checkNpxCalls(where, step, problems);
}

/**
 * npx runs a locked copy only after `npm ci` in the same step, and only
 * refuses to download what it does not find with `npm_config_yes=false`
 * exported first (npm 11 in CI installs without asking). Calls with
 * `-y`/`-p` are refused by `unlockedNpx` already; `--no` cannot download.
 * One message per problem and step.
 */
function checkNpxCalls(where: string, step: PipelineStep, problems: string[]): void {
  const found = new Set<string>();
  for (const call of npxCalls(step)) {
    if (call.flags.some((f) => UNLOCKING_NPX_FLAG.test(f)) || call.flags.some((f) => f === '--no' || f === '--no-install')) continue;
    const section = call.afterScript ? 'after-script' : 'script';
    if (!call.installedBefore) {
      found.add(`${where}: runs ${JSON.stringify(call.command)} with no "npm ci" before it in the step, so nothing package-lock.json locks is installed there `
        + `and npx would download ${JSON.stringify(call.packageName ?? '')} from the registry and run whatever is served under that name; `
        + 'run "npm ci" earlier in the same step (with the tool as a devDependency), or run the tool without npx');
    } else if (!call.downloadsRefused) {
      found.add(`${where}: runs ${JSON.stringify(call.command)} in its ${section} without "${NPX_NO_DOWNLOADS}" before it: in CI, npx (npm 11) downloads and runs `
        + `a package that npm ci did not install without asking; add "${NPX_NO_DOWNLOADS}" as the first line of the step's ${section}`);
    }
  }
  problems.push(...found);
}

function stepName(at: string, step: PipelineStep): string {
  return step.name ? `${at} (${JSON.stringify(step.name)})` : at;
}

function startsManually(first: PipelineItem): boolean {
  if (first.step) return first.step.trigger === StepTrigger.MANUAL;
  if (first.stage) return first.stage.trigger === StepTrigger.MANUAL || first.stage.steps[0]?.trigger === StepTrigger.MANUAL;
  if (first.parallel) return first.parallel.steps.some((s) => s.trigger === StepTrigger.MANUAL);
  return false;
}

function checkDeploymentName(where: string, name: unknown, problems: string[]): void {
  if (typeof name !== 'string' || name.trim() === '' || /[\r\n]/.test(name) || name.length > MAX_DEPLOYMENT_NAME_LENGTH) {
    problems.push(`${where}: deployment ${JSON.stringify(name)} is not a valid environment name; give the name as shown in Repository settings → Deployments (one line, 1 to ${MAX_DEPLOYMENT_NAME_LENGTH} characters)`);
  }
}

function checkConcurrencyGroup(where: string, group: unknown, problems: string[]): void {
  if (group === undefined) return;
  if (typeof group !== 'string' || group.trim() === '' || /[\r\n]/.test(group) || group.length > MAX_CONCURRENCY_GROUP_LENGTH) {
    problems.push(`${where}: concurrency-group ${JSON.stringify(group)} is not valid; Bitbucket accepts one line of 1 to ${MAX_CONCURRENCY_GROUP_LENGTH} characters`);
  }
}

function checkRunsOn(where: string, labels: string[] | undefined, problems: string[]): void {
  if (labels === undefined) return;
  if (labels.length > MAX_RUNNER_LABELS || labels.some((l) => typeof l !== 'string' || l.trim() === '' || l.length > MAX_RUNNER_LABEL_LENGTH)) {
    problems.push(`${where}: runs-on ${JSON.stringify(labels)} is not valid; Bitbucket accepts 1 to ${MAX_RUNNER_LABELS} runner labels of 1 to ${MAX_RUNNER_LABEL_LENGTH} characters`);
  }
}

/**
 * At most five services, each defined (or the predefined `docker`), and
 * their memory within what the step's size leaves beside the build container.
 */
function checkServices(where: string, step: PipelineStep, config: PipelinesConfiguration, problems: string[]): void {
  const services = step.services ?? [];
  if (services.length === 0) return;
  if (services.length > MAX_SERVICES_PER_STEP) {
    problems.push(`${where}: has ${services.length} services, Bitbucket allows at most ${MAX_SERVICES_PER_STEP} per step`);
  }
  const defined = config.definitions?.services ?? {};
  for (const name of services.filter((s) => s !== 'docker' && !defined[s])) {
    problems.push(`${where}: uses the service ${JSON.stringify(name)}, which is not under definitions.services; define it (addService) or remove it`);
  }
  const size = step.size ?? config.options?.size ?? '1x';
  const memory = services.reduce((sum, s) => sum + (defined[s]?.memory ?? DEFAULT_SERVICE_MEMORY), 0);
  const limit = serviceMemoryLimit(size);
  if (STEP_SIZES.includes(size) && memory > limit) {
    problems.push(`${where}: its services need ${memory} MB, a ${size} step leaves ${limit} MB beside the build container; lower definitions.services memory or give the step a larger size`);
  }
}

function checkCondition(where: string, condition: PipelineCondition | undefined, problems: string[]): void {
  const changesets = condition?.changesets;
  if (changesets?.includePaths && changesets?.excludePaths) {
    problems.push(`${where}: condition.changesets may have includePaths or excludePaths, not both; keep one`);
  }
}

function checkSize(where: string, size: unknown, problems: string[]): void {
  if (size !== undefined && !STEP_SIZES.includes(size as string)) {
    problems.push(`${where}: size ${JSON.stringify(size)} does not exist; use one of ${STEP_SIZES.join(', ')} (StepSize)`);
  }
}

function checkMaxTime(where: string, maxTime: unknown, problems: string[]): void {
  if (maxTime !== undefined && !(typeof maxTime === 'number' && Number.isInteger(maxTime) && maxTime >= 1 && maxTime <= MAX_TIME_LIMIT)) {
    problems.push(`${where}: max-time ${JSON.stringify(maxTime)} is out of range; Bitbucket accepts 1 to ${MAX_TIME_LIMIT} whole minutes`);
  }
}

/**
 * The part of a script line that needs AWS credentials of a deploy role: a
 * `deploy:<env>`/`diff:<env>` task, `cdk deploy|diff` (also through
 * `npx aws-cdk@<version>`), or the step runner's `deploy`.
 */
export function awsCommand(line: string): string | undefined {
  const task = /(?:^|[\s;&|(])((?:deploy|diff):[\w.-]+)/.exec(line);
  if (task) return task[1];
  for (const segment of line.split(/&&|\|\||[;|&\n()]/)) {
    const words = segment.trim().split(/\s+/).map((w) => w.replace(/^['"]|['"]$/g, ''));
    const runner = words.findIndex((w) => w === OidcStepRunner.FILE_PATH || w.endsWith(`/${OidcStepRunner.FILE_PATH}`));
    if (runner >= 0 && words[runner + 1] === OidcStepAction.DEPLOY) return `${OidcStepRunner.FILE_PATH} ${OidcStepAction.DEPLOY}`;
    const cli = words.findIndex((w) => w === 'cdk' || w.endsWith('/cdk') || /^aws-cdk(@\S*)?$/.test(w));
    if (cli < 0) continue;
    const action = words.slice(cli + 1).find((w) => w === 'deploy' || w === 'diff');
    if (action) return `${words[cli]} ${action}`;
  }
  return undefined;
}

/**
 * The part of a script line that reads AWS with the read-only role: a
 * `preview:<env>`/`drift:<env>` task, or the `bitbucket-cdk-preview` and
 * `bitbucket-cdk-drift` tools themselves.
 */
export function readRoleCommand(line: string): string | undefined {
  return /(?:^|[\s;&|(/])((?:preview|drift):[\w.-]+|bitbucket-cdk-(?:preview|drift)\b)/.exec(line)?.[1];
}

/**
 * An `npx` call that may install what the lockfile does not hold: with
 * `-y`/`--yes` (no prompt before downloading) or `-p`/`--package`.
 */
export function unlockedNpx(line: string): string | undefined {
  // npx in command position: at the start, after ; & | ( or then/do/else (not an argument of echo).
  const m = /(?:^|[;&|(]|\b(?:then|do|else)\s)\s*(npx((?:\s+-{1,2}[\w-]+(?:=[^\s;&|()]+)?)+)(?:\s+[^\s;&|()]+)?)/.exec(line);
  if (!m) return undefined;
  const flags = m[2].trim().split(/\s+/);
  return flags.some((f) => UNLOCKING_NPX_FLAG.test(f)) ? m[1] : undefined;
}

/** npx flags that make it install without asking (`-y`) or install a package named on the command line (`-p`). */
const UNLOCKING_NPX_FLAG = /^(-y|--yes(?!=false)|-p|--package)(=|$)/;

/** Task names in `npx projen <task>` / `projen <task>` calls. */
export function projenTasksCalled(line: string): string[] {
  const tasks: string[] = [];
  const re = /(?:^|[\s;&|(])(?:npx\s+(?:-y\s+)?)?projen\s+([^\s;&|()'"\\]+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (!m[1].startsWith('-')) tasks.push(m[1]);
  }
  return tasks;
}
