// @ts-check
'use strict';
/*
 * Runner of the generated OIDC steps: everything a deploy, preview or drift
 * step does between Bitbucket's token and the one command it runs.
 *
 *   export AWS_REGION=<region>
 *   export AWS_ROLE_ARN=<the environment's role>
 *   node .projen/oidc-step.js deploy <environment> -- <CDK CLI arguments>
 *   node .projen/oidc-step.js preview|drift <environment> -- <command>
 *
 * deploy: refuses a step without a token; creates a private directory
 * (mode 700, outside the clone); runs the pre-flight of
 * bitbucket-deploy-preflight.js (assembly present, no executable assets, no
 * asset source outside the assembly, the locked CDK CLI installed with its
 * integrity verified) without the token; writes the token to an owner-only
 * file there; runs the installed CLI with the arguments.
 *
 * preview, drift: lenient where a deploy is strict. Checks package-lock.json
 * (every package the registry's own tarball with a sha512) and runs
 * `npm ci --ignore-scripts`, both without the token; then the token file, or,
 * without a token, a note and no file (the tool reports it had no token);
 * then the command.
 *
 * The command's environment is built here as a list of variables: the
 * step's, without the token and without every other credential source (named
 * in a warning, never their values), with empty AWS credential and config
 * files of the step's own, no instance metadata, the region, the role, a
 * valid session name, the token file and npm_config_yes=false. The private
 * directory, and the token file in it, is removed when the command ends.
 *
 * Plain Node without dependencies, like the pre-flight it loads. Exit code:
 * the command's; 1 refused; 2 usage.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

/**
 * What this project's pipeline was generated with; projen writes the values
 * into the generated copy (`.projen/oidc-step.js`).
 * @typedef {object} Settings
 * @property {string} assembly cloud assembly directory the deploy steps deploy, relative to the clone
 * @property {string} cliVersion exact aws-cdk version the deploy steps install
 * @property {string} [cliIntegrity] sha512 integrity that version must have
 * @property {boolean} allowExecutableAssets
 * @property {boolean} allowDockerBuildOptions
 */
const SETTINGS = /** @type {Settings} */ (/** @type {unknown} */ (null));

const TOKEN_VARIABLE = 'BITBUCKET_STEP_OIDC_TOKEN';
const TOKEN_FILE = 'web-identity-token';

/**
 * Variables through which the AWS SDK would take credentials, or choose a
 * profile, other than the web identity.
 */
const LEFTOVER_CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE', 'AWS_DEFAULT_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

/**
 * Shared credentials and config files: `[default]` in them wins over the web
 * identity (CDK CLI 2.1148.1), and a config file can name a
 * `credential_process`. The command gets empty files of the step's own,
 * which also hides ~/.aws/credentials and ~/.aws/config.
 */
const CREDENTIAL_FILE_VARIABLES = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'];

/** Characters STS accepts in a role session name, and its longest. */
const SESSION_NAME_CHARS = /[^A-Za-z0-9+=,.@_-]/g;
const MAX_SESSION_NAME = 64;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const READ_PURPOSES = ['preview', 'drift'];
const READ_INSTALL = ['npm', 'ci', '--ignore-scripts'];
/** Where the pre-flight installs the CLI, below the private directory. */
const CLI_ENTRY_POINT = ['cli', 'node_modules', 'aws-cdk', 'bin', 'cdk'];

/**
 * @typedef {{ [name: string]: string | undefined }} Env
 * @typedef {{ out: (line: string) => void, err: (line: string) => void }} Print
 * @typedef {(command: string, args: string[], env: Env) => Promise<number>} Run
 * @typedef {object} Step
 * @property {'deploy' | 'preview' | 'drift'} action
 * @property {string} environment
 * @property {string} region
 * @property {string} roleArn
 * @property {string[]} command what follows `--`
 */

class Refusal extends Error {}

/**
 * @param {string[]} args
 * @param {Env} env
 * @returns {Step | string} the step, or a usage error
 */
function parseArgs(args, env) {
  const [action, environment, dashes, ...command] = args;
  if (action !== 'deploy' && !READ_PURPOSES.includes(action)) return `unknown action ${/^[\w-]{1,20}$/.test(action ?? '') ? action : '(not shown)'}`;
  if (!environment || !/^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(environment)) return 'missing or invalid <environment>';
  if (dashes !== '--' || command.length === 0) return 'missing -- <command> after the environment';
  const region = env.AWS_REGION || '';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return `AWS_REGION is ${region ? 'not a region' : 'not set'}: export AWS_REGION=<region> on the line before`;
  const roleArn = env.AWS_ROLE_ARN || '';
  if (!ROLE_ARN.test(roleArn)) return `AWS_ROLE_ARN is ${roleArn ? 'not an IAM role ARN' : 'not set'}: export AWS_ROLE_ARN=<role ARN> on the line before`;
  return { action: /** @type {Step['action']} */ (action), environment, region, roleArn, command };
}

