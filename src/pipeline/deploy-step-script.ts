import { NPX_NO_DOWNLOADS } from './npx-policy';
import {
  privateTempDir, roleVariables, shutOutOtherCredentials, tmpWord, UNSET_TOKEN, withoutToken, writeTokenFile, XTRACE_OFF,
} from './oidc-step-credentials';
import { shellQuote } from './shell';

/** What one deploy step needs to know. */
export interface DeployStepScriptInput {
  /** Environment name, used in the role session name and messages. */
  readonly environmentName: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** ARN of the environment's deploy role (the one the OIDC stack creates). */
  readonly roleArn: string;
  /**
   * The pre-flight line (assembly check, executable assets, locked CLI
   * install into `DEPLOY_TMP`); runs without the token in its environment.
   */
  readonly preflight: string;
  /** Lines the pre-flight line needs before it (the required CLI integrity in a shell variable). */
  readonly preflightSetup?: string[];
  /** The deploy command, already shell-quoted, running the CLI the pre-flight installed into `DEPLOY_TMP`. */
  readonly command: string;
}

/** Shell variable of the deploy step's private temporary directory. */
const DEPLOY_TMP_VARIABLE = 'deploy_tmp';

/**
 * A shell word for the step's private temporary directory (mode 700,
 * outside the clone): the pre-flight installs the CLI there, and the token
 * file and the empty AWS credential and config files live there.
 */
export const DEPLOY_TMP = tmpWord(DEPLOY_TMP_VARIABLE);

export { CREDENTIAL_FILE_VARIABLES, LEFTOVER_CREDENTIAL_VARIABLES } from './oidc-step-credentials';

/**
 * The script of a deploy step: create a private temporary directory, run
 * the pre-flight (assembly, assets, locked CLI), shut out every credential
 * source but the web identity, write the step's OIDC token to a file,
 * remove the token from the environment, then run `command`. A step without
 * a token stops first: a deploy cannot do without it.
 *
 * Bitbucket prints every line before running it, so no line may hold the
 * token's value (see oidc-step-credentials.ts).
 */
export function deployStepScript(input: DeployStepScriptInput): string[] {
  return [
    XTRACE_OFF,
    // Whatever the step starts, npx in it runs only installed packages, never a download.
    NPX_NO_DOWNLOADS,
    // A step without `oidc: true` gets no token; say so instead of letting the CDK CLI report missing credentials.
    'if [ -z "${BITBUCKET_STEP_OIDC_TOKEN:-}" ]; then echo "BITBUCKET_STEP_OIDC_TOKEN is empty: this deploy step needs \'oidc: true\' in bitbucket-pipelines.yml and OpenID Connect enabled for the repository." >&2; exit 1; fi',
    ...privateTempDir(DEPLOY_TMP_VARIABLE, 'nothing was written and nothing deployed.'),
    ...(input.preflightSetup ?? []),
    // Before any token file or AWS call; npm and the checks never see the token.
    withoutToken(input.preflight),
    ...shutOutOtherCredentials(DEPLOY_TMP, input.roleArn, 'deploys'),
    ...roleVariables({ region: input.region, roleArn: input.roleArn, sessionName: `bitbucket-${input.environmentName}` }),
    ...writeTokenFile(DEPLOY_TMP),
    // The CLI and everything it starts (asset builds, hooks) read the token only through the file.
    UNSET_TOKEN,
    `echo ${shellQuote(`Deploying ${input.environmentName} to ${input.region} as ${input.roleArn}`)}`,
    input.command,
  ];
}
