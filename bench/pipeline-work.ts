// A dev tool, like scripts/: devDependencies are its dependencies (.projenrc.ts lists only test, templates, scripts as devdirs).
// eslint-disable-next-line import/no-extraneous-dependencies
import { parse } from 'yaml';

/** The expensive work one pipeline run does, counted from its script lines. */
export interface PipelineWork {
  readonly steps: number;
  /** `npm ci` / `npm install` / `yarn install` of the project's dependencies. */
  readonly installs: number;
  /** `cdk synth`, `projen build` (synthesises in post-compile), and `cdk deploy` without `--app <assembly>` (synthesises again). */
  readonly synths: number;
  /** Downloads of the CDK CLI alone: `npx -y aws-cdk@...`, `npm install -g aws-cdk`, the deploy step pre-flight's locked `npm ci`. */
  readonly cliDownloads: number;
}

const INSTALL = /(^|[;&|]\s*)(npm\s+(ci|install|i)(?!\s+(-g|--global))\b|yarn(\s+install)?\s*$)/;
const CLI_DOWNLOAD = /(^|[;&|(]\s*)(npx\s+(-y\s+|--yes\s+)?aws-cdk(@\S+)?\b|npm\s+(install|i)\s+(-g|--global)\s+aws-cdk\b|node\s+\S*bitbucket-deploy-preflight\.js\b)/;
const EXPLICIT_SYNTH = /(^|[;&|]\s*)((npx\s+)?projen\s+(build|synth(:silent)?)|(npx\s+)?(cdk|aws-cdk(@\S+)?)\s+synth)\b/;
const DEPLOY = /\b(cdk|aws-cdk(@\S+)?)\s+deploy\b/;

/** Counts one script line. */
export function lineWork(line: string): Omit<PipelineWork, 'steps'> {
  const deploy = DEPLOY.test(line);
  // `cdk deploy` re-runs the app unless it is pointed at an existing assembly.
  const implicitSynth = deploy && !/--app\s+\S*(cdk\.out|\.out)\b/.test(line);
  return {
    installs: INSTALL.test(line) ? 1 : 0,
    synths: (EXPLICIT_SYNTH.test(line) ? 1 : 0) + (implicitSynth ? 1 : 0),
    cliDownloads: CLI_DOWNLOAD.test(line) ? 1 : 0,
  };
}

/** The steps of one branch pipeline of a `bitbucket-pipelines.yml` (anchors and merge keys resolved), in order. */
export function branchSteps(yamlText: string, branch: string): any[] {
  const doc = parse(yamlText, { merge: true });
  const items: any[] = doc?.pipelines?.branches?.[branch];
  if (!Array.isArray(items)) throw new Error(`no pipelines.branches.${branch}`);
  return items.flatMap((item) => {
    if (item.step) return [item.step];
    if (item.parallel) return (item.parallel.steps ?? item.parallel).map((s: any) => s.step);
    if (item.stage) return item.stage.steps.map((s: any) => s.step);
    return [];
  });
}

/** Counts the work of one branch pipeline of a `bitbucket-pipelines.yml`. */
export function branchPipelineWork(yamlText: string, branch: string): PipelineWork {
  const steps = branchSteps(yamlText, branch);
  const total = { steps: steps.length, installs: 0, synths: 0, cliDownloads: 0 };
  for (const step of steps) {
    // after-script only runs diagnostics on failure: not part of a normal run's work.
    for (const line of step.script as string[]) {
      const w = lineWork(line);
      total.installs += w.installs;
      total.synths += w.synths;
      total.cliDownloads += w.cliDownloads;
    }
  }
  return total;
}
