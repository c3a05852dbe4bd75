import * as fs from 'fs';
import * as path from 'path';
import { Component, InitProjectOptionHints } from 'projen';
import type { InitProject } from 'projen';

/**
 * The options a new user reaches for next, commented out in the options of
 * the `.projenrc.ts` that `projen new` writes. projen's own option hints
 * (`@featured`) can only render `// option: undefined,`, which shows neither
 * the shape of an environment list nor a wave; these are working examples
 * (test/app/projenrc-examples.test.ts builds a project from them), with
 * placeholders where only the user knows the value, so an example left
 * half-edited fails validation instead of deploying somewhere.
 */
export const PROJENRC_EXAMPLE_LINES: readonly string[] = [
  '// More options of projen-bitbucket-cdk (README "Options"); uncomment and edit to use:',
  '// Several environments, in pipeline order, instead of deployAccount, deployRegion and deployBitbucketDeploymentUuid.',
  '// A `wave` deploys its environments in parallel; the UUIDs are in Repository settings → Pipelines → OpenID Connect.',
  '// deployEnvironments: [',
  "//   { name: 'dev', account: '<dev account id>', region: 'eu-west-1', bitbucketDeploymentUuid: '<uuid of dev>', wave: 'test' },",
  "//   { name: 'qa', account: '<qa account id>', region: 'eu-west-1', bitbucketDeploymentUuid: '<uuid of qa>', wave: 'test' },",
  "//   { name: 'production', account: '<production account id>', region: 'eu-west-1', bitbucketDeploymentUuid: '<uuid of production>', manualApproval: true },",
  '// ],',
  '// pullRequestPreview: true, // each pull request shows what it would change in each environment (Code Insights report)',
  '// dockerImageAssets: true, // deploy steps get the docker service, for ContainerImage.fromAsset and DockerImageFunction',
  '// driftDetection: true, // the custom pipeline drift-detection, to schedule in Repository settings → Pipelines → Schedules',
];

/** Adds {@link PROJENRC_EXAMPLE_LINES} to a new project's `.projenrc.ts`, once, when `projen new` creates it. */
export class ProjenrcExamples extends Component {
  /** `source` with the examples as the last lines of the project's options, or `source` unchanged when it has no such call. */
  public static addTo(source: string): string {
    // projen's renderer ends the options with "\n});" just before "project.synth();".
    const end = source.lastIndexOf('\n});');
    if (end < 0 || !source.slice(end).includes('project.synth()') || source.includes(PROJENRC_EXAMPLE_LINES[0])) return source;
    const block = ['', ...PROJENRC_EXAMPLE_LINES.map((l) => `  ${l}`)].join('\n');
    return source.slice(0, end) + block + source.slice(end);
  }

  public projectCreation(initProject: InitProject): void {
    // `projen new --no-comments` asks for no commented options.
    if (initProject.comments === InitProjectOptionHints.NONE) return;
    const rcfile = path.join(this.project.outdir, '.projenrc.ts');
    if (!fs.existsSync(rcfile)) return;
    const before = fs.readFileSync(rcfile, 'utf-8');
    const after = ProjenrcExamples.addTo(before);
    if (after !== before) fs.writeFileSync(rcfile, after);
  }
}
