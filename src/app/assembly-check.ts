import { shellQuote } from '../pipeline/shell';

/**
 * A task command that fails, saying what to run first, when the cloud
 * assembly has no manifest (never synthesised, or deleted): the CDK CLI and
 * the preview and drift tools would only report that it points nowhere.
 * @param cdkout the assembly folder, relative to the project (`cdk.out`)
 */
export function assemblyCheckCommand(cdkout: string): string {
  const manifest = `${cdkout}/manifest.json`;
  const message = `${manifest} is missing: there is no synthesised app to deploy or compare. Run npx projen build (or npx projen synth:silent) first, then this task again.`;
  // Node, not shell syntax: projen's task shell runs simple commands only, the same on every platform.
  const program = `if (!require("fs").existsSync(${JSON.stringify(manifest)})) { console.error(${JSON.stringify(message)}); process.exit(1); }`;
  return `node -e ${shellQuote(program)}`;
}
