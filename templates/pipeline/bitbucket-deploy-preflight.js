// @ts-check
'use strict';
/*
 * Pre-flight of a generated deploy step: everything the step checks and
 * prepares before it writes the OIDC token or makes any AWS call.
 *
 *   node .projen/bitbucket-deploy-preflight.js --environment <name> --assembly <cdk.out>
 *     --cli-version <exact version> --install-into <private temp dir> [--cli-integrity <sha512-...>]
 *     [--allow-executable-assets] [--allow-docker-build-options]
 *   --cli-integrity is the integrity the pipeline was generated with. The deploy steps run it through
 *   oidc-step.js, the administrator's reviewed deploy directly.
 *
 * 1. The cloud assembly (the build step's artifact) is there: Bitbucket keeps
 *    artifacts for 14 days, and a step started later finds none.
 * 2. No asset of the assembly names an `executable` source: the CDK CLI would
 *    run that command in this step, next to the deploy role's credentials,
 *    and it comes from the build step, where every dependency's install
 *    scripts ran. Refused unless the project allows it.
 * 3. No asset source lies outside the assembly (`source.path` of a file,
 *    `source.directory`/`dockerFile` of an image, symlinks resolved): `/tmp`
 *    would put this step's private directory, and the token, into the upload
 *    or the build context. Docker build options that reach the machine
 *    outside the context (secrets, extra contexts, SSH, network mode, outputs)
 *    are refused unless the project allows them.
 * 4. The CDK CLI is installed with `npm ci` from a lockfile of its own, whose
 *    only entry is copied from the project's committed package-lock.json,
 *    once that entry names the registry's own tarball of aws-cdk@<version>
 *    (or no URL) and, with --cli-integrity, the sha512 this pipeline was
 *    generated with: npm refuses bytes whose sha512 differs from the locked
 *    integrity, whatever registry or .npmrc serves them, and runs no install
 *    script. The step then runs `<install-into>/cli/node_modules/aws-cdk/bin/cdk`.
 *
 *   node .projen/bitbucket-deploy-preflight.js --check-lockfile
 *
 * The preview and drift steps' check, before their `npm ci --ignore-scripts`:
 * every package of package-lock.json must come from the registry's own
 * tarball of its name and version (or name no URL) and have a sha512.
 *
 * Plain Node without dependencies, because deploy steps run no `npm ci` of
 * the project. Exit code: 0 ready, 1 refused, 2 usage.
 */

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const CLI_PACKAGE = 'aws-cdk';
const LOCKFILE = 'package-lock.json';
const NPMRC = '.npmrc';
const PUBLIC_REGISTRY = 'https://registry.npmjs.org';
const OPTION_EXECUTABLE_ASSETS = 'allowExecutableAssets';
const OPTION_DOCKER_BUILD_OPTIONS = 'allowDockerBuildOptions';
const OPTION_CLI_INTEGRITY = 'cdkCliIntegrity';
const SHA512 = /^sha512-[A-Za-z0-9+/]{86}==$/;
/** Refusals listed in full up to this many; the rest are counted. */
const MAX_LISTED = 20;

/**
 * Docker asset source fields that reach the deploy step's machine outside
 * the build context, with what each does.
 */
const WIDENING_DOCKER_OPTIONS = {
  dockerBuildSecrets: 'mounts files or variables of this step into the build',
  dockerBuildContexts: 'adds directories of this step as build contexts',
  dockerBuildSsh: 'passes this step\'s SSH agent or keys into the build',
  networkMode: 'runs the build\'s RUN commands in another network (host: this step\'s)',
  dockerOutputs: 'writes the build\'s output into this step\'s file system',
};

