import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Logger } from 'projen';
import { Testing } from 'projen/lib/testing';
import { parsePipelines, schemaErrors, stepsOf } from './pipeline-helpers';
import { BitbucketCdkApp, BitbucketCdkAppOptions, BitbucketPipelines, UpgradePipeline } from '../../src';
import { NPX_NO_DOWNLOADS } from '../../src/pipeline/npx-policy';
import { lintConfiguration } from '../../src/pipeline/pipeline-lints';
import { baseOptions, newProject, tasks, tempDir, twoEnvironmentOptions } from '../util';

function upgradeSteps(files: Record<string, any>): any[] {
  const custom = parsePipelines(files['bitbucket-pipelines.yml']).pipelines.custom ?? {};
  return (custom[UpgradePipeline.PIPELINE_NAME] ?? []).map((item: any) => item.step);
}

describe('upgrade-dependencies custom pipeline', () => {
  test('by default: one step that refuses other branches, installs, runs the upgrade task, builds, and pushes a deps/ branch only when something changed', () => {
    const project = newProject(baseOptions());
    const files = Testing.synth(project);
    const [step, ...rest] = upgradeSteps(files);
    expect(rest).toEqual([]);
    const script: string[] = step.script;
    // The task it runs is the one projen's depsUpgrade defines.
    expect(tasks(files).upgrade).toBeDefined();
    expect(script[0]).toBe('where="not on ${BITBUCKET_BRANCH:-a commit without branch}"');
    expect(script[1]).toMatch(/^if \[ "\$\{BITBUCKET_BRANCH:-\}" != main \]; then .*; fi$/);
    expect(script[2]).toMatch(/^if \[ "\$\{BITBUCKET_BRANCH:-\}" != main \]; then .* exit 1; fi$/);
    expect(script.slice(3, 8)).toEqual([NPX_NO_DOWNLOADS, UpgradePipeline.PREFER_ONLINE, 'npm ci', 'npx projen upgrade', 'npx projen build']);
    const status = script.findIndex((l) => l.startsWith('changes="$(git status --porcelain --untracked-files=all)" ||') && l.includes('exit 1'));
    const noChange = script.findIndex((l) => l.includes('-z "$changes"') && l.includes('exit 0'));
    expect(status).toBe(noChange - 1);
    const push = script.findIndex((l) => l.startsWith('git push'));
    expect(noChange).toBeGreaterThan(2);
    expect(push).toBeGreaterThan(noChange);
    expect(script).toContain('branch=deps/upgrade-"${BITBUCKET_BUILD_NUMBER:?}"');
    expect(script[push]).toBe('git push origin "$branch"');
    // The only push, to the new branch; nothing else writes to a remote.
    expect(script.filter((l) => /\bgit\s+push\b/.test(l))).toEqual(['git push origin "$branch"']);
    expect(script.join('\n')).not.toMatch(/git add -A\s*$|git add \.|git commit -a/m);
    expect(step.oidc).toBeUndefined();
    expect(step.deployment).toBeUndefined();
  });

  test('it restores no cache that a pull-request step saves, and asks the registry for every answer (no cached metadata)', () => {
    // With previews and drift on: every generated step that could share a cache with it.
    const project = newProject({ ...twoEnvironmentOptions(), pullRequestPreview: true, driftDetection: true });
    const files = Testing.synth(project);
    const doc = parsePipelines(files['bitbucket-pipelines.yml']);
    const [step] = upgradeSteps(files);
    const pullRequestCaches = new Set(stepsOf(doc.pipelines['pull-requests']['**']).flatMap((s: any) => s.caches ?? []));
    expect(pullRequestCaches).toContain(BitbucketPipelines.NPM_CACHE);
    expect((step.caches ?? []).filter((c: string) => pullRequestCaches.has(c))).toEqual([]);
    expect(step.caches).toBeUndefined();
    // Set before the first npm command, for npm ci, the upgrade task (npm-check-updates, npm install) and the build.
    const script: string[] = step.script;
    expect(UpgradePipeline.PREFER_ONLINE).toBe('export npm_config_prefer_online=true');
    expect(script.indexOf(UpgradePipeline.PREFER_ONLINE)).toBeGreaterThan(0);
    expect(script.indexOf(UpgradePipeline.PREFER_ONLINE)).toBeLessThan(script.indexOf('npm ci'));
  });

  test('the file stays valid: schema and Bitbucket lints', () => {
    const project = newProject(baseOptions());
    const doc = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']);
    expect(schemaErrors(doc)).toEqual([]);
    expect(lintConfiguration(project.pipelines.configuration(), (t) => project.tasks.tryFind(t) !== undefined)).toEqual([]);
  });

  test('upgradePipeline: false, or no upgrade task, leaves it out', () => {
    expect(newProject(baseOptions({ upgradePipeline: false })).upgradePipeline).toBeUndefined();
    const withoutTask = newProject(baseOptions({ depsUpgrade: false }));
    expect(withoutTask.upgradePipeline).toBeUndefined();
    expect(upgradeSteps(Testing.synth(withoutTask))).toEqual([]);
  });

  test('asking for it without an upgrade task is an error that names both options', () => {
    expect(() => newProject(baseOptions({ depsUpgrade: false, upgradePipeline: true }))).toThrow(/upgradePipeline: true[\s\S]*depsUpgrade/);
  });

  test('a renamed upgrade task is the one the pipeline runs', () => {
    const project = newProject(baseOptions({ depsUpgradeOptions: { taskName: 'bump' } }));
    expect(upgradeSteps(Testing.synth(project))[0].script).toContain('npx projen bump');
  });

  test('a branch prefix that could name the main branch is refused', () => {
    const project = newProject(baseOptions({ upgradePipeline: false, defaultReleaseBranch: 'deps/upgrade-main' }));
    expect(() => new UpgradePipeline(project, {
      pipelines: project.pipelines, mainBranch: project.settings.mainBranch, upgradeTask: project.upgradeWorkflow!.upgradeTask!,
    })).toThrow(/cannot name the main branch/);
    expect(() => new UpgradePipeline(project, {
      pipelines: project.pipelines, mainBranch: project.settings.mainBranch, upgradeTask: project.upgradeWorkflow!.upgradeTask!, branchPrefix: 'nodash',
    })).toThrow(/branchPrefix/);
  });
});

