import { Component } from 'projen';
import type { awscdk, Task } from 'projen';
import type { ResolvedDeployEnvironment } from '../settings';

/** What a per-environment task does with the synthesised assembly. */
export enum DeployAction {
  /** `cdk deploy` */
  DEPLOY = 'deploy',
  /** `cdk diff` */
  DIFF = 'diff',
}

/**
 * `deploy:<env>` and `diff:<env>`: the CDK CLI on the already synthesised
 * assembly (`cdk.out`), stacks of that environment's stage only.
 *
 * The pipeline runs the very same arguments (`cdkArguments`), through
 * `npx aws-cdk@<pinned version>` so a deploy step needs no `npm ci`.
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

  constructor(project: awscdk.AwsCdkTypeScriptApp, environments: ResolvedDeployEnvironment[]) {
    super(project);
    this.cdkout = project.cdkConfig.cdkout;
    for (const env of environments) {
      this.deploy[env.name] = project.addTask(DeployTasks.taskName(DeployAction.DEPLOY, env.name), {
        description: `Deploys the stacks of stage "${env.name}" (account ${env.account}, ${env.region}) from the synthesised ${this.cdkout}; run the build or synth first`,
        exec: `cdk ${this.cdkArguments(DeployAction.DEPLOY, env).join(' ')}`,
        receiveArgs: true,
      });
      this.diff[env.name] = project.addTask(DeployTasks.taskName(DeployAction.DIFF, env.name), {
        description: `Compares the stacks of stage "${env.name}" (account ${env.account}, ${env.region}) in the synthesised ${this.cdkout} with what is deployed`,
        exec: `cdk ${this.cdkArguments(DeployAction.DIFF, env).join(' ')}`,
        receiveArgs: true,
      });
    }
  }

  /**
   * Arguments after `cdk`, shell-quoted. The single definition behind both the
   * tasks and the pipeline's deploy steps.
   */
  public cdkArguments(action: DeployAction, env: ResolvedDeployEnvironment): string[] {
    // `--build ''`: cdk.json's build (`npx projen bundle`) would run before the
    // CLI notices the app is an assembly, and a pipeline deploy step has no
    // node_modules (npx would fetch an unpinned projen).
    const common = ['--app', this.cdkout, '--build', "''"];
    const stacks = `'${env.name}/*'`;
    if (action === DeployAction.DEPLOY) {
      return ['deploy', ...common, '--require-approval', 'never', '--progress', 'events', stacks];
    }
    return ['diff', ...common, stacks];
  }

}
