import { Component } from 'projen';
import type { awscdk, Task } from 'projen';
import { assemblyCheckCommand } from './assembly-check';
import { assemblyArguments } from '../core/cdk-cli';
import { shellCommand } from '../pipeline/shell';
import type { ResolvedDeployEnvironment } from '../settings';

/** What a per-environment task does with the synthesised assembly. */
export enum DeployAction {
  /** `cdk deploy` */
  DEPLOY = 'deploy',
  /** `cdk diff` */
  DIFF = 'diff',
}

/** Options of `DeployTasks`. */
export interface DeployTasksOptions {
  /** The environments that get a `deploy:<env>` and a `diff:<env>` task. */
  readonly environments: ResolvedDeployEnvironment[];
  /**
   * The cloud assembly folder the tasks deploy from and diff.
   * @default - the project's `cdkConfig.cdkout`
   */
  readonly cdkout?: string;
}

/**
 * `deploy:<env>` and `diff:<env>`: the CDK CLI on the already synthesised
 * assembly (`cdk.out`), stacks of that environment's stage only.
 *
 * The pipeline runs the very same arguments (`cdkArguments`), with the
 * CLI its pre-flight installs as locked, so a deploy step needs no `npm ci`
 * of the project. Each task first checks that the assembly exists, and
 * says to synthesise when it does not, instead of CDK's "--app is required".
 */
export class DeployTasks extends Component {
  /** Task name for an environment. */
  public static taskName(action: DeployAction, environmentName: string): string {
    return `${action}:${environmentName}`;
  }

  /** `deploy:<env>` tasks, by environment name. */
  public readonly deploy: { [environmentName: string]: Task } = {};
  /** `diff:<env>` tasks, by environment name. */
  public readonly diff: { [environmentName: string]: Task } = {};
  private readonly cdkout: string;

  constructor(project: awscdk.AwsCdkTypeScriptApp, options: DeployTasksOptions) {
    super(project);
    this.cdkout = options.cdkout ?? project.cdkConfig.cdkout;
    for (const env of options.environments) {
      this.deploy[env.name] = this.addEnvironmentTask(project, DeployAction.DEPLOY, env,
        `Deploys the stacks of stage "${env.name}" (account ${env.account}, ${env.region}) from the synthesised ${this.cdkout}; run the build or synth first`);
      this.diff[env.name] = this.addEnvironmentTask(project, DeployAction.DIFF, env,
        `Compares the stacks of stage "${env.name}" (account ${env.account}, ${env.region}) in the synthesised ${this.cdkout} with what is deployed`);
    }
  }

  /**
   * The shell command that fails, with what to do, when the assembly has no
   * manifest (never synthesised, or deleted): CDK would only say that
   * `--app` points nowhere.
   */
  public assemblyCheck(): string {
    return assemblyCheckCommand(this.cdkout);
  }

  /**
   * Arguments after `cdk`, unquoted (quote each with `shellQuote` to build a
   * command line). The single definition behind both the tasks and the
   * pipeline's deploy steps.
   */
  public cdkArguments(action: DeployAction, env: ResolvedDeployEnvironment): string[] {
    const common = assemblyArguments(this.cdkout);
    const stacks = `${env.name}/*`;
    if (action === DeployAction.DEPLOY) {
      return ['deploy', ...common, '--require-approval', 'never', '--progress', 'events', stacks];
    }
    return ['diff', ...common, stacks];
  }

  private addEnvironmentTask(project: awscdk.AwsCdkTypeScriptApp, action: DeployAction, env: ResolvedDeployEnvironment, description: string): Task {
    const task = project.addTask(DeployTasks.taskName(action, env.name), { description });
    task.exec(this.assemblyCheck(), { name: `check that ${this.cdkout} exists` });
    task.exec(shellCommand(['cdk', ...this.cdkArguments(action, env)]), { receiveArgs: true });
    return task;
  }
}
