// @ts-check
'use strict';
/*
 * Pre-flight of a generated deploy step: everything the step checks and
 * prepares before it writes the OIDC token or makes any AWS call.
 *
 *   node .projen/bitbucket-deploy-preflight.js --environment <name> --assembly <cdk.out>
 *     --cli-version <exact version> --install-into <private temp dir> [--allow-executable-assets]
 *
 * 1. The cloud assembly (the build step's artifact) is there: Bitbucket keeps
 *    artifacts for 14 days, and a step started later finds none.
 * 2. No asset of the assembly names an `executable` source: the CDK CLI would
 *    run that command in this step, next to the deploy role's credentials,
 *    and it comes from the build step, where every dependency's install
 *    scripts ran. Refused unless the project allows it.
 * 3. The CDK CLI is installed with `npm ci` from a lockfile of its own, whose
 *    only entry is copied from the project's committed package-lock.json:
 *    npm refuses bytes whose sha512 differs from the locked integrity,
 *    whatever registry or .npmrc serves them, and runs no install script.
 *    The step then runs `<install-into>/cli/node_modules/aws-cdk/bin/cdk`.
 *
 * Plain Node without dependencies, because deploy steps run no `npm ci` of
 * the project. Exit code: 0 ready to deploy, 1 refused, 2 usage.
 */

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const CLI_PACKAGE = 'aws-cdk';
const LOCKFILE = 'package-lock.json';
const OPTION_EXECUTABLE_ASSETS = 'allowExecutableAssets';

/**
 * @typedef {object} Options
 * @property {string} environment
 * @property {string} assembly cloud assembly directory, relative to the project
 * @property {string} cliVersion exact aws-cdk version the pipeline was generated for
 * @property {string} installInto private directory of this step (outside the clone)
 * @property {boolean} allowExecutableAssets
 *
 * @typedef {{ manifest: string, id: string, kind: 'file' | 'docker image', command: string[] }} ExecutableAsset
 */

class Refusal extends Error {}

/**
 * @param {string[]} args
 * @returns {Options | string} options, or a usage error
 */
function parseArgs(args) {
  /** @type {{ [flag: string]: string }} */
  const values = {};
  let allowExecutableAssets = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--allow-executable-assets') {
      allowExecutableAssets = true;
    } else if (['--environment', '--assembly', '--cli-version', '--install-into'].includes(a) && i + 1 < args.length) {
      values[a] = args[++i];
    } else {
      return `unknown or incomplete argument ${/^[\w-]{1,40}$/.test(a) ? a : '(not shown)'}`;
    }
  }
  const missing = ['--environment', '--assembly', '--cli-version', '--install-into'].filter((f) => !values[f]);
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  return {
    environment: values['--environment'],
    assembly: values['--assembly'],
    cliVersion: values['--cli-version'],
    installInto: values['--install-into'],
    allowExecutableAssets,
  };
}

/**
 * @param {string} file
 * @returns {any} parsed JSON
 */
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new Refusal(`${file} cannot be read as JSON (${e instanceof Error ? e.message : String(e)}); nothing was deployed.`);
  }
}

/**
 * The assembly must hold a manifest; says what happened and what to do when not.
 * @param {string} assembly
 * @param {string} environment
 */
function checkAssembly(assembly, environment) {
  const manifest = path.join(assembly, 'manifest.json');
  if (fs.existsSync(manifest)) return;
  throw new Refusal([
    `${manifest} is missing: there is no synthesised app to deploy to '${environment}'.`,
    `This step deploys the ${assembly} artifact that the build step of the same pipeline run passed on. Bitbucket keeps`,
    'artifacts for 14 days, so a deploy step started later (e.g. a manual one) finds none; or the build step did not',
    'publish it. Nothing was deployed and no AWS call was made; this is not an OIDC problem.',
    `What to do: run the pipeline again from the build step (Pipelines → this commit → Rerun, or Run pipeline on the`,
    `branch), so that the build synthesises ${assembly} again, then run this deploy step.`,
  ].join('\n'));
}

/**
 * Asset manifests of an assembly and of its nested assemblies, as the CDK
 * CLI finds them (through each `manifest.json`), plus any other
 * `*.assets.json` beside those manifests.
 * @param {string} assembly
 * @returns {string[]}
 */
