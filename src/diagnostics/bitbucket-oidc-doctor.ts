import { Component, TextFile } from 'projen';
import type { awscdk, Task } from 'projen';
import { doctorExpectations } from './doctor-expectations';
import { doctorSourceLines } from './doctor-source';
import { shellCommand } from '../pipeline/shell';
import type { ResolvedDeployEnvironment } from '../settings';

/** Options of `BitbucketOidcDoctor`: the values the generated doctor checks against. */
export interface BitbucketOidcDoctorOptions {
  /** The project's name (`name`), in generated names and descriptions. */
  readonly projectName: string;
  /** The Bitbucket workspace slug (`bitbucketWorkspace`). */
  readonly workspace: string;
  /** The Bitbucket workspace UUID, without braces. */
  readonly workspaceUuid: string;
  /** The Bitbucket repository UUID, without braces: the `sub` claim every deploy role trusts starts with it. */
  readonly repositoryUuid: string;
  /** The workspace's OIDC issuer URL. */
  readonly issuerUrl: string;
  /** The audience (`aud`) of the workspace's OIDC tokens. */
  readonly audience: string;
  /** The branch whose pipeline deploys: a deploy token from another branch is reported. */
  readonly mainBranch: string;
  /** The deploy environments, in pipeline order (validated: see `ResolvedDeployEnvironment`). */
  readonly environments: ResolvedDeployEnvironment[];
}

/**
 * Diagnoses a pipeline step that cannot assume its deploy role: writes the
 * read-only script `.projen/bitbucket-oidc-doctor.js` and adds the task
 * `bitbucket:oidc:doctor <env>`.
 *
 * The script decodes the step's `$BITBUCKET_STEP_OIDC_TOKEN` without printing
 * it, shows its claims, compares them and the `AWS_*` variables with the
 * trust of that environment's deploy role (issuer, audience, `sub`
 * `StringLike` pattern, repository and deployment UUIDs, role ARN, token
 * file, leftover static keys) and prints one line per mismatch naming the
 * option to change, then a verdict; it exits non-zero on a mismatch.
 *
 * It is plain Node without dependencies, because deploy steps have no
 * `node_modules`; it lives under `.projen/` because that is committed (so
 * every clone, and every after-script, has it) but is not compiled, linted
 * or tested as the project's own code. Give the component to
 * `BitbucketPipelines` (`diagnostics`) to run it in each deploy step's
 * `after-script` when the step failed.
 */
export class BitbucketOidcDoctor extends Component {
  /** Path of the script, relative to the project root. */
  public static readonly FILE_PATH = '.projen/bitbucket-oidc-doctor.js';
  /** Name of the task that runs the script. */
  public static readonly TASK_NAME = 'bitbucket:oidc:doctor';

  /** The generated script. */
  public readonly file: TextFile;
  /**
   * `bitbucket:oidc:doctor`; pass the environment name, e.g. `npx projen bitbucket:oidc:doctor production`,
   * and `--local` on a workstation (claims only, e.g. `npx projen bitbucket:oidc:doctor production --local`).
   */
  public readonly task: Task;

  /**
   * @param project the project
   * @param options the expected values, embedded in the generated doctor
   */
  constructor(project: awscdk.AwsCdkTypeScriptApp, options: BitbucketOidcDoctorOptions) {
    super(project);
    this.file = new TextFile(project, BitbucketOidcDoctor.FILE_PATH, {
      readonly: true,
      marker: false,
      committed: true,
      lines: doctorSourceLines(doctorExpectations(options)),
    });
    const names = options.environments.map((e) => e.name).join(', ');
    this.task = project.addTask(BitbucketOidcDoctor.TASK_NAME, {
      description: `Explains why a step cannot assume the deploy role of an environment (${names}) from $BITBUCKET_STEP_OIDC_TOKEN and the AWS_* variables; `
        + 'never prints the token. On a workstation add --local: only the token\'s claims are checked',
      exec: `node ${BitbucketOidcDoctor.FILE_PATH}`,
      receiveArgs: true,
    });
  }

  /**
   * The `after-script` of an environment's deploy step: runs the doctor for
   * that environment only when the step's script failed, and not when the
   * step had no cloud assembly to deploy (an expired artifact is not an
   * OIDC problem; the step's pre-flight has explained it).
   * @param environmentName the environment the step deploys
   * @param assemblyDirectory the step's cloud assembly, relative to the clone (default `cdk.out`)
   */
  public afterScript(environmentName: string, assemblyDirectory: string = 'cdk.out'): string[] {
    // after-script starts in the clone directory, but it may not share the script's shell: use absolute paths.
    // The step runner never removes the token from the shell (only from its command), so the doctor reads it there.
    // The doctor itself skips a successful step and one without the assembly.
    const file = `"\${BITBUCKET_CLONE_DIR:-.}"/${BitbucketOidcDoctor.FILE_PATH}`;
    return [`node ${file} ${shellCommand([environmentName, '--after-script', '--assembly', assemblyDirectory])}`];
  }
}
