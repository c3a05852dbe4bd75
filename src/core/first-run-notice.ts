import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen';
import type { Project } from 'projen';

/** Options of `FirstRunNotice`. */
export interface FirstRunNoticeOptions {
  /** The branch that deploys: the one to protect. */
  readonly mainBranch: string;
}

/**
 * Tells a team, the first time this package generates into a folder (`projen
 * new`, or the first `npx projen` after adopting it), the one thing it cannot
 * enforce: who may deploy is decided by Bitbucket's branch and deployment
 * permissions. Printed once per project rather than on every run: a notice
 * repeated on every `npx projen` is soon skimmed over; the README section it
 * names is the lasting place.
 */
export class FirstRunNotice extends Component {
  /** The text printed (without the logger's prefix). */
  public static text(mainBranch: string): string {
    return `before the first push, protect "${mainBranch}" and the deployment environments in Bitbucket: without deployment permissions `
      + `(Bitbucket Premium) and branch permissions on "${mainBranch}", anyone with write access can put \`deployment: production\` `
      + 'and `oidc: true` in the pipeline file of their own branch and get production\'s credentials; `trigger: manual` is not a control. '
      + 'Read "Security model" in node_modules/projen-bitbucket-cdk/README.md (https://www.npmjs.com/package/projen-bitbucket-cdk#security-model).';
  }

  /** Whether this run is the first generation in the folder (the notice was printed). */
  public readonly shown: boolean;

  constructor(project: Project, options: FirstRunNoticeOptions) {
    super(project);
    this.shown = !generatedBefore(project.outdir);
    if (this.shown) project.logger.warn(`BitbucketCdkApp: ${FirstRunNotice.text(options.mainBranch)}`);
  }
}

/** projen lists what it generated in `.projen/files.json`; ours includes the pipeline file. */
function generatedBefore(outdir: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, '.projen', 'files.json'), 'utf-8'));
    return Array.isArray(manifest.files) && manifest.files.includes('bitbucket-pipelines.yml');
  } catch {
    return false;
  }
}
