import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import type { BitbucketCdkAppOptions } from '../../src';
import { BitbucketOidcDoctor } from '../../src/diagnostics/bitbucket-oidc-doctor';
import { newProject, tempDir } from '../util';

export interface GeneratedDoctor {
  /** Absolute path of the generated script in the synthesised project. */
  readonly file: string;
  /** The folder holding `.projen/bitbucket-oidc-doctor.js`. */
  readonly dir: string;
  readonly files: Record<string, any>;
  readonly project: ReturnType<typeof newProject>;
  readonly doctor: BitbucketOidcDoctor;
}

/**
 * A project with the doctor, synthesised; the generated script is copied
 * byte for byte into a fresh folder (Testing.synth removes its outdir).
 */
export function generateDoctor(options: BitbucketCdkAppOptions): GeneratedDoctor {
  const project = newProject(options);
  const doctor = project.doctor;
  const files = Testing.synth(project);
  const dir = tempDir('pbc-doctor-');
  const file = path.join(dir, BitbucketOidcDoctor.FILE_PATH);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, files[BitbucketOidcDoctor.FILE_PATH]);
  return { file, dir, files, project, doctor };
}

export interface DoctorRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
  /** Lines marked MISMATCH, without the marker. */
  readonly mismatches: string[];
  readonly warnings: string[];
  readonly verdict: string;
}

/**
 * Runs the generated file with `node` and nothing but the given variables,
 * as a pipeline's after-script would (no npm, no node_modules, no projen).
 */
export function runDoctor(file: string, args: string[], env: Record<string, string | undefined>, cwd = tempDir('pbc-doctor-cwd-')): DoctorRun {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
  const r = spawnSync(process.execPath, [file, ...args], { cwd, env: clean, encoding: 'utf-8', timeout: 20_000 });
  const output = `${r.stdout}${r.stderr}`;
  const marked = (label: string) => output.split('\n').filter((l) => l.trimStart().startsWith(label)).map((l) => l.trimStart().slice(label.length).trim());
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    output,
    mismatches: marked('MISMATCH'),
    warnings: marked('WARNING'),
    verdict: output.split('\n').find((l) => l.startsWith('Verdict:')) ?? '',
  };
}

/** A token file outside any clone directory, readable by this user only, as the deploy step writes it. */
export function tokenFile(token: string): string {
  const file = path.join(tempDir('pbc-doctor-token-'), 'web-identity-token');
  fs.writeFileSync(file, token, { mode: 0o600 });
  return file;
}
