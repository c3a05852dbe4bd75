/**
 * The code of docs/platform-teams.md, block by block: the end-to-end test
 * runs these blocks as a platform team copies them, so the guide and the test
 * cannot drift apart.
 */
import * as fs from 'fs';
import * as path from 'path';

export const GUIDE_PATH = path.join(__dirname, '..', '..', 'docs', 'platform-teams.md');

/** The fenced block that follows `<!-- preset guide: <key> -->`. */
export function guideBlock(key: string): string {
  const guide = fs.readFileSync(GUIDE_PATH, 'utf-8');
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`<!-- preset guide: ${escaped} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\`\\n`).exec(guide);
  if (!match) throw new Error(`${GUIDE_PATH} has no block "preset guide: ${key}"`);
  return match[1];
}

/** The version of `<name>` the preset's `npm install` line installs, e.g. `0.1.0`. */
export function installedVersion(name: string): string {
  const match = new RegExp(`\\s${name.replace('/', '\\/')}@([^\\s]+)`).exec(guideBlock('preset/first-build'));
  if (!match) throw new Error(`the preset's first-build block installs no ${name}`);
  return match[1];
}

/** The range of a peer in the preset's `.projenrc.ts`, e.g. `^0.1.0`. */
export function peerRange(name: string): string {
  const match = new RegExp(`'${name}@([^']+)'`).exec(guideBlock('preset/.projenrc.ts'));
  if (!match) throw new Error(`the preset's .projenrc.ts names no peer ${name}`);
  return match[1];
}
