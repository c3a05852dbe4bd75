import * as path from 'path';
import { Component, JsonFile } from 'projen';
import type { awscdk } from 'projen';
import type { GenerationRecord } from './generation-record';
import { assessLifecycle } from './lifecycle-changes';
import { GENERATION_RECORD_FILE, generationRecord, readGenerationRecord } from './record-file';
import { assemblyStack, stageStacks } from './stage-stacks';
import * as naming from '../core/naming';
import type { ResolvedSettings } from '../settings';

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
 * identity provider its predecessor created (`settings`), since an account
 * holds one provider per issuer. Without a record (first run, or a project
 * made before records existed) it says nothing.
 */
export class EnvironmentLifecycle extends Component {
  /** Path of the record, relative to the project root. */
  public static readonly FILE_PATH = GENERATION_RECORD_FILE;

  /** The settings to generate from: the resolved ones, with providers of renamed stacks imported. */
  public readonly settings: ResolvedSettings;
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
   * @param settings the resolved settings
   */
  constructor(project: awscdk.AwsCdkTypeScriptApp, settings: ResolvedSettings) {
    super(project);
    const { record, problem } = readGenerationRecord(project.outdir);
    const cdkout = project.cdkConfig.cdkout;
    const assessment = assessLifecycle(record, settings, {
      cdkout,
      stageStacks: (stage) => stageStacks(path.join(project.outdir, cdkout), stage),
      oidcCdkout: naming.OIDC_CDK_OUT,
      oidcStack: (id) => assemblyStack(path.join(project.outdir, naming.OIDC_CDK_OUT), id),
    });
    this.previous = record;
    this.settings = assessment.providerCreatedBy.size === 0 ? settings : {
      ...settings,
      oidcAccounts: settings.oidcAccounts.map((a) => (assessment.providerCreatedBy.has(a.account) ? { ...a, providerExists: true } : a)),
    };
    this.current = generationRecord(this.settings, assessment.providerCreatedBy);
    this.warnings = [
      ...(problem ? [`${problem}: what this change leaves deployed in AWS is not checked this time; the file is rewritten now.`] : []),
      ...assessment.warnings,
    ];
    for (const warning of this.warnings) project.logger.warn(`BitbucketCdkApp: ${warning}`);

    this.file = new JsonFile(project, GENERATION_RECORD_FILE, { obj: this.current, readonly: true, marker: true, committed: true });
  }
}
