import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Project } from 'projen';
import { tempDir } from '../util';

/** Writes the project to its outdir, as `npx projen` would (Testing.synth keeps no files), without the post-synth npm install. */
export function synthToDisk(project: Project): void {
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    delete process.env.PROJEN_DISABLE_POST;
  }
}

/** What a recording fake program received. */
export interface RecordedCall {
  readonly args: string[];
  readonly env: Record<string, string>;
}

/**
 * Runs a task of a synthesised project as `npx projen <task> [args]` does,
 * with `fakes` on PATH: programs that record their arguments and environment
 * and exit with `exitCode`. With arguments through projen's CLI (which
 * passes them on); without, through its lighter task runner alone.
 */
export function runTask(dir: string, task: string, options: { fakes: string[]; args?: string[]; exitCode?: number; env?: NodeJS.ProcessEnv }) {
  const bin = tempDir('pbc-bin-');
  for (const name of options.fakes) {
    fs.writeFileSync(path.join(bin, name), [
      `#!${process.execPath}`,
      `require('fs').writeFileSync(${JSON.stringify(path.join(bin, `${name}.json`))}, JSON.stringify({ args: process.argv.slice(2), env: process.env }));`,
      `process.exit(${options.exitCode ?? 0});`,
    ].join('\n'), { mode: 0o755 });
  }
  const projen = path.dirname(require.resolve('projen/package.json'));
  const entry = options.args ? path.join(projen, 'bin', 'projen') : path.join(projen, 'lib', 'run-task.cjs');
  const r = spawnSync(process.execPath, [entry, task, ...(options.args ?? [])], {
    cwd: dir, env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, ...options.env }, encoding: 'utf-8', timeout: 30_000,
  });
  const calls: { [name: string]: RecordedCall | undefined } = {};
  for (const name of options.fakes) {
    const file = path.join(bin, `${name}.json`);
    calls[name] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : undefined;
  }
  return { ...r, calls };
}
