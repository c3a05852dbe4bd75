/**
 * Runs a step of the generated `bitbucket-pipelines.yml` the way Bitbucket
 * does: the script lines in one bash session, each printed before it runs,
 * the step failing at the first line that exits non-zero, in a clone of the
 * repository (committed files, no node_modules) with the `cdk.out` artifact
 * restored, and an environment holding only Bitbucket's variables.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';

export interface PipelineStepModel {
  readonly name: string;
  readonly deployment?: string;
  readonly oidc?: boolean;
  readonly trigger?: string;
  readonly script: string[];
}

/** The steps of the main branch pipeline that have a `deployment:`, in order. */
export function deploySteps(pipelineYaml: string, branch = 'main'): PipelineStepModel[] {
  const doc = parse(pipelineYaml);
  const items: any[] = doc?.pipelines?.branches?.[branch] ?? [];
  return items
    .map((item) => item.step)
    .filter((step) => step && step.deployment)
    .map((step) => ({ name: step.name, deployment: step.deployment, oidc: step.oidc, trigger: step.trigger, script: step.script.map(String) }));
}

/** A step as it appears in a pipeline, with the parallel set it belongs to (if any). */
export interface PipelineStepPlacement extends PipelineStepModel {
  /** Index of the pipeline item (step, parallel set or stage) holding the step. */
  readonly item: number;
  /** The parallel set's `fail-fast`, when the step is in one. */
  readonly parallel?: { readonly failFast?: boolean; readonly size: number };
  readonly size?: string;
  readonly caches?: string[];
  readonly artifacts?: string[];
}

/**
 * Every step of one pipeline, in order, parallel sets and stages flattened:
 * `pipelines['pull-requests']['**']` is `['pull-requests', '**']`, a custom
 * pipeline `['custom', '<name>']`.
 */
export function pipelineSteps(pipelineYaml: string, pipelinePath: string[]): PipelineStepPlacement[] {
  let items: any = parse(pipelineYaml)?.pipelines;
  for (const key of pipelinePath) items = items?.[key];
  if (!Array.isArray(items)) throw new Error(`no pipeline ${pipelinePath.join(' > ')} in bitbucket-pipelines.yml`);
  const model = (step: any, item: number, parallel?: PipelineStepPlacement['parallel']): PipelineStepPlacement => ({
    name: step.name,
    deployment: step.deployment,
    oidc: step.oidc,
    trigger: step.trigger,
    script: (step.script ?? []).map(String),
    item,
    parallel,
    size: step.size,
    caches: step.caches,
    artifacts: Array.isArray(step.artifacts) ? step.artifacts : step.artifacts?.paths,
  });
  return items.flatMap((entry: any, item: number) => {
    if (entry.step) return [model(entry.step, item)];
    if (entry.parallel) {
      const steps: any[] = Array.isArray(entry.parallel) ? entry.parallel : entry.parallel.steps;
      const parallel = { failFast: Array.isArray(entry.parallel) ? undefined : entry.parallel['fail-fast'], size: steps.length };
      return steps.map((s) => model(s.step, item, parallel));
    }
    if (entry.stage) return (entry.stage.steps as any[]).map((s) => model(s.step, item));
    return [];
  });
}

/** Replaces the `deployment:` step's script in a YAML text (for mutation tests). */
export function withDeployScript(pipelineYaml: string, deployment: string, edit: (script: string[]) => string[], branch = 'main'): string {
  const doc = parse(pipelineYaml);
  const step = (doc.pipelines.branches[branch] as any[]).map((i) => i.step).find((s) => s?.deployment === deployment);
  if (!step) throw new Error(`no step deploys to ${deployment}`);
  step.script = edit(step.script.map(String));
  return stringify(doc);
}

function singleQuote(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}

const LINE_TIME_MARK = '[rehearsal-time] line ';

/**
 * The bash script Bitbucket's runner amounts to: print each command (as
 * written, unexpanded, like the build log shows it), run it, stop the step
 * with its exit status when it fails.
 */
