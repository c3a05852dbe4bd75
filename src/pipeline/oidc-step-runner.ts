import * as fs from 'fs';
import * as path from 'path';
import { Component, TextFile } from 'projen';
import type { Project } from 'projen';
import { NPX_NO_DOWNLOADS } from './npx-policy';
import { shellCommand } from './shell';
import { generatedHeader } from '../core/generated-header';

/**
 * `templates/pipeline/oidc-step.js` of this package. The
 * component runs from `lib/pipeline/` (or `src/pipeline/` under ts-jest),
 * two levels below the package root.
 */
const RUNNER_TEMPLATE = path.join(__dirname, '..', '..', 'templates', 'pipeline', 'oidc-step.js');

/** The template's placeholder line, replaced by the project's settings. */
const SETTINGS_LINE = /^const SETTINGS = .*;$/;

/** Options of `OidcStepRunner`: what every deploy step of the project shares. */
export interface OidcStepRunnerOptions {
  /** Cloud assembly directory the deploy steps deploy, relative to the project (`cdk.out`). */
  readonly assembly: string;
  /** The exact CDK CLI version the deploy steps install, as locked in package-lock.json (`cdkCliVersion`). */
  readonly cliVersion: string;
  /**
   * sha512 integrity the locked CLI must have (`DEFAULT_CDK_CLI_INTEGRITY`
   * or `cdkCliIntegrity`).
   * @default - only the lockfile's own integrity is verified, and the step says so
   */
  readonly cliIntegrity?: string;
  /**
   * Let the CDK CLI run `executable` asset sources in the deploy steps, next
   * to the deploy role's credentials.
   * @default false
   */
  readonly allowExecutableAssets?: boolean;
  /**
   * Let Docker image assets use build options that reach the step's machine
   * outside the build context (secrets, extra contexts, SSH, network mode, outputs).
   * @default false
   */
  readonly allowDockerBuildOptions?: boolean;
}

/** What an OIDC step does with its role. */
export enum OidcStepAction {
  /** Strict: no token, no deploy; the pre-flight, then the locked CDK CLI. */
  DEPLOY = 'deploy',
  /** Lenient read with the read-only role: lockfile check, `npm ci --ignore-scripts`, then the command, with or without a token. */
  PREVIEW = 'preview',
  /** As `PREVIEW`, for the drift checks. */
  DRIFT = 'drift',
}

/** One OIDC step: the environment, its role and region, and the one command. */
export interface OidcStepInput {
  /** What the step does with its role. */
  readonly action: OidcStepAction;
  /** Environment name: messages and the role session name. */
  readonly environmentName: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** ARN of the only role the step may use. */
  readonly roleArn: string;
  /**
   * What runs with the role, as arguments: for `deploy` the CDK CLI's
   * arguments (the runner runs the CLI it installed), else a whole command
   * (`npx projen preview:staging --report`).
   */
  readonly command: string[];
}

/**
 * The runner of every OIDC step, as a committed, dependency-free script
 * `.projen/oidc-step.js`: each deploy, preview and drift step
 * exports its region and role and hands the runner one command. The runner
 * keeps the token out of every process's environment and out of the clone
 * (an owner-only file in a private directory, removed afterwards), shuts
 * out every other credential source (naming them), runs the pre-flight and
 * the locked CLI install of `DeployPreflight` (deploy) or the lockfile
 * check and `npm ci --ignore-scripts` (preview, drift) without the token,
 * and prints what it does in plain lines.
 *
 * The project-wide settings (CLI version and integrity, assembly, what the
 * pre-flight allows) are written into the generated file, so that adding an
 * environment adds only its own step to `bitbucket-pipelines.yml`.
 */
export class OidcStepRunner extends Component {
  /** Path of the script, relative to the project root. */
  public static readonly FILE_PATH = '.projen/oidc-step.js';

  /** The generated script. */
  public readonly file: TextFile;
  /** The settings written into it. */
  public readonly settings: OidcStepRunnerOptions;

  constructor(project: Project, options: OidcStepRunnerOptions) {
    super(project);
    this.settings = {
      assembly: options.assembly,
      cliVersion: options.cliVersion,
      cliIntegrity: options.cliIntegrity,
      allowExecutableAssets: options.allowExecutableAssets ?? false,
      allowDockerBuildOptions: options.allowDockerBuildOptions ?? false,
    };
    this.file = new TextFile(project, OidcStepRunner.FILE_PATH, {
      readonly: true,
      marker: false,
      committed: true,
      lines: runnerSourceLines(this.settings),
    });
  }

  /**
   * The script of an OIDC step: npx refuses downloads, the region and the
   * role on lines of their own (what a reviewer checks, and what the
   * after-script's doctor sees), then the runner with the command. No line
   * names the token, so none can print it.
   */
  public stepScript(input: OidcStepInput): string[] {
    return [
      NPX_NO_DOWNLOADS,
      `export ${shellCommand([`AWS_REGION=${input.region}`])}`,
      `export ${shellCommand([`AWS_ROLE_ARN=${input.roleArn}`])}`,
      shellCommand(['node', OidcStepRunner.FILE_PATH, input.action, input.environmentName, '--', ...input.command]),
    ];
  }
}

/**
 * Lines of the generated runner: the template verbatim, except its
 * `const SETTINGS = ...` line, which receives the settings as JSON.
 */
function runnerSourceLines(settings: OidcStepRunnerOptions): string[] {
  const template = fs.readFileSync(RUNNER_TEMPLATE, 'utf-8').replace(/\r\n/g, '\n').replace(/\n*$/, '\n').split('\n');
  const at = template.map((line, i) => (SETTINGS_LINE.test(line) ? i : -1)).filter((i) => i >= 0);
  if (at.length !== 1) throw new Error(`${RUNNER_TEMPLATE}: expected exactly one "const SETTINGS = ...;" line, found ${at.length}`);
  const json = JSON.stringify(settings, undefined, 2).split('\n');
  const value = [`const SETTINGS = /** @type {Settings} */ (${json[0]}`, ...json.slice(1, -1), `${json[json.length - 1]});`];
  const header = generatedHeader('Runner of the OIDC deploy, preview and drift steps of bitbucket-pipelines.yml.');
  return [...header, ...template.slice(0, at[0]), ...value, ...template.slice(at[0] + 1)];
}
