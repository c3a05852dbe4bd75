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

/**
 * The bash script Bitbucket's runner amounts to: print each command (as
 * written, unexpanded, like the build log shows it), run it, stop the step
 * with its exit status when it fails.
 */
export function runnerScript(lines: string[]): string {
  const out = ['#!/usr/bin/env bash'];
  for (const line of lines) {
    out.push(`printf '+ %s\\n' ${singleQuote(line)}`);
    out.push(line);
    out.push('__rc=$?; if [ "$__rc" -ne 0 ]; then exit "$__rc"; fi');
  }
  return out.join('\n') + '\n';
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
