/**
 * The stacks of one stage in the cloud assembly, with their synthesised
 * templates: the "new" side of the preview.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Template } from './template-diff';
import { StageStack, stageStacks } from '../lifecycle/stage-stacks';

export interface AssemblyStack extends StageStack {
  /** Account the stack deploys to: its assembly environment, or the environment's when the app left it open. */
  readonly account: string;
  /** Region the stack deploys to (same rule). */
  readonly region: string;
  readonly template: Template;
}

/** The assembly is missing, has no such stage, or a template cannot be read: the build is incomplete. */
export class AssemblyError extends Error {}

function target(stack: StageStack, account: string, region: string): { account: string; region: string } {
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(stack.environment);
  const concrete = (value: string | undefined, fallback: string) => (!value || value.startsWith('unknown-') ? fallback : value);
  return { account: concrete(m?.[1], account), region: concrete(m?.[2], region) };
}

/** The stacks of stage `environment` in `assembly`, in deployment order, with their templates. */
export function readAssemblyStacks(assembly: string, environment: string, account: string, region: string): AssemblyStack[] {
  const stacks = stageStacks(assembly, environment);
  if (!stacks) {
    throw new AssemblyError(fs.existsSync(path.join(assembly, 'manifest.json'))
      ? `The cloud assembly ${assembly} has no stacks of stage ${environment}: check --environment, or synthesise the app again (npx projen build).`
      : `No cloud assembly at ${assembly}: synthesise the app first (npx projen build), or pass --assembly.`);
  }
  return stacks.map((stack) => {
    if (!stack.templateFile) throw new AssemblyError(`The cloud assembly ${assembly} names no template file for stack ${stack.displayName}: synthesise the app again.`);
    let template: Template;
    try {
      template = JSON.parse(fs.readFileSync(stack.templateFile, 'utf-8'));
    } catch (e) {
      throw new AssemblyError(`Cannot read the template of stack ${stack.displayName} (${stack.templateFile}): ${(e as Error).message}. Synthesise the app again.`);
    }
    return { ...stack, ...target(stack, account, region), template };
  });
}
