import { DeployPreflight } from './deploy-preflight';
import { NPX_NO_DOWNLOADS } from './npx-policy';
import {
  privateTempDir, roleVariables, shutOutOtherCredentials, tmpWord, TOKEN_VARIABLE, UNSET_TOKEN, withoutToken, writeTokenFile, XTRACE_OFF,
} from './oidc-step-credentials';
import { shellQuote } from './shell';

/** What one preview or drift step needs to know. */
export interface ReadRoleStepScriptInput {
  /** Environment name, for the role session name and messages. */
  readonly environmentName: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** ARN of the read-only role of the environment's account. */
  readonly roleArn: string;
  /** What the step does, one word for the session name and messages: `preview` or `drift`. */
  readonly purpose: string;
  /** The command that reads AWS, already shell-quoted, e.g. `npx projen preview:staging --report`. */
  readonly command: string;
}

/** The install of a read-role step: the project's locked tools, no install scripts (they would run next to the role). */
export const READ_ROLE_INSTALL_COMMAND = 'npm ci --ignore-scripts';

/** Shell variable of the step's private temporary directory. */
const STEP_TMP_VARIABLE = 'step_tmp';

/**
 * The script of a step that reads AWS with the read-only role (pull-request
 * previews, drift detection): a private temporary directory outside the
 * clone, every credential source but the web identity shut out (as in the
 * deploy steps), `npm ci --ignore-scripts` without the token in its
 * environment and before the token file exists, then the token to an
 * owner-only file, the token out of the environment, and `command`.
 *
 * Lenient where a deploy step is strict: without a token (OpenID Connect
 * off, `oidc: true` removed) the step still runs `command` with
 * `AWS_ROLE_ARN` set and no `AWS_WEB_IDENTITY_TOKEN_FILE`, and the tool
 * reports that it had no OIDC token instead of failing the pull request.
 */
export function readRoleStepScript(input: ReadRoleStepScriptInput): string[] {
  const tmp = tmpWord(STEP_TMP_VARIABLE);
  const noToken = `No OIDC token in this step (${TOKEN_VARIABLE} is empty: is OpenID Connect enabled for the repository, and does the step have oidc: true?); the ${input.purpose} tool runs without AWS credentials and reports that.`;
  return [
    XTRACE_OFF,
    // Whatever the step starts, npx in it runs only installed packages, never a download.
    NPX_NO_DOWNLOADS,
    ...privateTempDir(STEP_TMP_VARIABLE, 'nothing was written and nothing read.'),
    ...shutOutOtherCredentials(tmp, input.roleArn, 'reads AWS'),
    // Every locked package is the registry's own tarball with a sha512, so npm ci verifies what it installs.
    withoutToken(DeployPreflight.LOCKFILE_CHECK_COMMAND),
    // The project's tools, as locked; npm never sees the token, and no token file exists yet.
    withoutToken(READ_ROLE_INSTALL_COMMAND),
    ...roleVariables({ region: input.region, roleArn: input.roleArn, sessionName: `bitbucket-${input.purpose}-${input.environmentName}` }),
    `if [ -n "\${${TOKEN_VARIABLE}:-}" ]; then ${writeTokenFile(tmp).join('; ')}; else echo ${shellQuote(noToken)} >&2; fi`,
    // The tool and everything it starts read the token only through the file.
    UNSET_TOKEN,
    `echo ${shellQuote(`${input.purpose} ${input.environmentName}: reading ${input.region} as ${input.roleArn}`)}`,
    input.command,
  ];
}

