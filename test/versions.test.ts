/**
 * The versions a user is told about match the ones this package declares and
 * tests: the README's `projen new` commands pin the tested projen, its peer
 * range and Node.js statements are those of package.json, and the pipeline's
 * default Node image is one the package supports. (The oldest projen and
 * Node 22 themselves run in test/e2e/supported-versions.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { MIN_NODE_VERSION, OLDEST_PROJEN_VERSION, PROJEN_PEER_RANGE, PROJEN_VERSION } from '../projenrc/versions';
import { PROJEN_VERSION as PROJEN_INSTALLED } from '../scripts/project-factory';
import { DEFAULT_CDK_CLI_INTEGRITY, DEFAULT_CDK_CLI_VERSION, DEFAULT_NODE_MAJOR } from '../src/versions';
import { upgradeFilter } from './support/projen-upgrade';
import { baseOptions, newProject } from './util';

const REPO = path.join(__dirname, '..');
const packageJson = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf-8'));
const DOCS = ['README.md', ...fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Every `projen new` command of the user docs, continuation lines joined. */
function projenNewCommands(): Array<{ file: string; command: string }> {
  const commands: Array<{ file: string; command: string }> = [];
  for (const file of DOCS) {
    const lines = fs.readFileSync(path.join(REPO, file), 'utf-8').split('\n');
    lines.forEach((line, i) => {
      if (!/^\s*npx (-y )?projen\S* new\b/.test(line)) return;
      let command = line.trim();
      for (let j = i; lines[j].trimEnd().endsWith('\\'); j++) command = `${command.slice(0, -1).trimEnd()} ${lines[j + 1].trim()}`;
      commands.push({ file, command });
    });
  }
  return commands;
}

describe('projen', () => {
  test('this repository builds and tests with the newest supported projen, and declares the open peer range', () => {
    expect(PROJEN_INSTALLED).toBe(PROJEN_VERSION);
    expect(packageJson.peerDependencies.projen).toBe(PROJEN_PEER_RANGE);
    // Closed at 1.0, not at the next minor: a projen 0.104 must not make users' `npm install` fail on a peer conflict.
    expect(PROJEN_PEER_RANGE).toBe(`>=${OLDEST_PROJEN_VERSION} <1.0.0`);
  });

  test('every `projen new` in README.md and docs/ runs and pins the tested projen', () => {
    const commands = projenNewCommands();
    expect(commands.map((c) => c.file)).toEqual(expect.arrayContaining(['README.md', 'docs/platform-teams.md']));
    for (const { file, command } of commands) {
      // `npx projen@<v>` runs that projen's `new`; `--projen-version <v>` installs it and writes `projenVersion` into
      // .projenrc.ts: an exact devDependency, which projen's upgrade task leaves alone.
      expect({ file, command: command.split(' new ')[0].replace('npx -y ', 'npx ') }).toEqual({ file, command: `npx projen@${PROJEN_VERSION}` });
      expect({ file, pinned: command.includes(` --projen-version ${PROJEN_VERSION}`) }).toEqual({ file, pinned: true });
    }
  });

  test('a project pinned to a projen (projenVersion, as `--projen-version` writes it) keeps it through `upgrade`', () => {
    const pinned = Testing.synth(newProject(baseOptions({ projenVersion: OLDEST_PROJEN_VERSION })));
    expect(pinned['package.json'].devDependencies.projen).toBe(OLDEST_PROJEN_VERSION);
    // npm-check-updates may change only what it is given; `npm update` keeps an exact version.
    expect(upgradeFilter(pinned['.projen/tasks.json'])).toContain('typescript');
    expect(upgradeFilter(pinned['.projen/tasks.json'])).not.toContain('projen');
    // Without the pin (a bare `npx projen new`), upgrade would move projen to its newest minor.
    expect(upgradeFilter(Testing.synth(newProject(baseOptions()))['.projen/tasks.json'])).toContain('projen');
  });

  test('the README states the peer range and the tested projen versions', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf-8');
    expect(readme).toContain(`\`${PROJEN_PEER_RANGE}\``);
    expect(readme).toContain(`projen ${OLDEST_PROJEN_VERSION} and ${PROJEN_VERSION}`);
  });

  test('the preset in docs/platform-teams.md declares a projen peer range open up to 1.0, like this package', () => {
    const guide = fs.readFileSync(path.join(REPO, 'docs', 'platform-teams.md'), 'utf-8');
    const peers = [...guide.matchAll(/'projen@([^']+)'/g)].map((m) => m[1]);
    expect(peers.length).toBeGreaterThan(0);
    for (const peer of peers) expect(peer).toMatch(/^>=0\.\d+\.\d+ <1\.0\.0$/);
  });
});

describe('Node.js', () => {
  const minMajor = MIN_NODE_VERSION.split('.')[0];

  test('package.json engines and the README state the same minimum', () => {
    expect(packageJson.engines.node).toBe(`>= ${MIN_NODE_VERSION}`);
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf-8');
    expect(readme).toContain(`**Prerequisites:** Node.js ${minMajor} or later`);
  });

  test('the pipeline image generated projects default to is a supported Node.js', () => {
    expect(Number(DEFAULT_NODE_MAJOR)).toBeGreaterThanOrEqual(Number(minMajor));
  });
});

describe('the CDK CLI', () => {
  test('the shipped integrity is the one this repository\'s package-lock.json locks for the default CLI (bump both together)', () => {
    // .projenrc.ts adds aws-cdk@DEFAULT_CDK_CLI_VERSION as a devDependency, so npm writes the registry's integrity here.
    const lock = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf-8'));
    const entry = lock.packages['node_modules/aws-cdk'];
    expect({ version: entry?.version, integrity: entry?.integrity })
      .toEqual({ version: DEFAULT_CDK_CLI_VERSION, integrity: DEFAULT_CDK_CLI_INTEGRITY });
  });
});
