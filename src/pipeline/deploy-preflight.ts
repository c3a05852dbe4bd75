import * as fs from 'fs';
import * as path from 'path';
import { Component, TextFile } from 'projen';
import type { Project } from 'projen';
import { shellQuote } from './shell';
import { generatedHeader } from '../core/generated-header';

/**
 * `templates/pipeline/bitbucket-deploy-preflight.js` of this package. The
 * component runs from `lib/pipeline/` (or `src/pipeline/` under ts-jest),
 * two levels below the package root.
 */
const PREFLIGHT_TEMPLATE = path.join(__dirname, '..', '..', 'templates', 'pipeline', 'bitbucket-deploy-preflight.js');

/** Options of `DeployPreflight`. */
export interface DeployPreflightOptions {
  /**
   * Let the CDK CLI run assets whose source is a command (`executable` in
   * an asset manifest) inside the deploy step, next to the deploy role's
   * credentials. Off, such an assembly is refused before any AWS call.
   * @default false
   */
  readonly allowExecutableAssets?: boolean;
  /**
   * Let Docker image assets use build options that reach the step's machine
   * outside the build context (secrets, extra contexts, SSH, network mode,
   * outputs). Off, such an assembly is refused before any AWS call.
   * @default false
   */
  readonly allowDockerBuildOptions?: boolean;
}

/** What one pre-flight run checks and where it installs the CLI. */
export interface PreflightCommandInput {
  /** Environment name, for messages. */
  readonly environmentName: string;
  /** Cloud assembly directory, relative to the project (`cdk.out`). */
  readonly assembly: string;
  /** The exact CDK CLI version the project pins (`cdkCliVersion`). */
  readonly cliVersion: string;
  /** A shell word expanding to the step's private temporary directory, e.g. `"$deploy_dir"`. */
  readonly installInto: string;
  /**
   * sha512 integrity the locked CLI must have (`DEFAULT_CDK_CLI_INTEGRITY`
   * or `cdkCliIntegrity`); undefined: the pre-flight verifies only the
   * lockfile's own, and says so.
   */
  readonly cliIntegrity?: string;
}

/**
 * The pre-flight of every deploy step, as a committed, dependency-free
 * script `.projen/bitbucket-deploy-preflight.js`: before the step writes
 * its OIDC token or makes an AWS call, it
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
 * With `--check-lockfile` (`LOCKFILE_CHECK_COMMAND`) it checks instead, for
 * the preview and drift steps before their `npm ci`, that every package of
 * package-lock.json is the registry's own tarball with a sha512.
 *
 * It lives under `.projen/` like the OIDC doctor: committed, so every clone
 * and every deploy step has it, but not compiled or linted as project code.
 */
export class DeployPreflight extends Component {
  /** Path of the script, relative to the project root. */
  public static readonly FILE_PATH = '.projen/bitbucket-deploy-preflight.js';
  /** Where the script installs the CLI, below its `--install-into` directory. */
  public static readonly CLI_ENTRY_POINT = 'cli/node_modules/aws-cdk/bin/cdk';
  /** The lockfile check of the preview and drift steps, run before their `npm ci`. */
  public static readonly LOCKFILE_CHECK_COMMAND = `node ${DeployPreflight.FILE_PATH} --check-lockfile`;
  /** Environment variable holding the required CLI integrity (set on its own line: it is long). */
  public static readonly CLI_INTEGRITY_VARIABLE = 'CDK_CLI_INTEGRITY';

  /** The generated script. */
  public readonly file: TextFile;
  /** Whether executable assets are let through. */
  public readonly allowExecutableAssets: boolean;
  /** Whether Docker build options that reach the step's machine are let through. */
  public readonly allowDockerBuildOptions: boolean;

  constructor(project: Project, options: DeployPreflightOptions = {}) {
    super(project);
    this.allowExecutableAssets = options.allowExecutableAssets ?? false;
    this.allowDockerBuildOptions = options.allowDockerBuildOptions ?? false;
    const template = fs.readFileSync(PREFLIGHT_TEMPLATE, 'utf-8').replace(/\r\n/g, '\n').replace(/\n*$/, '\n').split('\n');
    const header = generatedHeader('Deploy step pre-flight: assembly present, asset sources checked, CDK CLI installed as locked; lockfile check.');
    this.file = new TextFile(project, DeployPreflight.FILE_PATH, {
      readonly: true,
      marker: false,
      committed: true,
      lines: [...header, ...template],
    });
  }

  /**
   * Script lines a deploy step runs before `command`: the required CLI
   * integrity exported as `CLI_INTEGRITY_VARIABLE` (on its own line, so the
   * pre-flight line stays short), none without one.
   */
  public setup(input: PreflightCommandInput): string[] {
    return input.cliIntegrity ? [`export ${DeployPreflight.CLI_INTEGRITY_VARIABLE}=${shellQuote(input.cliIntegrity)}`] : [];
  }

  /** The script line of a deploy step that runs the pre-flight (after `setup`). */
  public command(input: PreflightCommandInput): string {
    return [
      'node', DeployPreflight.FILE_PATH,
      '--environment', shellQuote(input.environmentName),
      '--assembly', shellQuote(input.assembly),
      '--cli-version', shellQuote(input.cliVersion),
      '--install-into', input.installInto,
      ...(this.allowExecutableAssets ? ['--allow-executable-assets'] : []),
      ...(this.allowDockerBuildOptions ? ['--allow-docker-build-options'] : []),
    ].join(' ');
  }
}
