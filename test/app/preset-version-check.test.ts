import * as fs from 'fs';
import * as path from 'path';
import { BitbucketCdkApp } from '../../src';
import { PresetVersionCheck } from '../../src/app/preset-version-check';
import { baseOptions, tempDir } from '../util';

const PRESET = '@acme/projen-preset';

function install(outdir: string, name: string, manifest: Record<string, unknown>): void {
  const dir = path.join(outdir, 'node_modules', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, ...manifest }));
}

/** A repository made from a preset, with the preset and this package in node_modules. */
function presetRepository() {
  const outdir = tempDir();
  install(outdir, PRESET, { version: '1.0.0', peerDependencies: { 'projen-bitbucket-cdk': '^0.1.0' } });
  install(outdir, 'projen-bitbucket-cdk', { version: '0.1.0' });
  install(outdir, 'left-pad', { version: '1.3.0' });
  const project = new BitbucketCdkApp({ outdir, ...baseOptions({ devDeps: [PRESET, 'left-pad'] }) });
  const check = project.components.find((c): c is PresetVersionCheck => c instanceof PresetVersionCheck)!;
  const warnings: string[] = [];
  jest.spyOn(project.logger, 'warn').mockImplementation((...text: any[]) => { warnings.push(text.join(' ')); });
  return { outdir, project, check, warnings };
}

afterEach(() => {
  process.exitCode = undefined;
  jest.restoreAllMocks();
});

test('records the versions of the project type loaded for this run: the preset and this package, not other dependencies', () => {
  expect(presetRepository().check.loaded).toEqual({ [PRESET]: '1.0.0', 'projen-bitbucket-cdk': '0.1.0' });
});

test('runs after projen\'s install (its component comes later)', () => {
  const { project, check } = presetRepository();
  expect(project.components.indexOf(check)).toBeGreaterThan(project.components.indexOf(project.package));
});

test('an install that brought a new preset and a new projen-bitbucket-cdk: a loud warning naming both, and the run fails', () => {
  const { outdir, check, warnings } = presetRepository();
  install(outdir, PRESET, { version: '1.1.0', peerDependencies: { 'projen-bitbucket-cdk': '^0.2.0' } });
  install(outdir, 'projen-bitbucket-cdk', { version: '0.2.0' });
  check.postSynthesize();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(`${PRESET} 1.0.0 → 1.1.0`);
  expect(warnings[0]).toContain('projen-bitbucket-cdk 0.1.0 → 0.2.0');
  expect(warnings[0]).toContain('Run `npx projen` once more');
  expect(process.exitCode).toBe(1);
});

test('an install that changed nothing of the project type, or only other packages: silent', () => {
  const { outdir, check, warnings } = presetRepository();
  install(outdir, 'left-pad', { version: '1.3.1' });
  check.postSynthesize();
  expect(warnings).toEqual([]);
  expect(process.exitCode).toBeUndefined();
});

test('this package reached only through the preset\'s peer is checked too', () => {
  const outdir = tempDir();
  install(outdir, 'projen-bitbucket-cdk', { version: '0.1.0' });
  const project = new BitbucketCdkApp({ outdir, ...baseOptions() });
  const check = project.components.find((c): c is PresetVersionCheck => c instanceof PresetVersionCheck)!;
  const warn = jest.spyOn(project.logger, 'warn').mockImplementation(() => undefined);
  install(outdir, 'projen-bitbucket-cdk', { version: '0.1.1' });
  check.postSynthesize();
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('projen-bitbucket-cdk 0.1.0 → 0.1.1'));
});
