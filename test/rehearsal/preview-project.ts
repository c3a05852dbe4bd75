/**
 * The project the preview rehearsal (issue 14) runs: the rehearsal project
 * with three environments in two accounts (`dev` and `staging` share
 * account 111111111111 and eu-west-1; `production` is 222222222222,
 * us-east-1), and an app whose stage holds a queue and a PostgreSQL
 * database (an L1 `CfnDBInstance`: no VPC, no secret, no asset), so that a
 * deployed template can differ from `cdk.out` by an added resource or by a
 * database replacement.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cloneForStep } from './pipeline-step';
import { ENVIRONMENTS, RehearsalEnvironment } from './rehearsal-project';
import { stepPath } from './step-environment';
import { run } from '../../scripts/project-factory';

export const PREVIEW_ENVIRONMENTS: Record<'dev' | 'staging' | 'production', RehearsalEnvironment> = {
  dev: { name: 'dev', account: ENVIRONMENTS.staging.account, region: ENVIRONMENTS.staging.region, deployment: 'Test', deploymentUuid: 'a1b2c3d4-0000-4000-8000-000000000003' },
  staging: ENVIRONMENTS.staging,
  production: ENVIRONMENTS.production,
};

/** Construct IDs of the app's resources (their logical IDs get a hash suffix). */
export const QUEUE_ID = 'OrdersQueue';
export const DATABASE_ID = 'OrdersDatabase';

/** Adds the queue and the database to the sample stack the way a user edits `src/app-stage.ts`. */
export function addQueueAndDatabase(dir: string): void {
  const file = path.join(dir, 'src', 'app-stage.ts');
  const text = fs.readFileSync(file, 'utf-8');
  const edited = text
    .replace("import { Construct } from 'constructs';", [
      "import { CfnDBInstance } from 'aws-cdk-lib/aws-rds';",
      "import { Queue } from 'aws-cdk-lib/aws-sqs';",
      "import { Construct } from 'constructs';",
    ].join('\n'))
    .replace('    // define resources here...', [
      `    new Queue(this, '${QUEUE_ID}');`,
      `    new CfnDBInstance(this, '${DATABASE_ID}', {`,
      "      dbInstanceClass: 'db.t3.micro',",
      "      engine: 'postgres',",
      "      allocatedStorage: '20',",
      "      masterUsername: 'app',",
      '      manageMasterUserPassword: true,',
      '      storageEncrypted: true,',
      '    });',
    ].join('\n'));
  if (edited === text || !edited.includes(DATABASE_ID) || !edited.includes('aws-cdk-lib/aws-sqs')) {
    throw new Error(`could not add the queue and the database to ${file}: the sample stack changed`);
  }
  fs.writeFileSync(file, edited);
}

/** The synthesised template of a stage's stack, and its stack name, from `cdk.out`. */
export function stageStack(projectDir: string, env: RehearsalEnvironment): { stackName: string; template: any; tags: Record<string, string> } {
  const out = path.join(projectDir, 'cdk.out');
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf-8'));
  const stage = Object.values<any>(manifest.artifacts).find((a) => a.type === 'cdk:cloud-assembly' && a.properties?.displayName === env.name);
  if (!stage) throw new Error(`no stage ${env.name} in ${out}`);
  const dir = path.join(out, stage.properties.directoryName);
  const nested = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'));
  const stacks = Object.values<any>(nested.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
  if (stacks.length !== 1) throw new Error(`stage ${env.name}: expected one stack, found ${stacks.length}`);
  return {
    stackName: stacks[0].properties.stackName,
    template: JSON.parse(fs.readFileSync(path.join(dir, stacks[0].properties.templateFile), 'utf-8')),
    // What `cdk deploy` gives the stack: the generated tagStacks(app) of the sample main.ts.
    tags: stacks[0].properties.tags ?? {},
  };
}

/** The logical ID of the one resource of `type` in a template. */
export function logicalIdOf(template: any, type: string): string {
  const ids = Object.entries<any>(template.Resources ?? {}).filter(([, r]) => r.Type === type).map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.join(', ') || 'none'}`);
  return ids[0];
}

/**
 * Fills `cache` with what `npm ci` of the project needs, so that the steps'
 * `npm ci` runs offline (on Bitbucket: the step's `npm` cache). Needed even
 * after `projen new` filled the cache: with `omit-lockfile-registry-resolved`
 * (set on this machine) the lockfile names no tarball URLs and `npm ci`
 * looks each package up, and `projen new` left some of those look-ups in a
 * form an offline `npm ci` does not use. The only registry access of the
 * preview rehearsal; returns the seconds it took.
 */
export function warmProjectNpmCache(projectDir: string, cache: string, scratch: string): number {
  const clone = path.join(scratch, 'clone');
  cloneForStep({ projectDir, cloneDir: clone, artifacts: [] });
  const home = path.join(scratch, 'home');
  fs.mkdirSync(home, { recursive: true });
  try {
    return run('npm', ['ci', '--ignore-scripts'], clone, {
      env: { PATH: stepPath(), HOME: home, CI: 'true', npm_config_cache: cache, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
      timeoutMs: 10 * 60_000,
    }).seconds;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
