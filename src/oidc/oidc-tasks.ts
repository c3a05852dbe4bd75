import type { awscdk, Task } from 'projen';
import { OidcReviewedDeploy } from './oidc-reviewed-deploy';
import { assemblyArguments } from '../core/cdk-cli';
import { shellCommand } from '../pipeline/shell';
import type { ResolvedOidcAccount } from '../settings';

/** The `bitbucket:oidc:*` tasks. */
export interface OidcTasks {
  /** `bitbucket:oidc:synth` */
  readonly synth: Task;
  /** `bitbucket:oidc:synth:app`: the synthesis alone, without regenerating the project (the pull-request build). */
  readonly synthApp: Task;
  /** `bitbucket:oidc:diff` */
  readonly diff: Task;
  /** `bitbucket:oidc:deploy` */
  readonly deploy: Task;
  /** `bitbucket:oidc:deploy:<account>` by account ID. */
  readonly deployAccount: { [account: string]: Task };
  /** The script an administrator deploys a pull request's reviewed `cdk.oidc.out` artifact with. */
  readonly reviewedDeploy: OidcReviewedDeploy;
}

/** Task names. */
export const OIDC_TASK_NAMES = {
  synth: 'bitbucket:oidc:synth',
  synthApp: 'bitbucket:oidc:synth:app',
  diff: 'bitbucket:oidc:diff',
  deploy: 'bitbucket:oidc:deploy',
  deployAccount: (account: string) => `bitbucket:oidc:deploy:${account}`,
};

/**
 * The OIDC app is deployed by an administrator, interactively:
 * `broadening` shows every added trust or permission and asks before it is
 * applied, which is the review this stack deserves, while changes that only
 * narrow access go through unasked.
 */
export const OIDC_REQUIRE_APPROVAL = 'broadening';

/**
 * The command that runs the OIDC entry point, in the style projen uses for
 * the app's own `cdk.json` (`npx ts-node -P tsconfig.json --prefer-ts-exts`).
 */
export function oidcAppCommand(project: awscdk.AwsCdkTypeScriptApp, entrypoint: string): string {
  const tsconfig = project.tsconfig?.fileName;
  return `npx ts-node${tsconfig ? ` -P ${tsconfig}` : ''} --prefer-ts-exts ${entrypoint}`;
}

/**
 * The CDK command lines of an OIDC app (the stacks of `bitbucket:oidc:*`, or
 * the provider stacks of `bitbucket:oidc:provider:*`): synthesise its entry
 * point into its own emptied assembly, then diff or deploy that assembly.
 */
export class OidcAppCommands {
  /**
   * @param project the project (its tsconfig runs the entry point)
   * @param entrypoint the app's entry point
   * @param cdkout the app's own assembly folder
   */
  constructor(private readonly project: awscdk.AwsCdkTypeScriptApp, private readonly entrypoint: string, private readonly cdkout: string) {}

  /** Empties the assembly: templates of accounts no longer configured must not linger where a reviewer reads them. */
  public clean(): string {
    return shellCommand(['rm', '-rf', this.cdkout]);
  }

  public synth(): string {
    return shellCommand(['cdk', 'synth', '--app', oidcAppCommand(this.project, this.entrypoint), '--output', this.cdkout, '--build', '', '--quiet']);
  }

  public diff(): string {
    return shellCommand(['cdk', 'diff', ...assemblyArguments(this.cdkout)]);
  }

  /**
   * Deploys the given stacks, or all.
   * @param stackId construct ID of the stack; all when undefined
   */
  public deploy(stackId?: string): string {
    return shellCommand(['cdk', 'deploy', ...assemblyArguments(this.cdkout), '--require-approval', OIDC_REQUIRE_APPROVAL, stackId ?? '--all']);
  }
}

/**
 * Adds the tasks that synthesise the OIDC app into its own assembly and
 * diff or deploy it with the local (administrator) credentials. Deploy and
 * diff synthesise first, then work on that assembly, so what is reviewed is
 * what is deployed. They run the checkout's code, so they are for the main
 * branch; a pull request's trust is deployed from its artifact with
 * `OidcReviewedDeploy`.
 */
export function addOidcTasks(
  project: awscdk.AwsCdkTypeScriptApp,
  entrypoint: string,
  cdkout: string,
  accounts: ResolvedOidcAccount[],
): OidcTasks {
  const synth = project.addTask(OIDC_TASK_NAMES.synth, {
    description: `Regenerates the project from .projenrc.ts, then synthesises the Bitbucket OIDC stacks (${entrypoint}) into an emptied ${cdkout}`,
  });
  // The trust that reaches AWS is the one .projenrc.ts defines: a hand-edited
  // "read-only" file under src/bitbucket-oidc/ is overwritten before synthesis.
  if (project.defaultTask) synth.spawn(project.defaultTask);
  // The pull-request build has just run projen: it synthesises the trust for review with this task alone, without credentials.
  const synthApp = project.addTask(OIDC_TASK_NAMES.synthApp, {
    description: `Synthesises the Bitbucket OIDC stacks (${entrypoint}) into an emptied ${cdkout}, without regenerating the project first (the pull-request build's artifact)`,
  });
  const commands = new OidcAppCommands(project, entrypoint, cdkout);
  synthApp.exec(commands.clean());
  synthApp.exec(commands.synth());
  synth.spawn(synthApp);

  const diff = project.addTask(OIDC_TASK_NAMES.diff, {
    description: 'Compares the Bitbucket OIDC stacks of every account with what is deployed (administrator credentials)',
  });
  diff.spawn(synth);
  diff.exec(commands.diff(), { receiveArgs: true });

  const deploy = project.addTask(OIDC_TASK_NAMES.deploy, {
    description: `Deploys the Bitbucket OIDC provider, deploy roles and read-only role (previews, drift detection) to every account (${accounts.map((a) => a.account).join(', ')}) with one set of administrator credentials; for several accounts use bitbucket:oidc:deploy:<account> with each account's credentials`,
  });
  deploy.spawn(synth);
  deploy.exec(commands.deploy(), { receiveArgs: true });

  const deployAccount: { [account: string]: Task } = {};
  for (const account of accounts) {
    const task = project.addTask(OIDC_TASK_NAMES.deployAccount(account.account), {
      description: `Deploys the Bitbucket OIDC stack ${account.stackName} to account ${account.account} (${account.region}); run by an administrator`,
    });
    task.spawn(synth);
    task.exec(commands.deploy(account.stackId), { receiveArgs: true });
    deployAccount[account.account] = task;
  }
  // Changes not merged yet: deployed from the pull request's artifact with main's script, running no code of the branch.
  const reviewedDeploy = new OidcReviewedDeploy(project, { stackNames: accounts.map((a) => a.stackName), cliVersion: project.cdkDeps.cdkCliVersion });
  return { synth, synthApp, diff, deploy, deployAccount, reviewedDeploy };
}