/**
 * @typedef {object} Options
 * @property {string} environment
 * @property {string} assembly cloud assembly directory, relative to the project
 * @property {string} cliVersion exact aws-cdk version the pipeline was generated for
 * @property {string} installInto private directory of this step (outside the clone)
 * @property {string | undefined} cliIntegrity sha512 of aws-cdk@cliVersion the pipeline was generated with
 * @property {boolean} allowExecutableAssets
 * @property {boolean} allowDockerBuildOptions
 *
 * @typedef {'file' | 'docker image'} AssetKind
 * @typedef {{ manifest: string, id: string, kind: AssetKind, source: any }} Asset
 * @typedef {{ manifest: string, id: string, kind: AssetKind, command: string[] }} ExecutableAsset
 * @typedef {{ manifest: string, id: string, kind: AssetKind, field: string, value: string, real: string }} OutsideSource
 * @typedef {{ manifest: string, id: string, option: string, value: unknown }} DockerBuildOption
 * @typedef {{ default: string, scopes: { [scope: string]: string } }} Registries
 */

class Refusal extends Error {}

const VALUE_FLAGS = ['--environment', '--assembly', '--cli-version', '--install-into', '--cli-integrity'];
const REQUIRED_FLAGS = ['--environment', '--assembly', '--cli-version', '--install-into'];

/**
 * @param {string[]} args
 * @returns {Options | 'check-lockfile' | string} options, the lockfile check, or a usage error
 */
