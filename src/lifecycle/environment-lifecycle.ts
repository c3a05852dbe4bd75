import * as path from 'path';
import { Component, JsonFile } from 'projen';
import type { awscdk } from 'projen';
import type { GenerationRecord } from './generation-record';
import { assessLifecycle } from './lifecycle-changes';
import { GENERATION_RECORD_FILE, generationRecord, readGenerationRecord } from './record-file';
import { assemblyStack, stageStacks } from './stage-stacks';
import * as naming from '../core/naming';
import type { ResolvedDeployEnvironment, ResolvedOidcAccount } from '../settings';

/** Options of `EnvironmentLifecycle`: what this generation deploys, compared with the previous record. */
export interface EnvironmentLifecycleOptions {
  /** The project's name (`name`), in generated names and descriptions. */
  readonly projectName: string;
  /** The Bitbucket workspace slug (`bitbucketWorkspace`). */
  readonly workspace: string;
  /** The Bitbucket repository UUID, without braces: the `sub` claim every deploy role trusts starts with it. */
  readonly repositoryUuid: string;
  /** The CDK bootstrap qualifier whose roles the deploy roles may assume. */
  readonly bootstrapQualifier: string;
  /** Managed policy ARNs attached to every deploy role. */
  readonly managedPolicies: string[];
  /**
   * Permissions boundary ARN of every deploy role.
   * @default - none
   */
  readonly permissionsBoundary?: string;
  /** Maximum session duration of the deploy roles, in hours. */
  readonly maxSessionHours: number;
  /** The deploy environments, in pipeline order (validated: see `ResolvedDeployEnvironment`). */
  readonly environments: ResolvedDeployEnvironment[];
  /** The AWS accounts of the OIDC stacks, with the environments whose deploy roles each holds. */
  readonly oidcAccounts: ResolvedOidcAccount[];
  /**
   * Name of the read-only role of pull-request previews and drift detection in every account's OIDC stack.
   * @default - no read-only role
   */
  readonly previewRoleName?: string;
  /**
   * Whether the read-only role may run drift detection.
   * @default false
   */
  readonly driftDetection?: boolean;
}

/**
 * Keeps track of what each `npx projen` generated, so that removing or
 * renaming an environment, moving or dropping an account, or renaming the
 * project does not silently leave stacks and deploy roles (still trusting
 * this repository) behind in AWS.
 *
 * It reads the record the previous run committed
 * (`.projen/bitbucket-cdk-generation.json`), warns about what stays deployed
 * with the command that removes it, and about what an administrator must do
 * in AWS before the change is merged (bootstrap, OIDC stack deployment); then
 * it writes the record of this generation. A renamed OIDC stack imports the
 * identity provider its predecessor created (`oidcAccounts`), since an account
 * holds one provider per issuer. Without a record (first run, or a project
 * made before records existed) it says nothing.
 */
export class EnvironmentLifecycle extends Component {
  /** Path of the record, relative to the project root. */
  public static readonly FILE_PATH = GENERATION_RECORD_FILE;

  /** The OIDC accounts to generate from: the given ones, with the providers of renamed stacks imported (`providerExists`). */
  public readonly oidcAccounts: ResolvedOidcAccount[];
  /** The record of the previous generation; undefined on a first run or when it could not be read. */
  public readonly previous?: GenerationRecord;
  /** The record written by this generation. */
  public readonly current: GenerationRecord;
  /** What this run warned about (also printed with the project's logger). */
  public readonly warnings: string[];
  /** The committed record file. */
  public readonly file: JsonFile;

  /**
   * @param project the project
   * @param options what this generation deploys
   */
  constructor(project: awscdk.AwsCdkTypeScriptApp, options: EnvironmentLifecycleOptions) {
    super(project);
    const { record, problem } = readGenerationRecord(project.outdir);
    const cdkout = project.cdkConfig.cdkout;
    const assessment = assessLifecycle(record, options, {
      cdkout,
      stageStacks: (stage) => stageStacks(path.join(project.outdir, cdkout), stage),
      oidcCdkout: naming.OIDC_CDK_OUT,
      oidcStack: (id) => assemblyStack(path.join(project.outdir, naming.OIDC_CDK_OUT), id),
    });
    this.previous = record;
    this.oidcAccounts = assessment.providerCreatedBy.size === 0 ? options.oidcAccounts
      : options.oidcAccounts.map((a) => (assessment.providerCreatedBy.has(a.account) ? { ...a, providerExists: true } : a));
    this.current = generationRecord({ ...options, oidcAccounts: this.oidcAccounts }, assessment.providerCreatedBy);
    this.warnings = [
      ...(problem ? [`${problem}: what this change leaves deployed in AWS is not checked this time; the file is rewritten now.`] : []),
      ...assessment.warnings,
    ];
    for (const warning of this.warnings) project.logger.warn(`BitbucketCdkApp: ${warning}`);

    this.file = new JsonFile(project, GENERATION_RECORD_FILE, { obj: this.current, readonly: true, marker: true, committed: true });
  }
}