describe('the upgrade runs only locked tools', () => {
  /** projen's upgrade task calls `npx npm-check-updates@<range> ...`: the arguments of that step. */
  function ncuStep(files: Record<string, any>): string[] {
    const steps: any[] = tasks(files).upgrade.steps;
    const found = steps.map((s) => s.execArgs as string[] | undefined).find((args) => args?.[0] === 'npx' && /^npm-check-updates@/.test(args[1]));
    expect(found).toBeDefined();
    return found!;
  }

  test('npm-check-updates is an exact devDependency, which the upgrade task leaves alone', () => {
    const files = Testing.synth(newProject(baseOptions()));
    const pinned = files['package.json'].devDependencies['npm-check-updates'];
    expect(pinned).toBe(UpgradePipeline.NPM_CHECK_UPDATES_VERSION);
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    // That npx accepts the pinned copy for the task's range is proven by running it (below).
    const [, , ...args] = ncuStep(files);
    // ncu bumps only unversioned dependencies; an exact pin is not among them.
    expect(args.find((a) => a.startsWith('--filter='))!.split(/[=,]/)).not.toContain('npm-check-updates');
  });

  test('also without the upgrade pipeline, for `npx projen upgrade` run locally', () => {
    const files = Testing.synth(newProject(baseOptions({ upgradePipeline: false })));
    expect(files['package.json'].devDependencies['npm-check-updates']).toBe(UpgradePipeline.NPM_CHECK_UPDATES_VERSION);
  });

  test('npx runs the locally installed copy for the task\'s exact command, with no registry and downloads refused as in the step', () => {
    const files = Testing.synth(newProject(baseOptions()));
    const pinned: string = files['package.json'].devDependencies['npm-check-updates'];
    const command = ncuStep(files);
    const run = (installed: string) => {
      const dir = tempDir('ncu-npx-');
      const pkg = path.join(dir, 'node_modules', 'npm-check-updates');
      fs.mkdirSync(path.join(pkg), { recursive: true });
      fs.mkdirSync(path.join(dir, 'node_modules', '.bin'));
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', devDependencies: { 'npm-check-updates': pinned } }));
      fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'npm-check-updates', version: installed, bin: { 'ncu': 'cli.js', 'npm-check-updates': 'cli.js' } }));
      fs.writeFileSync(path.join(pkg, 'cli.js'), '#!/usr/bin/env node\nconsole.log("LOCKED COPY " + process.argv.slice(2).join(" "));\n', { mode: 0o755 });
      // Both bin links, as npm ci creates them (npx picks the first name when all point to one file).
      for (const bin of ['ncu', 'npm-check-updates']) fs.symlinkSync('../npm-check-updates/cli.js', path.join(dir, 'node_modules', '.bin', bin));
      return spawnSync(command[0], command.slice(1), {
        cwd: dir,
        encoding: 'utf-8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          // What the step exports, an unreachable registry and an empty npx cache: only the local copy can run.
          npm_config_yes: 'false',
          npm_config_registry: 'http://127.0.0.1:9/',
          npm_config_cache: path.join(dir, 'npm-cache'),
          npm_config_fetch_retries: '0',
          npm_config_update_notifier: 'false',
        },
      });
    };
    const locked = run(pinned);
    expect(locked.stdout).toContain(`LOCKED COPY ${command.slice(2).join(' ')}`);
    expect(locked.status).toBe(0);
    // A local copy outside the range is not used: npx would fetch, which the step refuses.
    const other = run('1.0.0');
    expect(other.stdout).not.toContain('LOCKED COPY');
    expect(other.status).not.toBe(0);
  });
});

