import * as fs from 'fs';
import * as path from 'path';
import { Component, TextFile } from 'projen';
import type { Project } from 'projen';
import { generatedHeader } from '../core/generated-header';
import { shellCommand } from '../pipeline/shell';

/**
 * `templates/admin/bitbucket-oidc-deploy-reviewed.js` of this package; the
 * component runs from `lib/oidc/` (or `src/oidc/` under ts-jest).
 */
const TEMPLATE = path.join(__dirname, '..', '..', 'templates', 'admin', 'bitbucket-oidc-deploy-reviewed.js');
/** The template's one line that generation fills in. */
const GENERATED_LINE = /^const GENERATED = .*;$/;

/** Options of `OidcReviewedDeploy`: what the main branch's project expects of a pull request's OIDC assembly. */
export interface OidcReviewedDeployOptions {
  /** The OIDC stack names this project declares (one per project: the same in every account). */
  readonly stackNames: string[];
  /** The exact CDK CLI version the pre-flight installs (`cdkCliVersion`). */
  readonly cliVersion: string;
  /**
   * sha512 integrity the pre-flight requires of that CLI, as in the deploy steps.
   * @default - only the lockfile's own integrity is verified (the pre-flight says so)
   */
  readonly cliIntegrity?: string;
}

/**
 * The administrator's path for an OIDC change that is not merged yet: the
 * committed, dependency-free script `.projen/bitbucket-oidc-deploy-reviewed.js`,
 * run with plain `node` from a checkout of the main branch against the pull
 * request's `cdk.oidc.out` artifact. It refuses an assembly with any stack
 * but the expected OIDC stacks or any asset but their templates, installs
 * the CDK CLI through the deploy pre-flight (locked, bytes verified), shows
 * `cdk diff` and deploys with `--require-approval broadening`: no code of
 * the branch runs (its `.projenrc.ts`, `node_modules`, ts-node of its sources).
 */
export class OidcReviewedDeploy extends Component {
  /** Path of the script, relative to the project root. */
  public static readonly FILE_PATH = '.projen/bitbucket-oidc-deploy-reviewed.js';

  /**
   * The command an administrator runs, from the root of a checkout of main.
   * @param account the account whose credentials the administrator holds
   * @param assembly the unpacked artifact folder (`cdk.oidc.out`)
   */
  public static command(account: string, assembly = '<downloaded cdk.oidc.out>'): string {
    return `${shellCommand(['node', OidcReviewedDeploy.FILE_PATH, '--account', account, '--assembly'])} ${assembly}`;
  }

  /** The generated script. */
  public readonly file: TextFile;
  /**
   * sha512 integrity required of the CLI; the pipeline sets the deploy steps'
   * (`BitbucketPipelines`), so both verify the same bytes. Read when the file is written.
   */
  public cliIntegrity?: string;
  private readonly options: OidcReviewedDeployOptions;

  constructor(project: Project, options: OidcReviewedDeployOptions) {
    super(project);
    this.options = options;
    this.cliIntegrity = options.cliIntegrity;
    this.file = new TextFile(project, OidcReviewedDeploy.FILE_PATH, { readonly: true, marker: false, committed: true });
  }

  public preSynthesize(): void {
    const template = fs.readFileSync(TEMPLATE, 'utf-8').replace(/\r\n/g, '\n').replace(/\n*$/, '\n').split('\n');
    const at = template.findIndex((l) => GENERATED_LINE.test(l));
    if (at < 0) throw new Error(`OidcReviewedDeploy: ${TEMPLATE} has no line matching ${GENERATED_LINE}`);
    const generated = { stackNames: [...new Set(this.options.stackNames)], cliVersion: this.options.cliVersion, cliIntegrity: this.cliIntegrity };
    template[at] = `const GENERATED = ${JSON.stringify(generated)};`;
    const header = generatedHeader('Deploys a pull request\'s reviewed cdk.oidc.out artifact without running code of the branch.');
    for (const line of [...header, ...template]) this.file.addLine(line);
  }
}
