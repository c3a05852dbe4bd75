import * as fs from 'fs';
import * as path from 'path';
import { App, CfnWaitConditionHandle, Stack, Stage } from 'aws-cdk-lib';
import { Logger } from 'projen';
import { BitbucketCdkApp, BitbucketCdkAppOptions } from '../../src';
import { EnvironmentLifecycle } from '../../src/lifecycle/environment-lifecycle';
import { REPOSITORY_UUID } from '../util';

/**
 * Each test runs `npx projen` as .projenrc.ts would, several times in one
 * project folder (under test/.work/, so that the generated OIDC source
 * resolves this repository's aws-cdk-lib), changing the options in between.
 */
const WORK_ROOT = path.join(__dirname, '..', '.work');
const dirs: string[] = [];
export function projectDir(): string {
  fs.mkdirSync(WORK_ROOT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(WORK_ROOT, 'lifecycle-'));
  dirs.push(dir);
  return dir;
}
/** Removes the folders this file created (call from `afterAll`). */
export function removeProjectDirs(): void {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export interface Run {
  readonly project: BitbucketCdkApp;
  /** What the projen logger printed as warnings during construction and synthesis. */
  readonly warnings: string[];
  /** Only the lifecycle's warnings. */
  readonly lifecycle: string[];
}

/** One `npx projen` in `dir`: constructs the project (the logger is spied on) and writes its files. */
export function projen(dir: string, options: BitbucketCdkAppOptions): Run {
  const spy = jest.spyOn(Logger.prototype, 'warn');
  const env = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    const project = new BitbucketCdkApp({ ...options, outdir: dir });
    project.synth();
    const warnings = spy.mock.calls.map((args) => args.join(' '));
    return { project, warnings, lifecycle: project.lifecycle.warnings };
  } finally {
    spy.mockRestore();
    if (env === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = env;
  }
}

export const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf-8');
export const record = (dir: string) => JSON.parse(read(dir, EnvironmentLifecycle.FILE_PATH));
export const TAG = REPOSITORY_UUID.slice(0, 8);

/** The app's last build: `cdk.out` with one stage per environment, as the sample app synthesises it (real aws-cdk-lib). */
export function buildApp(dir: string, environments: Array<{ name: string; account: string; region: string }>): void {
  const app = new App({ outdir: path.join(dir, 'cdk.out') });
  for (const env of environments) {
    const stage = new Stage(app, env.name, { env: { account: env.account, region: env.region } });
    // A resource each: an empty stack makes aws-cdk-lib print a validation report on every run.
    new CfnWaitConditionHandle(new Stack(stage, 'Database'), 'Placeholder');
    new CfnWaitConditionHandle(new Stack(stage, 'Service'), 'Placeholder');
  }
  app.synth();
}

