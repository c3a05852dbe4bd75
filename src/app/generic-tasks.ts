import { Component } from 'projen';
import type { awscdk, Task } from 'projen';
import { DeployTasks } from './deploy-tasks';
import { destroyCommand } from '../core/cdk-cli';

/** What the generic tasks need to know. */
export interface GenericTasksOptions {
  /** The per-environment tasks, in pipeline order. */
  readonly deployTasks: DeployTasks;
}

/**
 * projen's CDK tasks `deploy`, `diff`, `destroy` and `watch` act on the
 * whole app with one set of credentials, which is wrong for an app with one
 * stage per environment (CDK answers `deploy` with "specify which stacks",
 * and `watch` hot-swaps with the base credentials, bypassing the pipeline).
 * Each keeps its name, so `npx projen deploy` still answers, and does what
 * fits a multi-environment app:
 *
 * - `diff`: every `diff:<env>` in pipeline order (read-only);
 * - `deploy`, `destroy`: deploy or destroy nothing; fail and list the
 *   per-environment commands (one environment, its own credentials);
 * - `watch`: compile in the background (`tsc --build -w`, TypeScript
 *   projects' own `watch`), no deploy.
 *
 * `synth` and `synth:silent` stay as they are: the build runs them.
 */
export class GenericTasks extends Component {
  /** `diff`: every environment's `diff:<env>`. */
  public readonly diff: Task;
  /** `deploy`: fails, listing the `deploy:<env>` tasks. */
  public readonly deploy: Task;
  /** `destroy`: fails, listing how to destroy one environment's stacks. */
  public readonly destroy: Task;
  /** `watch`: TypeScript compilation in watch mode. */
  public readonly watch: Task;

  constructor(project: awscdk.AwsCdkTypeScriptApp, options: GenericTasksOptions) {
    super(project);
    const environments = Object.keys(options.deployTasks.deploy);
    const cdkout = project.cdkConfig.cdkout;

    this.diff = reset(project.cdkTasks.diff, `Compares every environment with what is deployed, in pipeline order (${environments.map((e) => `diff:${e}`).join(', ')}); each needs credentials for its account`);
    for (const env of environments) {
      this.diff.spawn(options.deployTasks.diff[env]);
    }

    this.deploy = reset(project.cdkTasks.deploy, 'Deploys nothing: this app deploys one environment at a time with deploy:<env>');
    failWith(this.deploy, [
      '"npx projen deploy" deploys nothing here: this app deploys one environment at a time, like the pipeline, each with credentials for its own account:',
      ...environments.map((env) => `  npx projen ${options.deployTasks.deploy[env].name}`),
    ]);

    this.destroy = reset(project.cdkTasks.destroy, 'Destroys nothing: lists how to destroy one environment\'s stacks');
    failWith(this.destroy, [
      '"npx projen destroy" destroys nothing here: it would delete every environment\'s stacks with one set of credentials. To delete one environment\'s stacks (the CDK CLI lists them and asks first), with credentials for its account:',
      ...environments.map((env) => `  ${destroyCommand(cdkout, `${env}/*`)}`),
      'Remove the environment from .projenrc.ts first, or the pipeline deploys it again.',
    ]);

    // A hot-swapping `cdk watch` would deploy with the base credentials, not a deploy role, and skip the pipeline.
    this.watch = reset(project.cdkTasks.watch, 'Watch & compile in the background (deploys nothing: use deploy:<env>)');
    const tsconfig = project.tsconfig?.fileName;
    this.watch.exec(['tsc', '--build', '-w', ...(tsconfig && tsconfig !== 'tsconfig.json' ? [tsconfig] : [])].join(' '));
  }
}

function reset(task: Task, description: string): Task {
  task.reset();
  task.description = description;
  return task;
}

/** Steps that print the lines (projen's own `say`, shown once) and fail. */
function failWith(task: Task, lines: string[]): void {
  task.say(lines.join('\n'));
  task.exec('exit 1');
}
