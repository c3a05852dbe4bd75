import type { PipelineStep } from './configuration-model';

/*
 * What `npx` may run in a pipeline step, in one place: the generated steps
 * use these lines, the lints (pipeline-lints.ts) check every step against
 * the same rules, and `withNpxDownloadsRefused` applies them to the steps a
 * project adds.
 *
 * npm 11's npx installs a package it does not find locally without asking
 * when it detects CI (Bitbucket included): `npx some-tool` in a step then
 * runs whatever a registry serves under that name. `npm_config_yes=false`
 * makes npx stop instead ("npx canceled due to missing packages"), so it runs
 * only what `npm ci` installed from package-lock.json.
 */

/** The npm setting that, set to `false`, makes npx refuse to download. */
export const NPX_YES_VARIABLE = 'npm_config_yes';

/** The line every step that runs `npx` has before its first `npx`. */
export const NPX_NO_DOWNLOADS = `export ${NPX_YES_VARIABLE}=false`;

/** npx flags that make it refuse to install, on this call only. */
const NO_INSTALL_FLAGS = ['--no', '--no-install', '--no-yes', '--yes=false'];

/** npx flags followed by a value (unless written `--flag=value`). */
const FLAGS_WITH_VALUE = ['-p', '--package', '-c', '--call'];

/** Shell words that may start a command line before the command itself. */
const RESERVED_WORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);

/** One `npx` (or `npm exec`/`npm x`) call of a step, with what the step did before it. */
export interface NpxCall {
  /** The call as written up to the package it runs, e.g. `npx cdk` or `npx -y aws-cdk@2.1148.1`. */
  readonly command: string;
  /** The package (or bin) name it runs; undefined when the line ends after the flags. */
  readonly packageName?: string;
  /** The flags before the package. */
  readonly flags: string[];
  /** Whether the step section is `after-script` (its shell may not be the script's). */
  readonly afterScript: boolean;
  /** Whether `npm ci` ran earlier in the step: only then is there a locked copy to run. */
  readonly installedBefore: boolean;
  /** Whether npx cannot download here: `npm_config_yes=false` exported before it (or given to it), or `--no`. */
  readonly downloadsRefused: boolean;
}

/**
 * Every npx call of a step in order. `npm ci` earlier in the script counts
 * for the after-script too (node_modules stays on disk), an exported
 * `npm_config_yes=false` only within its own section.
 */
export function npxCalls(step: Pick<PipelineStep, 'script' | 'afterScript'>): NpxCall[] {
  const calls: NpxCall[] = [];
  let installed = false;
  const section = (lines: string[] | undefined, afterScript: boolean) => {
    let refused = false;
    for (const line of lines ?? []) {
      for (const words of commands(line)) {
        const { assignments, rest } = splitAssignments(words);
        const [name, ...args] = rest;
        if (name === undefined) {
          // `npm_config_yes=false` alone on a line sets a shell variable, which npx does not see: only export counts.
          continue;
        }
        if (name === 'export') {
          for (const a of args) {
            const v = yesSetting(a);
            if (v !== undefined) refused = v === 'false';
          }
        } else if (name === 'unset' && args.some((a) => a.toLowerCase() === NPX_YES_VARIABLE)) {
          refused = false;
        } else if (name === 'npm' && args[0] === 'ci') {
          installed = true;
        } else if (name === 'npx' || (name === 'npm' && (args[0] === 'exec' || args[0] === 'x'))) {
          const call = parseNpx(name === 'npx' ? ['npx', ...args] : ['npm', ...args], name === 'npx' ? 1 : 2);
          const given = assignments.map(yesSetting).filter((v) => v !== undefined).pop();
          calls.push({
            ...call,
            afterScript,
            installedBefore: installed,
            downloadsRefused: (given !== undefined ? given === 'false' : refused) || call.flags.some((f) => NO_INSTALL_FLAGS.includes(f)),
          });
        }
      }
    }
  };
  section(step.script, false);
  section(step.afterScript, true);
  return calls;
}

/**
 * The step with `NPX_NO_DOWNLOADS` as first line of each section (script,
 * after-script) in which an npx call could download; unchanged otherwise.
 * Applied to the steps a project adds, so that `npx <tool>` there runs only
 * the locked copy without anyone having to know about the setting.
 */
export function withNpxDownloadsRefused(step: PipelineStep): PipelineStep {
  const open = npxCalls(step).filter((c) => !c.downloadsRefused);
  const guard = (lines: string[], afterScript: boolean) => (open.some((c) => c.afterScript === afterScript) ? [NPX_NO_DOWNLOADS, ...lines] : lines);
  if (open.length === 0) return step;
  return { ...step, script: guard(step.script ?? [], false), ...(step.afterScript ? { afterScript: guard(step.afterScript, true) } : {}) };
}

function parseNpx(words: string[], start: number): Omit<NpxCall, 'afterScript' | 'installedBefore' | 'downloadsRefused'> {
  const flags: string[] = [];
  let i = start;
  for (; i < words.length && words[i].startsWith('-'); i++) {
    if (words[i] === '--') {
      i++;
      break;
    }
    flags.push(words[i]);
    if (FLAGS_WITH_VALUE.includes(words[i]) && i + 1 < words.length) flags.push(words[++i]);
  }
  const packageName = words[i];
  return { command: words.slice(0, packageName === undefined ? i : i + 1).join(' '), packageName, flags };
}

/** The value a `npm_config_yes=<value>` word sets (npm reads the name in any case); undefined for other words. */
function yesSetting(word: string): string | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(word);
  return m && m[1].toLowerCase() === NPX_YES_VARIABLE ? m[2] : undefined;
}

function splitAssignments(words: string[]): { assignments: string[]; rest: string[] } {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++;
  return { assignments: words.slice(0, i), rest: words.slice(i) };
}

/**
 * The simple commands of a script line, as words, in order. Single-quoted
 * text is dropped (nothing in it runs); lists, pipes, subshells and command
 * substitutions are split; reserved words before a command are skipped.
 * Not a shell parser: enough for the lines of a pipeline file.
 */
function commands(line: string): string[][] {
  const unquoted = line.replace(/'[^']*'/g, "''");
  return unquoted.split(/&&|\|\||\$\(|[;&|()`\n]/).map((segment) => {
    const words = segment.trim().split(/\s+/).filter(Boolean).map((w) => w.replace(/^"|"$/g, ''));
    while (words.length > 0 && RESERVED_WORDS.has(words[0])) words.shift();
    return words;
  }).filter((words) => words.length > 0);
}
