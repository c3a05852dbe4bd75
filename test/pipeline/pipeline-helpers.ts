import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import type { BitbucketCdkAppOptions } from '../../src';

const SCHEMA_PATH = path.join(__dirname, '..', '..', 'schemas', 'bitbucket-pipelines.schema.json');

// Strict mode rejects the schema's `components.schemas` layout.
const ajv = new Ajv({ allErrors: true, strict: false });
export const validateSchema = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf-8')));

/** The YAML as Bitbucket reads it (merge keys on). */
export function parsePipelines(text: string): any {
  return parse(text, { merge: true });
}

/** Schema errors, readable in a failed expectation; empty when valid. */
export function schemaErrors(doc: unknown): string[] {
  if (validateSchema(doc)) return [];
  return (validateSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** `- step:` bodies of a rendered pipeline, in order (parallel and stage steps included). */
export function stepsOf(items: any[]): any[] {
  return items.flatMap((item: any) => {
    if (item.step) return [item.step];
    if (item.parallel) return (item.parallel.steps ?? item.parallel).map((s: any) => s.step);
    if (item.stage) return item.stage.steps.map((s: any) => s.step);
    return [];
  });
}

/** Every script and after-script line of every pipeline. */
export function allScriptLines(doc: any): string[] {
  const p = doc.pipelines;
  const pipelines: any[][] = [
    ...(p.default ? [p.default] : []),
    ...Object.values(p.branches ?? {}),
    ...Object.values(p['pull-requests'] ?? {}),
    ...Object.values(p.tags ?? {}),
    ...Object.values(p.custom ?? {}),
  ] as any[][];
  return pipelines.flatMap(stepsOf).flatMap((s) => [...(s.script ?? []), ...(s['after-script'] ?? [])]);
}

/** Lines that install dependencies. */
export function installs(step: any): string[] {
  return (step.script as string[]).filter((l) => /(^|[;&|]\s*)npm\s+(ci|install|i)\b/.test(l));
}

/** Lines that synthesise (the build task runs `cdk synth` in post-compile). */
export function synths(step: any): string[] {
  return (step.script as string[]).filter((l) => /(^|[;&|]\s*)(npx\s+)?(projen\s+(build|synth)|cdk\s+synth)\b/.test(l));
}

/** Three environments in two accounts: test, then staging and production with manual approval. */
export const THREE_ENVIRONMENTS: Partial<BitbucketCdkAppOptions> = {
  deployAccount: undefined,
  deployRegion: undefined,
  deployEnvironments: [
    { name: 'test', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Test' },
    { name: 'staging', account: '111111111111', region: 'eu-central-1', bitbucketDeployment: 'Staging', manualApproval: true },
    { name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', manualApproval: true },
  ],
};
