import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { shellQuote } from '../../src/pipeline/shell';

export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs script lines as Bitbucket does: print each line, run it, stop at the
 * first failing command.
 */
export function runLikeBitbucket(lines: string[], cwd: string, env: NodeJS.ProcessEnv, shell = 'bash'): ScriptRun {
  const file = path.join(fs.mkdtempSync(path.join(path.dirname(cwd), 'script-')), 'step.sh');
  fs.writeFileSync(file, lines.map((l) => `printf '%s\\n' ${shellQuote(`+ ${l}`)}\n${l}`).join('\n') + '\n');
  const result = spawnSync(shell, ['-e', file], { cwd, env, encoding: 'utf-8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `runLikeBitbucket` without blocking the event loop, for scripts that talk
 * to a server in the test's own process (a fake registry). Killed after `timeoutMs`.
 */
export function runLikeBitbucketAsync(lines: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ScriptRun> {
  const file = path.join(fs.mkdtempSync(path.join(path.dirname(cwd), 'script-')), 'step.sh');
  fs.writeFileSync(file, lines.map((l) => `printf '%s\\n' ${shellQuote(`+ ${l}`)}\n${l}`).join('\n') + '\n');
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
