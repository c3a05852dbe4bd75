/**
 * Deploy step set-up before and after the locked CLI install, in one
 * session, alternating: the generated step's script up to its CLI's
 * `--version` (pre-flight with `npm ci` from the locked integrity) against
 * `npx -y aws-cdk@<version> --version` (the previous step's way), both with
 * a warm npm cache of tarballs and npx's install folder emptied.
 *
 *   npx ts-node --project projenrc/tsconfig.json bench/deploy-cli-setup.ts [runs]
 *
 * Needs the npm registry once, to warm the cache.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { formatSummary, summarise } from './stats';
import { generatedStepSetup, npxStepSetup, StepEnvironment } from './step-setup';
import { BitbucketCdkApp } from '../src';
import { DeployPreflight } from '../src/pipeline/deploy-preflight';
import { projectLockfile, writeAssembly } from '../test/pipeline/deploy-step-fixture';

const RUNS = Number(process.argv[2] ?? 7);

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pbc-cli-setup-'));
  const project = new BitbucketCdkApp({
    name: 'bench',
    outdir: path.join(work, 'project'),
    bitbucketWorkspace: 'acme',
    bitbucketWorkspaceUuid: '{7baee083-1b2c-4c8d-9d2e-0123456789ab}',
    bitbucketRepositoryUuid: '{3f0c9a42-5678-4e1f-8a3b-fedcba987654}',
    deployAccount: '111111111111',
    deployRegion: 'eu-west-1',
  });
  const files = Testing.synth(project);
  const env = project.settings.environments[0];
  const script = project.pipelines.deployStep(env).script;
  const version = project.settings.cdkCliVersion;
  const s: StepEnvironment = { env: { PATH: process.env.PATH, HOME: path.join(work, 'home') }, npmCache: path.join(work, 'npm-cache') };
  fs.mkdirSync(s.env.HOME!, { recursive: true });
  const warm = spawnSync('npm', ['cache', 'add', `aws-cdk@${version}`], { env: { ...s.env, npm_config_cache: s.npmCache }, encoding: 'utf-8' });
  if (warm.status !== 0) throw new Error(`npm cache add failed: ${warm.stderr}`);

  const clone = (n: string) => {
    const root = path.join(work, `step-${n}`);
    const dir = path.join(root, 'build');
    fs.mkdirSync(path.join(dir, '.projen'), { recursive: true });
    fs.mkdirSync(path.join(root, 'tmp'));
    fs.writeFileSync(path.join(dir, DeployPreflight.FILE_PATH), files[DeployPreflight.FILE_PATH]);
    fs.writeFileSync(path.join(dir, 'package-lock.json'), projectLockfile(version));
    writeAssembly(path.join(dir, 'cdk.out'), env.name);
    return { dir, tmp: path.join(root, 'tmp') };
  };
  // One untimed run of each: npx's packument, npm's index.
  const w = clone('warm');
  generatedStepSetup(script, version, w.dir, w.tmp, s);
  npxStepSetup(version, w.dir, w.tmp, s);

  const locked: number[] = [];
  const npx: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = clone(String(i));
    for (const which of i % 2 === 0 ? ['l', 'n'] : ['n', 'l']) {
      if (which === 'l') locked.push(generatedStepSetup(script, version, c.dir, c.tmp, s));
      else npx.push(npxStepSetup(version, c.dir, c.tmp, s));
    }
  }
  const l = summarise(locked);
  const n = summarise(npx);
  console.log(`deploy step set-up until the CLI answers, ${RUNS} runs each, warm npm cache, empty _npx:`);
  console.log(`  locked (pre-flight, npm ci from package-lock.json's integrity): ${formatSummary(l)}`);
  console.log(`  before (npx -y aws-cdk@${version}):                               ${formatSummary(n)}`);
  console.log(`  ratio locked/before: ${(l.median / n.median).toFixed(2)}`);
  fs.rmSync(work, { recursive: true, force: true });
}

main();
