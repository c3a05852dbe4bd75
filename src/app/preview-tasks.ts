import { Component } from 'projen';
import type { awscdk, Task } from 'projen';
import { assemblyCheckCommand } from './assembly-check';
import { shellCommand } from '../pipeline/shell';
import type { ResolvedDeployEnvironment } from '../settings';
import { DEFAULT_BOOTSTRAP_QUALIFIER, PREVIEW_DEPENDENCIES } from '../versions';

/** Options of `PreviewTasks`. */
export interface PreviewTasksOptions {
  /** The environments that get a `preview:<env>` and a `drift:<env>` task. */
  readonly environments: ResolvedDeployEnvironment[];
  /**
   * Add `preview:<env>`: what merging would change in each environment.
   * @default true
   */
  readonly pullRequestPreview?: boolean;
  /**
   * Add `drift:<env>`: whether the deployed stacks drifted from their templates.
   * @default true
   */
  readonly driftDetection?: boolean;
  /**
   * CDK bootstrap qualifier of the environments (the preview reads the bootstrap version).
   * @default "hnb659fds"
   */
  readonly bootstrapQualifier?: string;
  /**
   * The cloud assembly folder the tools read the stacks of each stage from.
   * @default - the project's `cdkConfig.cdkout`
   */
  readonly cdkout?: string;
}

/**
 * `preview:<env>` and `drift:<env>`: this package's `bitbucket-cdk-preview`
 * and `bitbucket-cdk-drift` on the synthesised assembly, for the stacks of
 * one environment's stage. The pull-request pipeline runs `preview:<env>
 * --report` and the `drift-detection` pipeline `drift:<env>` with the
 * read-only role; locally they use the caller's own AWS credentials. Each
 * first checks that the assembly exists.
 *
 * The tools load the CDK's template diff and the AWS SDK clients from the
 * project's `node_modules`: this adds them as devDependencies at the exact
 * versions this package was tested with (`PREVIEW_DEPENDENCIES`).
 */
export class PreviewTasks extends Component {
  /** The preview tool, a bin of this package. */
  public static readonly PREVIEW_BIN = 'bitbucket-cdk-preview';
  /** The drift tool, a bin of this package. */
  public static readonly DRIFT_BIN = 'bitbucket-cdk-drift';
  /** Where the preview tool writes each environment's full diff and structured result (its default `--output-dir`). */
  public static readonly OUTPUT_DIR = 'cdk.preview';

  /**
   * `preview:<env>`.
   * @param environmentName the environment's name
   */
  public static previewTaskName(environmentName: string): string {
    return `preview:${environmentName}`;
  }

  /**
   * `drift:<env>`.
   * @param environmentName the environment's name
   */
  public static driftTaskName(environmentName: string): string {
    return `drift:${environmentName}`;
  }

  /** `preview:<env>` tasks, by environment name; empty when `pullRequestPreview` is false. */
  public readonly preview: { [environmentName: string]: Task } = {};
  /** `drift:<env>` tasks, by environment name; empty when `driftDetection` is false. */
  public readonly drift: { [environmentName: string]: Task } = {};
  private readonly cdkout: string;
  private readonly bootstrapQualifier: string;

  constructor(project: awscdk.AwsCdkTypeScriptApp, options: PreviewTasksOptions) {
    super(project);
    this.cdkout = options.cdkout ?? project.cdkConfig.cdkout;
    this.bootstrapQualifier = options.bootstrapQualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
    const previews = options.pullRequestPreview ?? true;
    const drift = options.driftDetection ?? true;
    if (!previews && !drift) return;
    project.addDevDeps(...Object.entries(PREVIEW_DEPENDENCIES).map(([name, version]) => `${name}@${version}`));
    // A local preview's output, like cdk.out: never committed.
    if (previews) project.gitignore.exclude(`/${PreviewTasks.OUTPUT_DIR}/`);
    for (const env of options.environments) {
      const where = `stage "${env.name}" (account ${env.account}, ${env.region})`;
      if (previews) {
        this.preview[env.name] = this.addTask(project, PreviewTasks.previewTaskName(env.name),
          `Shows what deploying the synthesised ${this.cdkout} would change in ${where}, as the pull-request pipeline does; here with your own AWS credentials (read access is enough)`,
          [PreviewTasks.PREVIEW_BIN, ...this.previewArguments(env)]);
      }
      if (drift) {
        this.drift[env.name] = this.addTask(project, PreviewTasks.driftTaskName(env.name),
          `Checks the deployed stacks of ${where} for drift, as the drift-detection pipeline does; here with your own AWS credentials. Fails when a stack drifted`,
          [PreviewTasks.DRIFT_BIN, ...this.driftArguments(env)]);
      }
    }
  }

  /**
   * Arguments of `bitbucket-cdk-preview` for one environment, unquoted; the
   * pipeline adds `--report`.
   * @param env the environment
   */
  public previewArguments(env: ResolvedDeployEnvironment): string[] {
    return [
      '--environment', env.name, '--account', env.account, '--region', env.region,
      '--assembly', this.cdkout, '--bootstrap-qualifier', this.bootstrapQualifier,
    ];
  }

  /**
   * Arguments of `bitbucket-cdk-drift` for one environment, unquoted.
   * @param env the environment
   */
  public driftArguments(env: ResolvedDeployEnvironment): string[] {
    return ['--environment', env.name, '--account', env.account, '--region', env.region, '--assembly', this.cdkout];
  }

  /** The assembly check, then the tool with its arguments, each quoted on its own; arguments given to the task are appended. */
  private addTask(project: awscdk.AwsCdkTypeScriptApp, name: string, description: string, command: string[]): Task {
    const task = project.addTask(name, { description });
    task.exec(assemblyCheckCommand(this.cdkout), { name: `check that ${this.cdkout} exists` });
    task.exec(shellCommand(command), { receiveArgs: true });
    return task;
  }
}
