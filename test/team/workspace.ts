import * as fs from 'fs';
import * as path from 'path';
import { BitbucketCdkApp, BitbucketCdkAppOptions } from '../../src';

/** Every file under `dir` (relative POSIX path → bytes), without installed dependencies or git. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      if (entry.isDirectory()) walk(child);
      else files.set(child, fs.readFileSync(path.join(dir, child)));
    }
  };
  walk('');
  return files;
}

/** Paths added, removed or with different bytes between two trees, sorted. */
export function changedPaths(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  const all = new Set([...before.keys(), ...after.keys()]);
  return [...all].filter((p) => {
    const a = before.get(p);
    const b = after.get(p);
    return !a || !b || !a.equals(b);
  }).sort();
}

/**
 * Runs `npx projen` in-process, as the CLI would on an existing checkout:
 * a new project object from the options, synthesised into `outdir`, without
 * the post-synth `npm install` (as `Testing.synth` does).
 */
export function synthInto(outdir: string, options: BitbucketCdkAppOptions): BitbucketCdkApp {
  const saved = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    const project = new BitbucketCdkApp({ ...options, outdir });
    project.synth();
    return project;
  } finally {
    if (saved === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = saved;
  }
}