/** What projen's logger warned while `build` ran (synthesis warnings of the project it builds). */
function warningsDuring<T>(build: () => T): { result: T; said: string } {
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  try {
    const result = build();
    return { result, said: warn.mock.calls.map((c) => c.join(' ')).join('\n') };
  } finally {
    warn.mockRestore();
  }
}

describe('a platform team\'s preset is upgraded too, to its next minor version on 0.x', () => {
  const PRESET = '@acme/projen-preset';

  /** A repository made from a preset: the preset (a devDependency) and its peer projen-bitbucket-cdk in node_modules. */
  function presetRepository(devDep: string, overrides: Partial<BitbucketCdkAppOptions> = {}) {
    const outdir = tempDir();
    const install = (name: string, manifest: Record<string, unknown>) => {
      fs.mkdirSync(path.join(outdir, 'node_modules', name), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'node_modules', name, 'package.json'), JSON.stringify({ name, ...manifest }));
    };
    install(PRESET, { version: '0.1.0', peerDependencies: { 'projen-bitbucket-cdk': '^0.1.0' } });
    install('projen-bitbucket-cdk', { version: '0.1.0' });
    const project = new BitbucketCdkApp({ outdir, ...baseOptions({ devDeps: [devDep], ...overrides }) });
    return project;
  }

  test('`upgrade:preset` moves the preset without the peer check that holds it back, installs, regenerates in a new process; `npx projen upgrade` runs it last', () => {
    const files = Testing.synth(presetRepository(PRESET));
    const t = tasks(files);
    expect(t[UpgradePipeline.PRESET_UPGRADE_TASK].steps).toEqual([
      { exec: `npx npm-check-updates@20 --upgrade --target=minor --no-peer --dep=dev,prod,optional --filter=${PRESET}` },
      { exec: 'npm install' },
      { exec: 'npx projen' },
    ]);
    // The same npm-check-updates major as projen's own pass, which npx resolves to the locked copy.
    const projenPass: string[] = t.upgrade.steps.find((s: any) => s.execArgs?.[1]?.startsWith('npm-check-updates@')).execArgs;
    expect(projenPass[1]).toBe('npm-check-updates@20');
    // projen's pass checks peers: a preset whose next minor needs a newer projen-bitbucket-cdk (not in package.json) is never offered there.
    expect(projenPass).toContain('--peer');
    expect(t.upgrade.steps.at(-1)).toEqual({ spawn: 'post-upgrade' });
    expect(t['post-upgrade'].steps).toEqual([{ spawn: UpgradePipeline.PRESET_UPGRADE_TASK }]);
    // The upgrade pipeline runs the upgrade task, so it runs this too.
    expect(upgradeSteps(files)[0].script).toContain('npx projen upgrade');
  });

  test('a preset named with a version or a file: tarball cannot be moved: a warning says to name it without one, and there is no task', () => {
    for (const spec of [`${PRESET}@^0.1.0`, `${PRESET}@file:/tmp/acme-projen-preset-0.1.0.tgz`]) {
      const outdir = tempDir();
      fs.mkdirSync(path.join(outdir, 'node_modules', PRESET), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'node_modules', PRESET, 'package.json'), JSON.stringify({ version: '0.1.0', peerDependencies: { 'projen-bitbucket-cdk': '^0.1.0' } }));
      const { result: project, said } = warningsDuring(() => new BitbucketCdkApp({ outdir, ...baseOptions({ devDeps: [spec] }) }));
      expect(said).toContain(`the preset ${PRESET} is named with a version in .projenrc.ts (${spec})`);
      expect(said).toContain(`devDeps: ['${PRESET}']`);
      expect(tasks(Testing.synth(project))[UpgradePipeline.PRESET_UPGRADE_TASK]).toBeUndefined();
    }
  });

  test('a preset named without a version whose package.json entry is still a file: tarball: a warning says to install it from the registry, and there is no task', () => {
    const project = presetRepository(PRESET);
    fs.writeFileSync(path.join(project.outdir, 'package.json'), JSON.stringify({ devDependencies: { [PRESET]: 'file:/tmp/projen-preset@0.1.0.jsii.tgz' } }));
    const { result: again, said } = warningsDuring(() => new BitbucketCdkApp({ outdir: project.outdir, ...baseOptions({ devDeps: [PRESET] }) }));
    expect(said).toContain(`package.json holds the preset ${PRESET} as file:/tmp/projen-preset@0.1.0.jsii.tgz, which upgrades cannot move`);
    expect(said).toContain(`npm install --save-dev ${PRESET}@latest`);
    expect(tasks(Testing.synth(again))[UpgradePipeline.PRESET_UPGRADE_TASK]).toBeUndefined();
    // Installed from the registry (a range in package.json): moved by the task.
    const installed = presetRepository(PRESET);
    fs.writeFileSync(path.join(installed.outdir, 'package.json'), JSON.stringify({ devDependencies: { [PRESET]: '^0.1.0' } }));
    const registry = warningsDuring(() => new BitbucketCdkApp({ outdir: installed.outdir, ...baseOptions({ devDeps: [PRESET] }) }));
    expect(registry.said).not.toContain(PRESET);
    expect(tasks(Testing.synth(registry.result))[UpgradePipeline.PRESET_UPGRADE_TASK]).toBeDefined();
  });

  test('without a preset (projen-bitbucket-cdk directly, or nothing installed) there is no such task', () => {
    expect(tasks(Testing.synth(newProject(baseOptions())))[UpgradePipeline.PRESET_UPGRADE_TASK]).toBeUndefined();
    const direct = presetRepository('projen-bitbucket-cdk');
    expect(tasks(Testing.synth(direct))[UpgradePipeline.PRESET_UPGRADE_TASK]).toBeUndefined();
  });
});

describe('without a pull-request pipeline', () => {
  test('synthesis warns that only the upgrade step checks the branch, and the step says so when it pushes', () => {
    const { result: project, said } = warningsDuring(() => newProject(baseOptions({ pullRequestPipeline: false })));
    expect(said).toContain('upgradePipeline: pullRequestPipeline is false, so nothing builds the pull requests of the deps/upgrade-* branches');
    const script: string[] = upgradeSteps(Testing.synth(project))[0].script;
    expect(script.at(-1)).toContain('No pull-request pipeline builds it (pullRequestPipeline: false)');
    // The step itself builds and tests before anything is committed.
    expect(script.indexOf('npx projen build')).toBeLessThan(script.findIndex((l) => l.startsWith('git commit')));
  });

  test('with one, no such warning', () => {
    const { said } = warningsDuring(() => newProject(baseOptions()));
    expect(said).not.toContain('pullRequestPipeline is false');
  });
});
