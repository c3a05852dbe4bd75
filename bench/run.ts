/**
 * Benchmark of a generated project against plain projen and the seed
 * article's pipeline, measured in one run on this machine:
 *
 *   npx ts-node --project projenrc/tsconfig.json bench/run.ts
 *
 * BENCH_RUNS (default 5): repetitions of each timing (median, min–max).
 * BENCH_TARBALL: reuse a packed projen-bitbucket-cdk instead of building one.
 * BENCH_KEEP=1: keep the work folder (printed) for inspection.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { branchPipelineWork, branchSteps, PipelineWork } from './pipeline-work';
import { formatSummary, summarise, Summary, table } from './stats';
import { cloneProject, generatedStepSetup, seedStepSetup, StepEnvironment } from './step-setup';
import { createProject, newFlags, packPackage, projen, PROJEN_VERSION, run, setDeployEnvironments, userEnv } from '../scripts/project-factory';
import { DEFAULT_CDK_CLI_VERSION, DEFAULT_CDK_VERSION } from '../src/versions';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const started = Date.now();

function log(message: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
}

/** The 3-environment set-up of the pipeline comparison, as a user writes it in .projenrc.ts. */
function useThreeEnvironments(dir: string): void {
  setDeployEnvironments(dir, [
    "{ name: 'test', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Test' }",
    "{ name: 'staging', account: '222222222222', region: 'eu-west-1', bitbucketDeployment: 'Staging' }",
    "{ name: 'production', account: '012345678901', region: 'eu-west-1', bitbucketDeployment: 'Production', manualApproval: true }",
  ]);
}

function ratio(a: Summary, b: Summary): string {
  return (a.median / b.median).toFixed(2);
}

function workRow(name: string, w: PipelineWork): string[] {
  return [name, String(w.steps), String(w.installs), String(w.synths), String(w.cliDownloads)];
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pbc-bench-'));
  log(`work folder ${work}; ${RUNS} run(s) per timing; ${os.cpus().length} CPU(s), Node ${process.version}`);

  // 1. The two projects: generated from the packed package, and plain projen with the same settings.
  const tarball = process.env.BENCH_TARBALL ?? packPackage(path.join(work, 'package'));
  log(`package ${tarball}`);
  const generated = path.join(work, 'generated');
  createProject(generated, tarball, newFlags('012345678901'));
  log('created the generated project (projen new --from)');
  const plain = path.join(work, 'plain');
  fs.mkdirSync(plain);
  run('npx', [
    '-y', `projen@${PROJEN_VERSION}`, 'new', 'awscdk-app-ts',
    '--no-git', '--package-manager', 'npm', '--projenrc-ts', '--projen-version', PROJEN_VERSION,
    '--cdk-version', DEFAULT_CDK_VERSION, '--cdk-cli-version', DEFAULT_CDK_CLI_VERSION,
    '--github', 'false', '--pull-request-template', 'false', '--default-release-branch', 'main',
  ], plain);
  log('created the plain AwsCdkTypeScriptApp (projen new awscdk-app-ts)');

  // 2. `npx projen`, alternating which project goes first so both share the machine's noise.
  projen(generated);
  projen(plain);
  const projenGenerated: number[] = [];
  const projenPlain: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const pair = i % 2 === 0 ? ['g', 'p'] : ['p', 'g'];
    for (const which of pair) {
      if (which === 'g') projenGenerated.push(projen(generated).seconds);
      else projenPlain.push(projen(plain).seconds);
    }
  }
  const g = summarise(projenGenerated);
  const p = summarise(projenPlain);
  log('timed npx projen');

  // 3. Work of one main-branch run, 3 environments, against the seed article's pipeline.
  useThreeEnvironments(generated);
  projen(generated);
  const generatedWork = branchPipelineWork(fs.readFileSync(path.join(generated, 'bitbucket-pipelines.yml'), 'utf-8'), 'main');
  const seedWork = branchPipelineWork(fs.readFileSync(path.join(__dirname, 'seed-article-pipeline.yml'), 'utf-8'), 'main');

  // 4. Deploy step set-up. A dedicated npm cache, warmed by one untimed run of each.
  const steps: StepEnvironment = { env: userEnv(), npmCache: path.join(work, 'npm-cache') };
  const deployStep = branchSteps(fs.readFileSync(path.join(generated, 'bitbucket-pipelines.yml'), 'utf-8'), 'main').find((s) => s.deployment);
  const seedClone = (n: string) => {
    const dir = path.join(work, `seed-${n}`, 'build');
    cloneProject(generated, dir);
    return dir;
  };
  const warmSeed = seedClone('warm');
  seedStepSetup(warmSeed, steps);
  const assembly = path.join(warmSeed, 'cdk.out');
  const stepClone = (n: string) => {
    const root = path.join(work, `step-${n}`);
    cloneProject(generated, path.join(root, 'build'), assembly);
    fs.mkdirSync(path.join(root, 'tmp'));
    return { clone: path.join(root, 'build'), tmp: path.join(root, 'tmp') };
  };
  const warmStep = stepClone('warm');
  generatedStepSetup(deployStep.script, DEFAULT_CDK_CLI_VERSION, warmStep.clone, warmStep.tmp, steps);
  log('warmed the npm cache (one untimed run of each step)');
  const stepGenerated: number[] = [];
  const stepSeed: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = stepClone(String(i));
    const s = seedClone(String(i));
    const order = i % 2 === 0 ? ['g', 's'] : ['s', 'g'];
    for (const which of order) {
      if (which === 'g') stepGenerated.push(generatedStepSetup(deployStep.script, DEFAULT_CDK_CLI_VERSION, c.clone, c.tmp, steps));
      else stepSeed.push(seedStepSetup(s, steps));
    }
    fs.rmSync(path.dirname(s), { recursive: true, force: true });
  }
  const sg = summarise(stepGenerated);
  const ss = summarise(stepSeed);
  log('timed the deploy step set-up');

  console.log('\n== npx projen (synthesis of the project files), same projen, same CDK versions ==');
  console.log(table(['project', 'median (min–max)'], [
    ['BitbucketCdkApp (generated, 1 environment)', formatSummary(g)],
    ['plain AwsCdkTypeScriptApp', formatSummary(p)],
  ]));
  console.log(`ratio generated/plain: ${ratio(g, p)} (goal ≤ 1.05)`);

  console.log('\n== Work of one main-branch pipeline run, 3 environments (counted from the YAML) ==');
  console.log(table(['pipeline', 'steps', 'npm installs', 'synths', 'CLI downloads'], [
    workRow('generated bitbucket-pipelines.yml', generatedWork),
    workRow('seed-article style (bench/seed-article-pipeline.yml)', seedWork),
  ]));
  console.log('synths count `projen build` (synthesises in post-compile), `cdk synth`, and `cdk deploy` without `--app cdk.out` (runs the app again).');

  console.log('\n== Deploy step set-up, until the CDK CLI could start deploying ==');
  console.log(table(['step', 'median (min–max)'], [
    ['generated: its script up to the locked CLI`s `--version` (pre-flight npm ci included)', formatSummary(sg)],
    ['seed-article: npm ci + cdk synth', formatSummary(ss)],
  ]));
  console.log(`ratio generated/seed: ${ratio(sg, ss)}`);
  console.log('npm cache warm (tarballs) in both; npx install folder emptied before each generated run; per environment,');
  console.log(`a 3-environment run pays the set-up ${seedWork.steps} times with the seed pipeline and ${generatedWork.cliDownloads} times (CLI only) with the generated one.`);
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);

  if (process.env.BENCH_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
}

main();
