import * as path from 'path';
import { Component, TextFile } from 'projen';
import type { awscdk, Task } from 'projen';
import { oidcConfigLines } from './oidc-config-source';
import { addOidcTasks, OIDC_TASK_NAMES } from './oidc-tasks';
import { OIDC_TEMPLATE_FILES, templateLines } from './oidc-templates';
import type { OidcTrustOptions } from './oidc-trust-options';
import { generatedHeader } from '../core/generated-header';
import * as naming from '../core/naming';

/** Options of `BitbucketOidc`: what `config.ts` of the OIDC stacks is generated from. */
export interface BitbucketOidcOptions extends OidcTrustOptions {
  /** Managed policy names attached to every deploy role. */
  readonly managedPolicies: string[];
  /**
   * Permissions boundary of every deploy role and of the read-only role.
   * @default - none
   */
  readonly permissionsBoundary?: string;
  /**
   * Name of the read-only role of pull-request previews and drift detection,
   * created in every account's OIDC stack (`ResolvedSettings.previewRoleName`).
   * @default - no read-only role
   */
  readonly previewRoleName?: string;
  /**
   * Whether the read-only role may also run CloudFormation drift detection
   * on the app's stacks (`driftDetection`).
   * @default false
   */
  readonly driftDetection?: boolean;
}

/**
 * The Bitbucket OIDC trust of the project, as CDK source the project owns
 * but does not edit: writes the read-only `src/bitbucket-oidc/` (a stack per
 * AWS account with the identity provider, the deploy roles and the read-only
 * role of pull-request previews and drift detection, its entry
 * point and the project's `config.ts`), keeps its cloud assembly
 * (`cdk.oidc.out`) apart from the app's, and adds the
 * `bitbucket:oidc:synth|diff|deploy` tasks an administrator runs.
 */
export class BitbucketOidc extends Component {
  /** Name of the task that synthesises the OIDC app. */
  public static readonly SYNTH_TASK = OIDC_TASK_NAMES.synth;
  /** Name of the task that diffs every OIDC stack. */
  public static readonly DIFF_TASK = OIDC_TASK_NAMES.diff;
  /** Name of the task that deploys every OIDC stack. */
  public static readonly DEPLOY_TASK = OIDC_TASK_NAMES.deploy;

  /** Name of the task that deploys the OIDC stack of one account. */
  public static deployAccountTaskName(account: string): string {
    return OIDC_TASK_NAMES.deployAccount(account);
  }

  /** Folder of the generated source, relative to the project root. */
  public readonly sourceDir: string;
  /** The generated `config.ts` (per-project data), relative to the project root. */
  public readonly configFile: string;
  /** The CDK entry point of the OIDC app, relative to the project root. */
  public readonly entrypoint: string;
  /** Every generated file, relative to the project root. */
  public readonly files: string[];
  /** Cloud assembly folder of the OIDC app. */
  public readonly cdkout: string;
  /** `bitbucket:oidc:synth` */
  public readonly synthTask: Task;
  /** `bitbucket:oidc:diff` */
  public readonly diffTask: Task;
  /** `bitbucket:oidc:deploy` */
  public readonly deployTask: Task;
  /** `bitbucket:oidc:deploy:<account>`, by account ID. */
  public readonly deployAccountTasks: { [account: string]: Task };

  /**
   * @param project the project
   * @param options what the OIDC stacks are generated from
   */
  constructor(project: awscdk.AwsCdkTypeScriptApp, options: BitbucketOidcOptions) {
    super(project);
    this.sourceDir = path.posix.join(project.srcdir, naming.OIDC_SOURCE_DIR);
    this.configFile = path.posix.join(this.sourceDir, 'config.ts');
    this.entrypoint = path.posix.join(this.sourceDir, 'main.ts');
    this.cdkout = naming.OIDC_CDK_OUT;

    const what = 'Bitbucket OIDC stack source, deployed by an administrator with `npx projen bitbucket:oidc:deploy`.';
    this.files = [this.configFile];
    new TextFile(project, this.configFile, { readonly: true, marker: false, lines: oidcConfigLines(options) });
    for (const fileName of OIDC_TEMPLATE_FILES) {
      const file = path.posix.join(this.sourceDir, fileName);
      new TextFile(project, file, { readonly: true, marker: false, lines: [...generatedHeader(what), ...templateLines(fileName)] });
      this.files.push(file);
    }

    // The pipeline deploys cdk.out; the OIDC assembly must never be in it, in git, or in a package.
    project.gitignore.exclude(`/${this.cdkout}/`);
    project.npmignore?.exclude(`/${this.cdkout}/`);
    project.tsconfig?.addExclude(this.cdkout);
    project.tsconfigDev.addExclude(this.cdkout);

    const tasks = addOidcTasks(project, this.entrypoint, this.cdkout, options.oidcAccounts);
    this.synthTask = tasks.synth;
    this.diffTask = tasks.diff;
    this.deployTask = tasks.deploy;
    this.deployAccountTasks = tasks.deployAccount;
  }
}