function assetManifests(assembly) {
  /** @type {Set<string>} */
  const found = new Set();
  /** @type {Set<string>} */
  const visited = new Set();
  /** @param {string} dir */
  const visit = (dir) => {
    const real = fs.realpathSync(dir);
    if (visited.has(real)) return;
    visited.add(real);
    for (const entry of fs.readdirSync(dir)) {
      if (entry.endsWith('.assets.json')) found.add(path.join(dir, entry));
    }
    const manifestFile = path.join(dir, 'manifest.json');
    if (!fs.existsSync(manifestFile)) return;
    const artifacts = readJson(manifestFile).artifacts || {};
    for (const artifact of Object.values(artifacts)) {
      const props = (artifact && artifact.properties) || {};
      if (artifact.type === 'cdk:asset-manifest' && typeof props.file === 'string') found.add(path.join(dir, props.file));
      if (artifact.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
        const nested = path.join(dir, props.directoryName);
        if (fs.existsSync(nested)) visit(nested);
      }
    }
  };
  visit(assembly);
  return [...found].filter((f) => fs.existsSync(f)).sort();
}

/**
 * Assets whose source is a command rather than a path or a Dockerfile.
 * @param {string} assembly
 * @returns {ExecutableAsset[]}
 */
function executableAssets(assembly) {
  /** @type {ExecutableAsset[]} */
  const result = [];
  for (const manifest of assetManifests(assembly)) {
    const doc = readJson(manifest);
    /** @type {Array<['file' | 'docker image', any]>} */
    const sections = [['file', doc.files], ['docker image', doc.dockerImages]];
    for (const [kind, section] of sections) {
      for (const [id, asset] of Object.entries(section || {})) {
        const command = asset && asset.source && asset.source.executable;
        if (command !== undefined) result.push({ manifest, id, kind, command: [].concat(command).map(String) });
      }
    }
  }
  return result;
}

/**
 * @param {string} assembly
 * @param {boolean} allowed
 * @param {(line: string) => void} print
 */
function checkExecutableAssets(assembly, allowed, print) {
  const found = executableAssets(assembly);
  if (found.length === 0) return;
  const lines = found.map((a) => `  ${a.kind} asset '${a.id}' in ${a.manifest}: runs ${JSON.stringify(a.command)}`);
  if (allowed) {
    print(`Warning: the CDK CLI will run these asset commands in this step, with the deploy role's credentials (${OPTION_EXECUTABLE_ASSETS}: true):`);
    lines.forEach((l) => print(l));
    return;
  }
  throw new Refusal([
    `${found.length} asset${found.length === 1 ? '' : 's'} of ${assembly} name${found.length === 1 ? 's' : ''} an executable source, which the CDK CLI would run in this deploy step,`,
    'next to the deploy role\'s credentials (the command comes from the build step, where every dependency\'s install scripts ran):',
    ...lines,
    'Nothing was deployed and no AWS call was made. Build such assets into files or images in the build step instead,',
    `or, if the project needs them, set ${OPTION_EXECUTABLE_ASSETS}: true in .projenrc.ts and run npx projen.`,
  ].join('\n'));
}

/**
 * The lock entry of the CDK CLI in the project's package-lock.json.
 * @param {string} cliVersion
 * @returns {{ [key: string]: unknown }}
 */
function lockedCli(cliVersion) {
  const fix = `Add aws-cdk ${cliVersion} as a devDependency (projen does, from cdkCliVersion), run npx projen, and commit ${LOCKFILE}.`;
  if (!fs.existsSync(LOCKFILE)) {
    throw new Refusal(`${LOCKFILE} is missing: this step installs the CDK CLI only as locked there, with its integrity. ${fix}`);
  }
  const lock = readJson(LOCKFILE);
  const entry = (lock.packages && lock.packages[`node_modules/${CLI_PACKAGE}`]) || (lock.dependencies && lock.dependencies[CLI_PACKAGE]);
  if (!entry) {
    throw new Refusal(`${LOCKFILE} does not lock ${CLI_PACKAGE}: this step installs the CDK CLI only as locked there, with its integrity. ${fix}`);
  }
  if (entry.version !== cliVersion) {
    throw new Refusal(`${LOCKFILE} locks ${CLI_PACKAGE} ${JSON.stringify(entry.version)}, but this pipeline was generated for cdkCliVersion ${cliVersion}. Run npx projen and npm install so that both agree, and commit package.json, ${LOCKFILE} and bitbucket-pipelines.yml.`);
  }
  if (typeof entry.integrity !== 'string' || !/^sha512-[A-Za-z0-9+/]+={0,2}$/.test(entry.integrity)) {
    throw new Refusal(`${LOCKFILE} has no sha512 integrity for ${CLI_PACKAGE} ${cliVersion}, so its bytes cannot be verified. Regenerate the lockfile (npm install) from a registry that publishes integrity, and commit it.`);
  }
  /** @type {{ [key: string]: unknown }} */
  const copy = {};
  for (const key of ['version', 'resolved', 'integrity', 'license', 'bin', 'engines', 'optionalDependencies']) {
    if (entry[key] !== undefined) copy[key] = entry[key];
  }
  return copy;
}

