import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { STALE_FILES_CHECK, buildStepScript, synthStepScript } from '../../src/pipeline/build-step-script';
import { NPX_NO_DOWNLOADS } from '../../src/pipeline/npx-policy';
import { tempDir } from '../util';
import { runLikeBitbucket } from './script-runner';

/** A committed repository like a project after `npx projen`: a generated file and an ignored cdk.out. */
function repository(): string {
  const root = tempDir('pbc-stale-');
  const repo = path.join(root, 'build');
  fs.mkdirSync(repo);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo });
  git('init', '-q');
  fs.writeFileSync(path.join(repo, '.gitignore'), '/cdk.out/\n/node_modules/\n');
  fs.writeFileSync(path.join(repo, 'bitbucket-pipelines.yml'), 'image: node:22\n');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  return repo;
}

function check(repo: string) {
  return runLikeBitbucket(STALE_FILES_CHECK, repo, { PATH: process.env.PATH, HOME: path.dirname(repo) });
}

describe('stale generated files check', () => {
  test('fails when git itself fails (not a repository, no git in the image) instead of passing silently', () => {
    const notARepo = tempDir('pbc-nogit-');
    const r = check(path.join(notARepo));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('git status failed');
  });

  test('passes when the build changed nothing tracked (ignored output does not count)', () => {
    const repo = repository();
    fs.mkdirSync(path.join(repo, 'cdk.out'));
    fs.writeFileSync(path.join(repo, 'cdk.out', 'manifest.json'), '{}');
    const r = check(repo);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  test('fails and names a file the build changed', () => {
    const repo = repository();
    fs.writeFileSync(path.join(repo, 'bitbucket-pipelines.yml'), 'image: node:24\n');
    const r = check(repo);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Run "npx projen build" locally');
    expect(r.stderr).toContain(' M bitbucket-pipelines.yml');
  });

  test('fails and names a file the build created', () => {
    const repo = repository();
    fs.writeFileSync(path.join(repo, 'new-generated.ts'), 'export {};\n');
    const r = check(repo);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('?? new-generated.ts');
  });

  test('a build step refuses npx downloads, installs once, builds once, then checks', () => {
    expect(buildStepScript()).toEqual([NPX_NO_DOWNLOADS, 'npm ci', 'npx projen build', ...STALE_FILES_CHECK]);
    expect(synthStepScript()).toEqual([NPX_NO_DOWNLOADS, 'npm ci', 'npx projen synth:silent']);
  });
});

describe('executed with npm and npx stubs on PATH', () => {
  /** Logs each call with the npm_config_yes it sees (npx then refuses to download what npm ci did not install). */
  const STUB = (name: string) => `#!/bin/sh\nprintf '%s npm_config_yes=%s\\n' "${name} $*" "\${npm_config_yes:-unset}" >> "$STUB_LOG"\n`;

  test.each([['build', buildStepScript], ['synth', synthStepScript]])('every npx of the %s step runs with npm_config_yes=false', (_kind, script) => {
    const repo = repository();
    const bin = path.join(path.dirname(repo), 'bin');
    fs.mkdirSync(bin);
    for (const tool of ['npm', 'npx']) fs.writeFileSync(path.join(bin, tool), STUB(tool), { mode: 0o755 });
    const log = path.join(path.dirname(repo), 'calls.log');
    const r = runLikeBitbucket(script(), repo, { PATH: `${bin}:${process.env.PATH}`, HOME: path.dirname(repo), STUB_LOG: log });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const calls = fs.readFileSync(log, 'utf-8').trim().split('\n');
    const npx = calls.filter((c) => c.startsWith('npx '));
    expect(npx).toHaveLength(1);
    expect(npx[0]).toMatch(/^npx projen (build|synth:silent) npm_config_yes=false$/);
  });
});
