import * as path from 'path';
import { Component, TextFile } from 'projen';
import type { awscdk, Task } from 'projen';
import { PROVIDER_CDK_OUT, PROVIDER_TASK_NAMES, providerConfigData, providerStackId, providerStackName } from './oidc-provider-config';
import { OidcAppCommands } from './oidc-tasks';
import { templateLines } from './oidc-templates';
import type { OidcTrustOptions } from './oidc-trust-options';
import { tsLiteral } from './ts-literal';
import { generatedHeader } from '../core/generated-header';
import * as naming from '../core/naming';

/**
 * Options of `OidcProviderApp`: the project's OIDC trust (the first
 * environment's region is the stack's region in an account without an OIDC
 * stack of this project; a listed account keeps the region of its stack
 * there) and the accounts that get a provider stack.
 */
export interface OidcProviderAppOptions extends OidcTrustOptions {
  /**
   * The accounts whose provider repositories import (validated
   * `oidcProviderExistsInAccounts`, 12 digits each): one provider stack each.
   */
  readonly accounts: string[];
}

/**
 * Where the provider of an account comes from when every repository imports
 * it (`oidcProviderExistsInAccounts`, typically set by a platform team's
 * preset): a CDK app of its own with one stack per listed account holding
 * only the workspace's identity provider, retained on deletion, with the
 * audience the deploy roles check. The platform team deploys it once per
 * account (`npx projen bitbucket:oidc:provider:deploy`) before the first
 * repository's `bitbucket:oidc:deploy`; the stack name is the same from
 * every repository of the workspace, so running it again changes nothing.
 *
 * Writes `src/bitbucket-oidc/provider-config.ts` and `provider-main.ts` and
 * adds `bitbucket:oidc:provider:synth|deploy|deploy:<account>`. Nothing is
 * added when no account is listed.
 */
export class OidcProviderApp extends Component {
  /** Name of the task that synthesises the provider stacks. */
  public static readonly SYNTH_TASK = PROVIDER_TASK_NAMES.synth;
  /** Name of the task that deploys every provider stack. */
  public static readonly DEPLOY_TASK = PROVIDER_TASK_NAMES.deploy;

  /** Name of the task that deploys the provider stack of one account. */
  public static deployAccountTaskName(account: string): string {
    return PROVIDER_TASK_NAMES.deployAccount(account);
  }

  /** The generated entry point, relative to the project root. */
  public readonly entrypoint: string;
  /** `bitbucket:oidc:provider:synth` */
  public readonly synthTask: Task;
  /** `bitbucket:oidc:provider:deploy` */
  public readonly deployTask: Task;
  /** `bitbucket:oidc:provider:deploy:<account>`, by account ID. */
  public readonly deployAccountTasks: { [account: string]: Task } = {};

  constructor(project: awscdk.AwsCdkTypeScriptApp, options: OidcProviderAppOptions) {
    super(project);
    const dir = path.posix.join(project.srcdir, naming.OIDC_SOURCE_DIR);
    this.entrypoint = path.posix.join(dir, 'provider-main.ts');
    const what = 'Bitbucket OIDC identity provider of the workspace, one stack per account of oidcProviderExistsInAccounts: `npx projen bitbucket:oidc:provider:deploy`.';
    new TextFile(project, path.posix.join(dir, 'provider-config.ts'), {
      readonly: true,
      marker: false,
      lines: [
        ...generatedHeader(what),
        "import type { BitbucketOidcConfig } from './bitbucket-oidc-config';",
        '',
        '/** Read by provider-main.ts: one provider stack per entry of `accounts`, without deploy roles. */',
        `export const BITBUCKET_OIDC_PROVIDER_CONFIG: BitbucketOidcConfig = ${tsLiteral(providerConfigData(options, options.accounts))};`,
        '',
      ],
    });
    new TextFile(project, this.entrypoint, { readonly: true, marker: false, lines: [...generatedHeader(what), ...templateLines('provider-main.ts')] });

    project.gitignore.exclude(`/${PROVIDER_CDK_OUT}/`);
    project.npmignore?.exclude(`/${PROVIDER_CDK_OUT}/`);
    project.tsconfig?.addExclude(PROVIDER_CDK_OUT);
    project.tsconfigDev.addExclude(PROVIDER_CDK_OUT);

    this.synthTask = project.addTask(PROVIDER_TASK_NAMES.synth, {
      description: `Regenerates the project, then synthesises the workspace's OIDC identity provider stacks (${this.entrypoint}) into an emptied ${PROVIDER_CDK_OUT}`,
    });
    if (project.defaultTask) this.synthTask.spawn(project.defaultTask);
    const commands = new OidcAppCommands(project, this.entrypoint, PROVIDER_CDK_OUT);
    this.synthTask.exec(commands.clean());
    this.synthTask.exec(commands.synth());

    this.deployTask = project.addTask(PROVIDER_TASK_NAMES.deploy, {
      description: `Creates the workspace's Bitbucket OIDC identity provider in every account of oidcProviderExistsInAccounts (${options.accounts.join(', ')}) with one set of administrator credentials; once per account, before the first bitbucket:oidc:deploy there`,
    });
    this.deployTask.spawn(this.synthTask);
    this.deployTask.exec(commands.deploy(), { receiveArgs: true });

    for (const account of options.accounts) {
      const task = project.addTask(PROVIDER_TASK_NAMES.deployAccount(account), {
        description: `Creates the workspace's Bitbucket OIDC identity provider in account ${account} (stack ${providerStackName(options.workspace)}); run by an administrator of that account`,
      });
      task.spawn(this.synthTask);
      task.exec(commands.deploy(providerStackId(account)), { receiveArgs: true });
      this.deployAccountTasks[account] = task;
    }
  }
}