/**
 * `<prefix>-<build number>` in the characters STS accepts, at most 64.
 * @param {string} prefix
 * @param {string | undefined} buildNumber
 */
function sessionName(prefix, buildNumber) {
  const start = prefix.replace(SESSION_NAME_CHARS, '_').slice(0, 40);
  return `${start}-${(buildNumber || '0').replace(SESSION_NAME_CHARS, '_')}`.slice(0, MAX_SESSION_NAME);
}

/**
 * Whether `child` is `parent` or below it, symlinks resolved as far as they exist.
 * @param {string} parent
 * @param {string} child
 */
function within(parent, child) {
  const real = (/** @type {string} */ p) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const rel = path.relative(real(parent), real(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Creates the step's private directory (mode 700) under TMPDIR, refusing
 * one inside the clone: an artifact glob there could upload the token.
 * @param {Env} env
 * @param {string} nothingDone what did not happen, for the messages
 * @returns {string}
 */
function privateDirectory(env, nothingDone) {
  const base = env.TMPDIR || os.tmpdir();
  const clone = env.BITBUCKET_CLONE_DIR;
  if (clone && within(clone, base)) {
    throw new Refusal(`The temporary directory ${base} is inside the clone directory; set TMPDIR elsewhere so artifacts cannot include the OIDC token. ${nothingDone}`);
  }
  try {
    return fs.mkdtempSync(path.join(base, 'bitbucket-oidc-'));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Refusal(`Cannot create a private temporary directory in ${base} (${why}): check TMPDIR and free space; ${nothingDone}`);
  }
}

/**
 * The names of every other credential source present in the step: set
 * variables of LEFTOVER_CREDENTIAL_VARIABLES and CREDENTIAL_FILE_VARIABLES,
 * then ~/.aws/credentials and ~/.aws/config if they exist.
 * @param {Env} env
 * @returns {string[]}
 */
function otherCredentialSources(env) {
  const variables = [...LEFTOVER_CREDENTIAL_VARIABLES, ...CREDENTIAL_FILE_VARIABLES].filter((v) => env[v]);
  const home = env.HOME || '/nonexistent';
  const files = ['credentials', 'config'].filter((f) => fs.existsSync(path.join(home, '.aws', f))).map((f) => `~/.aws/${f}`);
  return [...variables, ...files];
}

/**
 * The environment every process of the step gets, without the token: the
 * step's own minus the token and every other credential source, plus the
 * SDK's web identity settings (the token file comes later).
 * @param {Step} step
 * @param {Env} env
 * @param {string} dir the private directory
 * @returns {Env}
 */
function tokenlessEnvironment(step, env, dir) {
  const removed = new Set([TOKEN_VARIABLE, ...LEFTOVER_CREDENTIAL_VARIABLES, ...CREDENTIAL_FILE_VARIABLES]);
  const prefix = step.action === 'deploy' ? `bitbucket-${step.environment}` : `bitbucket-${step.action}-${step.environment}`;
  /** @type {Env} */
  const result = {};
  for (const [name, value] of Object.entries(env)) if (!removed.has(name)) result[name] = value;
  return {
    ...result,
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'aws-credentials'),
    AWS_CONFIG_FILE: path.join(dir, 'aws-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: step.region,
    AWS_ROLE_ARN: step.roleArn,
    AWS_ROLE_SESSION_NAME: sessionName(prefix, env.BITBUCKET_BUILD_NUMBER),
    // Whatever the command starts, npx runs only installed packages, never a download.
    npm_config_yes: 'false',
  };
}

/**
 * Writes the token to an owner-only file in the private directory.
 * @param {string} dir
 * @param {string} token
 * @returns {string} the file
 */
function writeToken(dir, token) {
  const file = path.join(dir, TOKEN_FILE);
  fs.writeFileSync(file, token, { mode: 0o600, flag: 'wx' });
  return file;
}

/**
 * Starts a command with the step's stdio and this environment; resolves to
 * its exit code (128 + signal number when a signal ended it). A signal this
 * process gets is passed on, so the command can stop cleanly.
 * @type {Run}
 */
function runCommand(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    /** @type {NodeJS.Signals[]} */
    const signals = ['SIGINT', 'SIGTERM'];
    const forward = (/** @type {NodeJS.Signals} */ s) => child.kill(s);
    for (const s of signals) process.on(s, forward);
    const done = (/** @type {number} */ code) => {
      for (const s of signals) process.off(s, forward);
      resolve(code);
    };
    child.on('error', (e) => {
      console.error(`Cannot run ${command}: ${e.message}`);
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
  });
}

/**
 * Pre-flight and CLI install of a deploy step, with the pre-flight's own
 * checks and messages.
 * @param {Step} step
 * @param {Settings} settings
 * @param {string} dir
 * @param {Env} env without the token
 * @param {Print} print
 * @returns {string} the CLI's entry point
 */
function prepareDeploy(step, settings, dir, env, print) {
  const preflight = require('./bitbucket-deploy-preflight.js');
  const args = [
    '--environment', step.environment, '--assembly', settings.assembly, '--cli-version', settings.cliVersion, '--install-into', dir,
    ...(settings.cliIntegrity ? ['--cli-integrity', settings.cliIntegrity] : []),
    ...(settings.allowExecutableAssets ? ['--allow-executable-assets'] : []),
    ...(settings.allowDockerBuildOptions ? ['--allow-docker-build-options'] : []),
  ];
  if (preflight.main(args, env, print.out, print.err) !== 0) throw new Refusal('');
  return path.join(dir, ...CLI_ENTRY_POINT);
}

/**
 * Lockfile check and install of a preview or drift step, without the token.
 * @param {Env} env without the token
 * @param {Print} print
 * @param {Run} run
 */
async function prepareRead(env, print, run) {
  const preflight = require('./bitbucket-deploy-preflight.js');
  if (preflight.main(['--check-lockfile'], env, print.out, print.err) !== 0) throw new Refusal('');
  print.out(`Installing the project's locked packages: ${READ_INSTALL.join(' ')} (no install scripts, no token).`);
  const code = await run(READ_INSTALL[0], READ_INSTALL.slice(1), env);
  if (code !== 0) throw new Refusal(`${READ_INSTALL.join(' ')} failed (exit code ${code}); nothing was read from AWS.`);
}

/**
 * @param {string[]} args
 * @param {Env} env the step's environment
 * @param {Print} print
 * @param {{ settings?: Settings, run?: Run }} [options] the generated settings and the way commands run (tests)
 * @returns {Promise<number>} exit code
 */
async function main(args, env, print, options = {}) {
  const step = parseArgs(args, env);
  if (typeof step === 'string') {
    print.err(`oidc-step: ${step}`);
    print.err('Usage: node <this file> deploy <environment> -- <CDK CLI arguments>');
    print.err('       node <this file> preview|drift <environment> -- <command>');
    print.err('       with AWS_REGION and AWS_ROLE_ARN exported by the step');
    return 2;
  }
  const settings = options.settings ?? SETTINGS;
  const run = options.run ?? runCommand;
  const deploy = step.action === 'deploy';
  const token = env[TOKEN_VARIABLE] || '';
  /** @type {string | undefined} */
  let dir;
  try {
    if (deploy && token === '') {
      throw new Refusal(`${TOKEN_VARIABLE} is empty: this deploy step needs 'oidc: true' in bitbucket-pipelines.yml and OpenID Connect enabled for the repository.`);
    }
    dir = privateDirectory(env, deploy ? 'nothing was written and nothing deployed.' : 'nothing was written and nothing read.');
    const ignored = otherCredentialSources(env);
    if (ignored.length > 0) {
      print.err(`Warning: ignoring ${ignored.join(' ')} (Bitbucket variables or files of the image?): this step ${deploy ? 'deploys' : 'reads AWS'} `
        + `with the OIDC role ${step.roleArn} only, never with static keys, profiles, shared credential or config files, container or instance credentials. Remove them.`);
    }
    const base = tokenlessEnvironment(step, env, dir);
    for (const v of CREDENTIAL_FILE_VARIABLES) fs.writeFileSync(/** @type {string} */ (base[v]), '', { mode: 0o600 });
    const cli = deploy ? prepareDeploy(step, settings, dir, base, print) : (await prepareRead(base, print, run), undefined);
    /** @type {Env} */
    const commandEnv = { ...base };
    if (token !== '') {
      commandEnv.AWS_WEB_IDENTITY_TOKEN_FILE = writeToken(dir, token);
    } else {
      print.err(`No OIDC token in this step (${TOKEN_VARIABLE} is empty: is OpenID Connect enabled for the repository, and does the step have oidc: true?); `
        + `the ${step.action} tool runs without AWS credentials and reports that.`);
    }
    const as = `as ${step.roleArn} (session ${base.AWS_ROLE_SESSION_NAME})`;
    print.out(deploy ? `Deploying ${step.environment} to ${step.region} ${as}` : `${step.action} ${step.environment}: reading ${step.region} ${as}`);
    return cli
      ? await run(process.execPath, [cli, ...step.command], commandEnv)
      : await run(step.command[0], step.command.slice(1), commandEnv);
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    if (e.message) print.err(e.message);
    return 1;
  } finally {
    // The token file and the CLI go with the step's command; nothing of them is left for later steps or caches.
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = {
  SETTINGS, LEFTOVER_CREDENTIAL_VARIABLES, CREDENTIAL_FILE_VARIABLES, parseArgs, sessionName, tokenlessEnvironment, main,
};

if (require.main === module) {
  main(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) }).then((code) => {
    process.exitCode = code;
  });
}
