/**
 * The "published shape" of a generated project: what lives in users' AWS
 * accounts and Bitbucket settings and must survive an upgrade of this
 * package (stack names, logical IDs, role names, role ARNs the pipeline
 * assumes). Shared by test/team/upgrade-compat.test.ts and
 * scripts/refresh-fixture.ts, which records it under test/fixtures/v0/.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import * as ts from 'typescript';
import { parse } from 'yaml';
import { BitbucketCdkAppOptions } from '../../src';
import { GeneratedOidcApp } from '../support/generated-oidc-app';

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'v0');
/** The reference option set, as a user's `.projenrc.ts` would hold it. */
export const OPTIONS_FILE = path.join(FIXTURE_DIR, 'options.json');
/** The generated `src/bitbucket-oidc/config.ts`; not `.ts`, so neither tsc nor eslint touch it. */
export const CONFIG_FILE = path.join(FIXTURE_DIR, 'config.ts.txt');
export const PIPELINE_FILE = path.join(FIXTURE_DIR, 'bitbucket-pipelines.yml');
/** Names read from the synthesised OIDC templates. */
export const NAMES_FILE = path.join(FIXTURE_DIR, 'oidc-names.json');

export function referenceOptions(): BitbucketCdkAppOptions {
  return JSON.parse(fs.readFileSync(OPTIONS_FILE, 'utf-8'));
}

/** Per OIDC stack: its CloudFormation name, and every resource's logical ID with its role name (or type), and output IDs. */
export function oidcNames(app: GeneratedOidcApp): Record<string, unknown> {
  return Object.fromEntries(Object.entries(app.stacks).map(([id, stack]) => {
    const template = app.templates[id].toJSON();
    return [id, {
      stackName: stack.stackName,
      account: stack.account,
      region: stack.region,
      resources: Object.fromEntries(Object.entries<any>(template.Resources).map(([logicalId, r]) => [logicalId, r.Properties?.RoleName ?? r.Type])),
      outputs: Object.keys(template.Outputs ?? {}).sort(),
    }];
  }));
}

/** Deployment name → ARN of the role its step assumes, from a `bitbucket-pipelines.yml`. */
export function pipelineRoleArns(yaml: string): Record<string, string> {
  const doc = parse(yaml, { merge: true });
  const result: Record<string, string> = {};
  for (const item of doc.pipelines.branches[Object.keys(doc.pipelines.branches)[0]]) {
    const step = item.step;
    if (!step?.deployment) continue;
    const line: string | undefined = step.script.find((l: string) => l.startsWith('export AWS_ROLE_ARN='));
    if (line) result[step.deployment] = line.slice('export AWS_ROLE_ARN='.length);
  }
  return result;
}

/** Evaluates a generated `config.ts` (type-only imports) and returns its `BITBUCKET_OIDC_CONFIG`. */
export function evaluateConfig(source: string): any {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  vm.runInNewContext(js, { module, exports: module.exports, require: () => ({}) });
  return module.exports.BITBUCKET_OIDC_CONFIG;
}

/** The identity fields of a config: what names deployed resources. */
export function configIdentity(config: any): unknown {
  return config.accounts.map((a: any) => ({
    stackId: a.stackId,
    stackName: a.stackName,
    account: a.account,
    region: a.region,
    providerLogicalId: a.providerLogicalId,
    providerExists: a.providerExists,
    providerArn: a.providerArn,
    roles: a.roles.map((r: any) => ({ environment: r.environment, logicalId: r.logicalId, roleName: r.roleName, subjectPattern: r.subjectPattern })),
  }));
}
