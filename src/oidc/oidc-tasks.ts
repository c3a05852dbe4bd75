import type { awscdk, Task } from 'projen';
import type { ResolvedOidcAccount } from '../settings';

/** The `bitbucket:oidc:*` tasks. */
export interface OidcTasks {
  /** `bitbucket:oidc:synth` */
  readonly synth: Task;
  /** `bitbucket:oidc:diff` */
  readonly diff: Task;
  /** `bitbucket:oidc:deploy` */
  readonly deploy: Task;
  /** `bitbucket:oidc:deploy:<account>` by account ID. */
  readonly deployAccount: { [account: string]: Task };
}

/** Task names. */
export const OIDC_TASK_NAMES = {
  synth: 'bitbucket:oidc:synth',
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
 * `cdk.json` runs `npx projen bundle` before every command (its `build`); the
 * OIDC app has nothing to bundle.
 */
const SKIP_APP_BUILD = "--build ''";

/**
 * Adds the tasks that synthesise the OIDC app into its own assembly and
 * diff or deploy it with the local (administrator) credentials. Deploy and
 * diff synthesise first, then work on that assembly, so what is reviewed is
 * what is deployed.
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
  // Templates of accounts no longer configured must not linger where a reviewer reads them.
  synth.exec(`rm -rf ${cdkout}`);
  synth.exec(`cdk synth --app "${oidcAppCommand(project, entrypoint)}" --output ${cdkout} ${SKIP_APP_BUILD} --quiet`);

  const diff = project.addTask(OIDC_TASK_NAMES.diff, {
    description: 'Compares the Bitbucket OIDC stacks of every account with what is deployed (administrator credentials)',
  });
  diff.spawn(synth);
  diff.exec(`cdk diff --app ${cdkout} ${SKIP_APP_BUILD}`, { receiveArgs: true });

  const deploy = project.addTask(OIDC_TASK_NAMES.deploy, {
    description: `Deploys the Bitbucket OIDC provider, deploy roles and read-only role (previews, drift detection) to every account (${accounts.map((a) => a.account).join(', ')}) with one set of administrator credentials; for several accounts use bitbucket:oidc:deploy:<account> with each account's credentials`,
  });
  deploy.spawn(synth);
  deploy.exec(`cdk deploy --app ${cdkout} ${SKIP_APP_BUILD} --all --require-approval ${OIDC_REQUIRE_APPROVAL}`, { receiveArgs: true });

  const deployAccount: { [account: string]: Task } = {};
  for (const account of accounts) {
    const task = project.addTask(OIDC_TASK_NAMES.deployAccount(account.account), {
      description: `Deploys the Bitbucket OIDC stack ${account.stackName} to account ${account.account} (${account.region}); run by an administrator`,
    });
    task.spawn(synth);
    task.exec(`cdk deploy --app ${cdkout} ${SKIP_APP_BUILD} --require-approval ${OIDC_REQUIRE_APPROVAL} ${account.stackId}`, { receiveArgs: true });
    deployAccount[account.account] = task;
  }
  return { synth, diff, deploy, deployAccount };
}
