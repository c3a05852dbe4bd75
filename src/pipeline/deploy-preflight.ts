import * as fs from 'fs';
import * as path from 'path';
import { Component, TextFile } from 'projen';
import type { Project } from 'projen';
import { generatedHeader } from '../core/generated-header';

/**
 * `templates/pipeline/bitbucket-deploy-preflight.js` of this package. The
 * component runs from `lib/pipeline/` (or `src/pipeline/` under ts-jest),
 * two levels below the package root.
 */
const PREFLIGHT_TEMPLATE = path.join(__dirname, '..', '..', 'templates', 'pipeline', 'bitbucket-deploy-preflight.js');

/**
 * The pre-flight of every deploy step, as a committed, dependency-free
 * script `.projen/bitbucket-deploy-preflight.js`, which the step runner
 * (`OidcStepRunner`) loads: before the step writes its OIDC token or makes
 * an AWS call, it
 * - checks that the cloud assembly (the build step's artifact, kept 14 days
 *   by Bitbucket) is there, and says what to do when it is not;
 * - refuses asset manifests that name `executable` sources (commands the
 *   CDK CLI would run next to the credentials), unless allowed;
 * - refuses asset sources outside the assembly (symlinks resolved), and
 *   Docker build options that reach the step's machine unless allowed;
 * - installs the CDK CLI with `npm ci` from a lockfile holding only the
 *   project's locked `aws-cdk` entry (version, the registry's own tarball,
 *   sha512 integrity, which must be the shipped or configured one), so npm
 *   refuses other bytes whatever registry serves them.
 *
 * With `--check-lockfile` it checks instead, for the preview and drift
 * steps before their `npm ci`, that every package of package-lock.json is
 * the registry's own tarball with a sha512.
 *
 * It lives under `.projen/` like the OIDC doctor: committed, so every clone
 * and every deploy step has it, but not compiled or linted as project code.
 */
export class DeployPreflight extends Component {
  /** Path of the script, relative to the project root. */
  public static readonly FILE_PATH = '.projen/bitbucket-deploy-preflight.js';
  /** The generated script. */
  public readonly file: TextFile;

  constructor(project: Project) {
    super(project);
    const template = fs.readFileSync(PREFLIGHT_TEMPLATE, 'utf-8').replace(/\r\n/g, '\n').replace(/\n*$/, '\n').split('\n');
    const header = generatedHeader('Deploy step pre-flight: assembly present, asset sources checked, CDK CLI installed as locked; lockfile check.');
    this.file = new TextFile(project, DeployPreflight.FILE_PATH, {
      readonly: true,
      marker: false,
      committed: true,
      lines: [...header, ...template],
    });
  }
}
