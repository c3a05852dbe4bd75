import { shellCommand } from '../pipeline/shell';

/**
 * CDK CLI arguments that work on an already synthesised assembly. `--build ''`
 * because `cdk.json`'s build (`npx projen bundle`) would run first, before the
 * CLI notices the app is an assembly: a pipeline step has no node_modules (npx
 * would fetch an unpinned projen), and the OIDC apps have nothing to bundle.
 * Unquoted: build command lines with `shellCommand`.
 * @param cdkout the assembly folder
 */
export function assemblyArguments(cdkout: string): string[] {
  return ['--app', cdkout, '--build', ''];
}

/**
 * `npx cdk destroy` of the stacks `selector` selects in the assembly
 * `cdkout`: the CDK CLI lists them and asks before deleting.
 */
export function destroyCommand(cdkout: string, selector: string): string {
  return shellCommand(['npx', 'cdk', 'destroy', ...assemblyArguments(cdkout), selector]);
}
