import { Testing } from 'projen/lib/testing';
import { parsePipelines, stepsOf } from './pipeline-helpers';
import { NPX_NO_DOWNLOADS, npxCalls, withNpxDownloadsRefused } from '../../src/pipeline/npx-policy';
import { newProject, twoEnvironmentOptions } from '../util';

describe('npxCalls: each npx call with what the step did before it', () => {
  test('npx cdk --version alone: nothing installed, downloads not refused', () => {
    expect(npxCalls({ script: ['npx cdk --version'] })).toEqual([
      { command: 'npx cdk', packageName: 'cdk', flags: [], afterScript: false, installedBefore: false, downloadsRefused: false },
    ]);
  });

  test('after npm ci (also in a subshell, or earlier in the line) and the export, it runs the locked copy', () => {
    for (const script of [
      [NPX_NO_DOWNLOADS, 'npm ci', 'npx cdk --version'],
      [NPX_NO_DOWNLOADS, '(unset BITBUCKET_STEP_OIDC_TOKEN; npm ci --ignore-scripts)', 'npx cdk --version'],
      [`${NPX_NO_DOWNLOADS}; npm ci && npx cdk --version`],
    ]) {
      expect(npxCalls({ script })).toMatchObject([{ command: 'npx cdk', installedBefore: true, downloadsRefused: true }]);
    }
  });

  test('what refuses downloads: the export before it (not after, not unset, not a plain shell variable), a prefix assignment, --no', () => {
    const refused = (script: string[]) => npxCalls({ script: ['npm ci', ...script] }).map((c) => c.downloadsRefused);
    expect(refused(['npx a', NPX_NO_DOWNLOADS])).toEqual([false]);
    expect(refused([NPX_NO_DOWNLOADS, 'unset npm_config_yes', 'npx a'])).toEqual([false]);
    expect(refused(['npm_config_yes=false', 'npx a'])).toEqual([false]);
    expect(refused(['export npm_config_yes=true', 'npx a'])).toEqual([false]);
    expect(refused(['export NPM_CONFIG_YES=false', 'npx a'])).toEqual([true]);
    expect(refused(['npm_config_yes=false npx a', 'npx b'])).toEqual([true, false]);
    expect(refused(['npx --no a', 'npx --no-install b'])).toEqual([true, true]);
  });

  test('after-script: npm ci of the script counts, its export does not (the shell may be another)', () => {
    expect(npxCalls({ script: [NPX_NO_DOWNLOADS, 'npm ci'], afterScript: ['npx projen test'] }))
      .toMatchObject([{ afterScript: true, installedBefore: true, downloadsRefused: false }]);
  });

  test('calls in command position only: lists, pipes, if/then, $(...), npm exec; not inside quotes', () => {
    const commands = (line: string) => npxCalls({ script: [line] }).map((c) => c.command);
    expect(commands('true && npx a; false || npx b | npx c')).toEqual(['npx a', 'npx b', 'npx c']);
    expect(commands('if true; then npx -y d; fi')).toEqual(['npx -y d']);
    expect(commands('v="$(npx e --version)"')).toEqual(['npx e']);
    expect(commands('npm exec -- f && npm x g')).toEqual(['npm exec -- f', 'npm x g']);
    expect(commands('npx -p typescript tsc')).toEqual(['npx -p typescript tsc']);
    expect(commands('echo \'npx h\'; echo "run \\"npx projen\\" locally"; echo npx')).toEqual([]);
  });
});

describe('withNpxDownloadsRefused', () => {
  test('prepends the export to each section with a call that could download, and leaves other steps alone', () => {
    expect(withNpxDownloadsRefused({ script: ['npm ci', 'npx projen test'] }).script).toEqual([NPX_NO_DOWNLOADS, 'npm ci', 'npx projen test']);
    const guarded = { script: [NPX_NO_DOWNLOADS, 'npm ci', 'npx projen test'] };
    expect(withNpxDownloadsRefused(guarded)).toBe(guarded);
    const plain = { script: ['./check.sh'] };
    expect(withNpxDownloadsRefused(plain)).toBe(plain);
    expect(withNpxDownloadsRefused({ script: ['npm ci'], afterScript: ['npx projen test'] }))
      .toEqual({ script: ['npm ci'], afterScript: [NPX_NO_DOWNLOADS, 'npx projen test'] });
  });
});

test('every generated step that runs npx itself (build, drift synth, upgrade) exports npm_config_yes=false before it, after npm ci', () => {
  const project = newProject({ ...twoEnvironmentOptions(), pullRequestPreview: true, driftDetection: true });
  const p = parsePipelines(Testing.synth(project)['bitbucket-pipelines.yml']).pipelines;
  const steps = [...Object.values(p.branches), ...Object.values(p['pull-requests']), ...Object.values(p.custom)].flatMap((items: any) => stepsOf(items));
  const calls = steps.flatMap((s: any) => npxCalls({ script: s.script, afterScript: s['after-script'] }).map((c) => ({ step: s.name, ...c })));
  // The build, the pull-request build, the drift synth, the upgrade. The previews and drift checks run npx
  // through the step runner, which installs first and sets npm_config_yes=false itself (oidc-step-runner.read.test.ts).
  expect(new Set(calls.map((c) => c.step)).size).toBeGreaterThanOrEqual(4);
  expect(calls.filter((c) => !c.installedBefore || !c.downloadsRefused)).toEqual([]);
  // The OIDC steps export it too, for whatever the step or the CLI starts.
  const oidc = steps.filter((s: any) => s.oidc);
  expect(oidc.length).toBe(6);
  for (const s of oidc) expect(s.script[0]).toEqual(NPX_NO_DOWNLOADS);
});