export function runnerScript(lines: string[], options: { timestamps?: boolean } = {}): string {
  const out = ['#!/usr/bin/env bash'];
  for (const [i, line] of lines.entries()) {
    // Milliseconds since the epoch before each line, to time the lines (`lineSeconds`).
    if (options.timestamps) out.push(`printf '${LINE_TIME_MARK}%s %s\\n' ${i} "$(date +%s%3N)" >&2`);
    out.push(`printf '+ %s\\n' ${singleQuote(line)}`);
    out.push(line);
    out.push('__rc=$?; if [ "$__rc" -ne 0 ]; then exit "$__rc"; fi');
  }
  if (options.timestamps) out.push(`printf '${LINE_TIME_MARK}%s %s\\n' end "$(date +%s%3N)" >&2`);
  return out.join('\n') + '\n';
}

/** Seconds each script line took, from the marks of `runnerScript(lines, { timestamps: true })` in stderr. */
export function lineSeconds(stderr: string, lines: string[]): Array<{ line: string; seconds: number }> {
  const marks = [...stderr.matchAll(/^\[rehearsal-time\] line (\d+|end) (\d+)$/gm)].map((m) => ({ index: m[1], ms: Number(m[2]) }));
  return marks.slice(0, -1).map((m, i) => ({ line: lines[Number(m.index)], seconds: (marks[i + 1].ms - m.ms) / 1000 }));
}

export interface ProcessResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * Spawns without blocking the event loop (the stand-in AWS answers from this
 * same process). Killed, with its process group, after `timeoutMs`.
 */
export function spawnAsync(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ProcessResult> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      stderr += `\n[rehearsal] killed after ${opts.timeoutMs} ms`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch { /* already gone */ }
    }, opts.timeoutMs ?? 180_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? (signal ? 128 : -1), stdout, stderr, seconds: (Date.now() - start) / 1000 });
    });
  });
}

export interface CloneOptions {
  /** The generated project. */
  readonly projectDir: string;
  /** Where the clone goes (must not exist yet). */
  readonly cloneDir: string;
  /** Artifact folders restored into the clone (default `cdk.out`). */
  readonly artifacts?: string[];
  /** Replaces `bitbucket-pipelines.yml` in the clone. */
  readonly pipelineYaml?: string;
}

/** Not committed (gitignored or installed) and not an artifact of the deploy steps. */
const NOT_IN_CLONE = new Set(['node_modules', 'cdk.out', 'cdk.oidc.out', '.git', 'coverage', 'test-reports', 'lib', '.jsii', 'tsconfig.tsbuildinfo']);

/** What Bitbucket checks out for a deploy step: committed files, then the artifacts. */
export function cloneForStep(opts: CloneOptions): void {
  fs.mkdirSync(opts.cloneDir, { recursive: true });
  for (const entry of fs.readdirSync(opts.projectDir)) {
    if (NOT_IN_CLONE.has(entry)) continue;
    fs.cpSync(path.join(opts.projectDir, entry), path.join(opts.cloneDir, entry), { recursive: true });
  }
  for (const artifact of opts.artifacts ?? ['cdk.out']) {
    fs.cpSync(path.join(opts.projectDir, artifact), path.join(opts.cloneDir, artifact), { recursive: true });
  }
  if (opts.pipelineYaml !== undefined) fs.writeFileSync(path.join(opts.cloneDir, 'bitbucket-pipelines.yml'), opts.pipelineYaml);
}

/**
 * Replaces `from` with `to` in a file of a clone (for mutation tests of the
 * committed step runner); fails when `from` is not there, so a mutation
 * cannot silently become a no-op.
 */
export function mutateFile(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf-8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}: update the mutation`);
  fs.writeFileSync(file, text.split(from).join(to));
}

/** Every regular file under `dir` whose content contains `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && fs.readFileSync(p).includes(needle)) found.push(p);
    }
  };
  walk(dir);
  return found;
}