function parseArgs(args) {
  if (args.length === 1 && args[0] === '--check-lockfile') return 'check-lockfile';
  /** @type {{ [flag: string]: string }} */
  const values = {};
  let allowExecutableAssets = false;
  let allowDockerBuildOptions = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--allow-executable-assets') {
      allowExecutableAssets = true;
    } else if (a === '--allow-docker-build-options') {
      allowDockerBuildOptions = true;
    } else if (VALUE_FLAGS.includes(a) && i + 1 < args.length) {
      values[a] = args[++i];
    } else {
      return `unknown or incomplete argument ${/^[\w-]{1,40}$/.test(a) ? a : '(not shown)'}`;
    }
  }
  const missing = REQUIRED_FLAGS.filter((f) => !values[f]);
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  const cliIntegrity = values['--cli-integrity'];
  if (cliIntegrity !== undefined && !SHA512.test(cliIntegrity)) return '--cli-integrity is not a sha512 integrity (sha512-<88 base64 characters>)';
  return {
    environment: values['--environment'],
    assembly: values['--assembly'],
    cliVersion: values['--cli-version'],
    installInto: values['--install-into'],
    cliIntegrity,
    allowExecutableAssets,
    allowDockerBuildOptions,
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
 * A value of a file as it may be shown in a message: JSON, at most 200 characters.
 * @param {unknown} value
 */
function shown(value) {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 200 ? `${json.slice(0, 197)}...` : json;
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
 * Every asset of the assembly's asset manifests, with the manifest it is in.
 * @param {string} assembly
 * @returns {Asset[]}
 */
function assets(assembly) {
  /** @type {Asset[]} */
  const result = [];
  for (const manifest of assetManifests(assembly)) {
    const doc = readJson(manifest);
    /** @type {Array<[AssetKind, any]>} */
    const sections = [['file', doc.files], ['docker image', doc.dockerImages]];
    for (const [kind, section] of sections) {
      for (const [id, asset] of Object.entries(section || {})) {
        result.push({ manifest, id, kind, source: (asset && asset.source) || {} });
      }
    }
  }
  return result;
}

/**
 * Assets whose source is a command rather than a path or a Dockerfile.
 * @param {string} assembly
 * @returns {ExecutableAsset[]}
 */
function executableAssets(assembly) {
  return assets(assembly)
    .filter((a) => a.source.executable !== undefined)
    .map((a) => ({ manifest: a.manifest, id: a.id, kind: a.kind, command: [].concat(a.source.executable).map(String) }));
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
 * The real path of `file`, symlinks resolved; for a path that does not
 * exist (yet), that of its nearest existing parent joined with the rest.
 * @param {string} file absolute
 */
function realPath(file) {
  const rest = [];
  let at = file;
  for (;;) {
    try {
      return path.join(fs.realpathSync(at), ...rest);
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return file;
      rest.unshift(path.basename(at));
      at = parent;
    }
  }
}

/**
 * @param {string} root real path of the assembly
 * @param {string} real a real path
 */
function inside(root, real) {
  const relative = path.relative(root, real);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The first symlink below `dir` whose target lies outside `root`: the CDK
 * CLI zips a file asset's directory following symlinks, so such a link
 * uploads what it points to. Directories are visited once each.
 * @param {string} dir real path of a directory inside `root`
 * @param {string} root
 * @param {Set<string>} visited
 * @returns {{ link: string, real: string } | undefined}
 */
function linkOutside(dir, root, visited = new Set()) {
  if (visited.has(dir)) return undefined;
  visited.add(dir);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    let real = full;
    if (entry.isSymbolicLink()) {
      real = realPath(path.resolve(dir, fs.readlinkSync(full)));
      if (!inside(root, real)) return { link: full, real };
    }
    if (entry.isDirectory() || (entry.isSymbolicLink() && fs.existsSync(real) && fs.statSync(real).isDirectory())) {
      const found = linkOutside(real, root, visited);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Asset sources that resolve outside the assembly: a file asset's
 * `source.path`, a Docker image's `source.directory` and its `dockerFile`,
 * relative to the asset manifest's folder as the CDK CLI resolves them,
 * symlinks resolved (also those inside a file asset's directory).
 * @param {string} assembly
 * @returns {OutsideSource[]}
 */
function sourcesOutside(assembly) {
  const root = fs.realpathSync(assembly);
  /** @type {OutsideSource[]} */
  const result = [];
  for (const a of assets(assembly)) {
    const base = path.dirname(a.manifest);
    /** @type {Array<[string, unknown, string]>} */
    const fields = a.kind === 'file'
      ? [['source.path', a.source.path, base]]
      : [['source.directory', a.source.directory, base]];
    if (a.kind === 'docker image' && typeof a.source.directory === 'string') {
      fields.push(['source.dockerFile', a.source.dockerFile, path.resolve(base, a.source.directory)]);
    }
    for (const [field, value, from] of fields) {
      if (typeof value !== 'string') continue;
      const real = realPath(path.resolve(from, value));
      if (!inside(root, real)) {
        result.push({ manifest: a.manifest, id: a.id, kind: a.kind, field, value, real });
      } else if (a.kind === 'file' && fs.existsSync(real) && fs.statSync(real).isDirectory()) {
        const link = linkOutside(real, root);
        if (link) result.push({ manifest: a.manifest, id: a.id, kind: a.kind, field: `${field} (symlink ${path.relative(real, link.link)})`, value, real: link.real });
      }
    }
  }
  return result;
}

/**
 * Docker image assets using a build option of WIDENING_DOCKER_OPTIONS.
 * @param {string} assembly
 * @returns {DockerBuildOption[]}
 */
function dockerBuildOptions(assembly) {
  /** @type {DockerBuildOption[]} */
  const result = [];
  for (const a of assets(assembly)) {
    if (a.kind !== 'docker image') continue;
    for (const option of Object.keys(WIDENING_DOCKER_OPTIONS)) {
      if (a.source[option] !== undefined) result.push({ manifest: a.manifest, id: a.id, option, value: a.source[option] });
    }
  }
  return result;
}

/**
 * @param {string} assembly
 * @param {boolean} dockerOptionsAllowed
 * @param {(line: string) => void} print
 */
function checkAssetSources(assembly, dockerOptionsAllowed, print) {
  const outside = sourcesOutside(assembly);
  if (outside.length > 0) {
    throw new Refusal([
      `${outside.length} asset source${outside.length === 1 ? '' : 's'} of ${assembly} lie${outside.length === 1 ? 's' : ''} outside it: the CDK CLI would upload or build from there, in this`,
      'deploy step, where its private directory holds the deploy role\'s token:',
      ...outside.map((o) => `  ${o.kind} asset '${o.id}' in ${o.manifest}: ${o.field} ${shown(o.value)} is ${o.real}`),
      `Nothing was deployed and no AWS call was made. Assets must be staged inside ${assembly}, as the CDK does by default:`,
      'remove the context aws:cdk:disable-asset-staging, and any symlink in an asset that points out of it; this check has no option.',
    ].join('\n'));
  }
  const options = dockerBuildOptions(assembly);
  if (options.length === 0) return;
  const lines = options.map((o) => `  docker image asset '${o.id}' in ${o.manifest}: ${o.option} ${shown(o.value)} (${WIDENING_DOCKER_OPTIONS[/** @type {keyof typeof WIDENING_DOCKER_OPTIONS} */ (o.option)]})`);
  if (dockerOptionsAllowed) {
    print(`Warning: these Docker build options reach this step's machine, where the deploy role's credentials are (${OPTION_DOCKER_BUILD_OPTIONS}: true):`);
    lines.forEach((l) => print(l));
    return;
  }
  throw new Refusal([
    `${options.length} Docker build option${options.length === 1 ? '' : 's'} of ${assembly} reach${options.length === 1 ? 'es' : ''} this deploy step's machine outside the build context, next to the deploy role's credentials:`,
    ...lines,
    'Nothing was deployed and no AWS call was made. Remove the option from the image asset (DockerImageAsset, ContainerImage.fromAsset),',
    `or, if the project needs it, set ${OPTION_DOCKER_BUILD_OPTIONS}: true in .projenrc.ts and run npx projen.`,
  ].join('\n'));
}

/**
 * The registries whose tarball URLs a lockfile may name: npm's public one,
 * and those of the project's `.npmrc` (`registry=`, `@scope:registry=`).
 * @returns {Registries}
 */
function registries() {
  /** @type {Registries} */
  const result = { default: PUBLIC_REGISTRY, scopes: {} };
  if (!fs.existsSync(NPMRC)) return result;
  for (const raw of fs.readFileSync(NPMRC, 'utf-8').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim().replace(/^(["'])(.*)\1$/, '$2').replace(/\/+$/, '');
    if (key === 'registry') result.default = value;
    const scope = /^(@[^:]+):registry$/.exec(key);
    if (scope) result.scopes[scope[1]] = value;
  }
  return result;
}

/**
 * The tarball URLs a registry serves `name@version` at, for each registry
 * allowed: `<registry>/<name>/-/<name without scope>-<version>.tgz`.
 * @param {string} name
 * @param {string} version
 * @param {Registries} from
 * @returns {string[]}
 */
function canonicalTarballs(name, version, from) {
  const scope = name.startsWith('@') ? name.split('/')[0] : undefined;
  const hosts = [...new Set([PUBLIC_REGISTRY, from.default, ...(scope && from.scopes[scope] ? [from.scopes[scope]] : [])])];
  return hosts.map((registry) => `${registry}/${name}/-/${name.split('/').pop()}-${version}.tgz`);
}

/**
 * Why a lockfile entry's `resolved` is not the registry's own tarball of its
 * name and version, or undefined when it is (or names no URL: npm then
 * resolves `name@version` from the registry).
 * @param {string} name
 * @param {any} entry
 * @param {Registries} from
 * @returns {string | undefined}
 */
function unexpectedTarball(name, entry, from) {
  if (entry.resolved === undefined) return undefined;
  const expected = canonicalTarballs(name, String(entry.version), from);
  if (typeof entry.resolved === 'string' && expected.includes(entry.resolved)) return undefined;
  return `resolved is ${shown(entry.resolved)}, expected ${expected.join(' or ')}`;
}

/**
 * The lock entry of the CDK CLI in the project's package-lock.json, once it
 * names the registry's own tarball and, when given, the integrity the
 * pipeline was generated with.
 * @param {string} cliVersion
 * @param {string} [cliIntegrity]
 * @returns {{ [key: string]: unknown }}
 */
function lockedCli(cliVersion, cliIntegrity) {
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
  const regenerate = `Restore the entry as npm writes it: delete node_modules/${CLI_PACKAGE} from ${LOCKFILE}, run npm install, and commit ${LOCKFILE}.`;
  const tarball = unexpectedTarball(CLI_PACKAGE, entry, registries());
  if (tarball) {
    throw new Refusal(`${LOCKFILE} locks ${CLI_PACKAGE} ${cliVersion} at another tarball than the registry's own (${tarball}): the CDK CLI runs next to the deploy role's token, so this step installs only that tarball; the CLI was not installed. ${regenerate}`);
  }
  if (typeof entry.integrity !== 'string' || !SHA512.test(entry.integrity)) {
    throw new Refusal(`${LOCKFILE} has no sha512 integrity for ${CLI_PACKAGE} ${cliVersion}, so its bytes cannot be verified. Regenerate the lockfile (npm install) from a registry that publishes integrity, and commit it.`);
  }
  if (cliIntegrity !== undefined && entry.integrity !== cliIntegrity) {
    throw new Refusal([
      `${LOCKFILE} locks ${CLI_PACKAGE} ${cliVersion} with integrity ${entry.integrity},`,
      `but this pipeline was generated for ${cliIntegrity} (${OPTION_CLI_INTEGRITY}, or the integrity projen-bitbucket-cdk ships for its default CLI):`,
      'those are other bytes than the published CLI, and they would run next to the deploy role\'s token; the CLI was not installed.',
      `${regenerate} If you override cdkCliVersion, set ${OPTION_CLI_INTEGRITY} to the output of npm view ${CLI_PACKAGE}@${cliVersion} dist.integrity and run npx projen.`,
    ].join('\n'));
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
  const entry = lockedCli(o.cliVersion, o.cliIntegrity);
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
  if (fs.existsSync(NPMRC)) fs.copyFileSync(NPMRC, path.join(dir, NPMRC));
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
  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  print(`CDK CLI ${CLI_PACKAGE}@${o.cliVersion} installed as locked in ${LOCKFILE} (integrity ${String(entry.integrity).slice(0, 19)}... verified by npm ci) in ${seconds} s.`);
  if (o.cliIntegrity === undefined) {
    print(`Note: only the integrity that ${LOCKFILE} states was verified, not one shipped with projen-bitbucket-cdk or set in ${OPTION_CLI_INTEGRITY}`);
    print(`(cdkCliVersion ${o.cliVersion} is not this package's default). Pin it: set ${OPTION_CLI_INTEGRITY} to the output of npm view ${CLI_PACKAGE}@${o.cliVersion} dist.integrity.`);
  } else {
    print(`Its integrity is the one this pipeline was generated with (${OPTION_CLI_INTEGRITY} or the default CLI's, shipped with projen-bitbucket-cdk).`);
  }
  return bin;
}

/**
 * Every package of the project's lockfile that npm would fetch from
 * elsewhere than the registry's own tarball of its name and version, or
 * without a sha512 to check it against. Links to the project's own folders
 * (workspaces) and packages bundled in another one are not fetched.
 * @returns {string[]} one line per refused entry
 */
function lockfileProblems() {
  if (!fs.existsSync(LOCKFILE)) return [`${LOCKFILE} is missing`];
  const lock = readJson(LOCKFILE);
  if (!lock.packages || typeof lock.packages !== 'object') {
    return [`${LOCKFILE} has no "packages" (lockfileVersion ${shown(lock.lockfileVersion)}); npm 7 or later writes them`];
  }
  const from = registries();
  /** @type {string[]} */
  const problems = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.includes('node_modules/') || !entry || typeof entry !== 'object') continue;
    if (entry.link === true) {
      const target = typeof entry.resolved === 'string' ? path.normalize(entry.resolved) : '';
      if (target === '' || path.isAbsolute(target) || target.startsWith('..')) problems.push(`${key}: a link to ${shown(entry.resolved)}, outside the project`);
      continue;
    }
    if (entry.inBundle === true) continue;
    const name = typeof entry.name === 'string' ? entry.name : key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const what = `${key} (${name}@${/^[\w.+-]{1,64}$/.test(String(entry.version)) ? entry.version : shown(entry.version)})`;
    const tarball = unexpectedTarball(name, entry, from);
    if (tarball) problems.push(`${what}: ${tarball}`);
    else if (typeof entry.integrity !== 'string' || !entry.integrity.split(/\s+/).some((/** @type {string} */ h) => SHA512.test(h))) {
      problems.push(`${what}: no sha512 integrity (${shown(entry.integrity)})`);
    }
  }
  return problems;
}

/**
 * The preview and drift steps' check before `npm ci --ignore-scripts`.
 * @param {(line: string) => void} print
 */
function checkLockfile(print) {
  const problems = lockfileProblems();
  if (problems.length === 0) {
    print(`${LOCKFILE}: every package comes from the registry's own tarball of its name and version, with a sha512.`);
    return;
  }
  throw new Refusal([
    `${LOCKFILE} names ${problems.length} package${problems.length === 1 ? '' : 's'} that npm would not fetch as the registry's own tarball, verified by a sha512:`,
    ...problems.slice(0, MAX_LISTED).map((p) => `  ${p}`),
    ...(problems.length > MAX_LISTED ? [`  ... and ${problems.length - MAX_LISTED} more`] : []),
    'Nothing was installed and no AWS call was made: these tools run next to the read-only role\'s token.',
    `Accepted: ${PUBLIC_REGISTRY}, or the registry in ${NPMRC} (registry=, @scope:registry=), at <registry>/<name>/-/<name without scope>-<version>.tgz.`,
    `Fix: delete those entries from ${LOCKFILE} (or the file), run npm install against that registry, and commit ${LOCKFILE}.`,
  ].join('\n'));
}

/**
 * What the checks found, in one line for the step log.
 * @param {Options} o
 */
function checkedLine(o) {
  const manifests = assetManifests(o.assembly).length;
  const executables = executableAssets(o.assembly).length;
  const options = dockerBuildOptions(o.assembly).length;
  return [
    `Checked ${o.assembly} for '${o.environment}': ${manifests} asset manifest${manifests === 1 ? '' : 's'}`,
    executables === 0 ? 'no executable assets' : `${executables} executable asset${executables === 1 ? '' : 's'} allowed`,
    `every asset source inside ${o.assembly}${options === 0 ? '' : `, ${options} Docker build option${options === 1 ? '' : 's'} allowed`}.`,
  ].join(', ');
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
  if (typeof o === 'string' && o !== 'check-lockfile') {
    printError(`bitbucket-deploy-preflight: ${o}`);
    printError('Usage: node <this file> --environment <name> --assembly <dir> --cli-version <version> --install-into <dir>');
    printError('         [--cli-integrity <sha512-...>] [--allow-executable-assets] [--allow-docker-build-options]');
    printError('       node <this file> --check-lockfile');
    return 2;
  }
  try {
    if (o === 'check-lockfile') {
      checkLockfile(print);
      return 0;
    }
    checkAssembly(o.assembly, o.environment);
    checkExecutableAssets(o.assembly, o.allowExecutableAssets, printError);
    checkAssetSources(o.assembly, o.allowDockerBuildOptions, printError);
    print(checkedLine(o));
    installCli(o, env, print);
    return 0;
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    printError(e.message);
    return 1;
  }
}

module.exports = {
  parseArgs, assetManifests, executableAssets, sourcesOutside, dockerBuildOptions, lockedCli, lockfileProblems, canonicalTarballs, main,
};

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process.env, (l) => console.log(l), (l) => console.error(l));
}