/**
 * Installs the locked CLI into `<installInto>/cli` with `npm ci`.
 * @param {Options} o
 * @param {{ [name: string]: string | undefined }} env
 * @param {(line: string) => void} print
 * @returns {string} path of the CLI's entry point
 */
function installCli(o, env, print) {
  const entry = lockedCli(o.cliVersion);
  const dir = path.join(o.installInto, 'cli');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = 'bitbucket-deploy-cli';
  const dependencies = { [CLI_PACKAGE]: o.cliVersion };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.0', private: true, dependencies }, undefined, 2));
  fs.writeFileSync(path.join(dir, LOCKFILE), JSON.stringify({
    name,
    version: '0.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name, version: '0.0.0', dependencies }, [`node_modules/${CLI_PACKAGE}`]: entry },
  }, undefined, 2));
  // The repository's registry settings (a private mirror) still apply; npm checks the bytes against the integrity anyway.
  if (fs.existsSync('.npmrc')) fs.copyFileSync('.npmrc', path.join(dir, '.npmrc'));
  const childEnv = { ...env };
  delete childEnv.BITBUCKET_STEP_OIDC_TOKEN;
  const start = Date.now();
  const npm = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier'], {
    cwd: dir, env: childEnv, stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (npm.error || npm.status !== 0) {
    throw new Refusal([
      `npm ci of ${CLI_PACKAGE}@${o.cliVersion} failed (${npm.error ? npm.error.message : `exit code ${npm.status}`}); the CDK CLI was not run.`,
      `EINTEGRITY above means the registry served bytes that differ from the integrity locked in ${LOCKFILE}: check the`,
      'registry in .npmrc, npm_config_registry and ~/.npmrc (a mirror must serve the same bytes). Otherwise check that the',
      'registry is reachable from the step.',
    ].join('\n'));
  }
  const installed = path.join(dir, 'node_modules', CLI_PACKAGE);
  const version = fs.existsSync(path.join(installed, 'package.json')) ? readJson(path.join(installed, 'package.json')).version : undefined;
  const bin = path.join(installed, 'bin', 'cdk');
  if (version !== o.cliVersion || !fs.existsSync(bin)) {
    throw new Refusal(`npm ci did not install ${CLI_PACKAGE}@${o.cliVersion} (found ${JSON.stringify(version)}): the CDK CLI was not run.`);
  }
  print(`CDK CLI ${CLI_PACKAGE}@${o.cliVersion} installed as locked in ${LOCKFILE} (integrity ${String(entry.integrity).slice(0, 19)}... verified by npm ci) in ${((Date.now() - start) / 1000).toFixed(1)} s.`);
  return bin;
}

/**
 * @param {string[]} args
 * @param {{ [name: string]: string | undefined }} env
 * @param {(line: string) => void} print
 * @param {(line: string) => void} printError
 * @returns {number} exit code
 */
function main(args, env, print, printError) {
  const o = parseArgs(args);
  if (typeof o === 'string') {
    printError(`bitbucket-deploy-preflight: ${o}`);
    printError('Usage: node <this file> --environment <name> --assembly <dir> --cli-version <version> --install-into <dir> [--allow-executable-assets]');
    return 2;
  }
  try {
    checkAssembly(o.assembly, o.environment);
    checkExecutableAssets(o.assembly, o.allowExecutableAssets, printError);
    installCli(o, env, print);
    return 0;
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    printError(e.message);
    return 1;
  }
}

module.exports = { parseArgs, assetManifests, executableAssets, lockedCli, main };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process.env, (l) => console.log(l), (l) => console.error(l));
}
