// @ts-check
'use strict';
/*
 * Deploys the OIDC trust of a pull request that is not merged yet, from the
 * pull request's `cdk.oidc.out` artifact, without running any code of the
 * branch: no .projenrc.ts, no node_modules, no ts-node, no npx.
 *
 *   node .projen/bitbucket-oidc-deploy-reviewed.js --account <12 digits> --assembly <downloaded cdk.oidc.out>
 *     [--stack-name <name>] [--diff-only]
 *
 * Run it with administrator credentials of the account, from an up-to-date
 * checkout of the main branch: this file, the deploy pre-flight beside it and
 * package-lock.json are then the reviewed, merged ones.
 *
 * 1. The artifact is data, written by the branch's build: it must hold only
 *    the expected OIDC stacks (construct ID `BitbucketOidc-<account>` in that
 *    account, a stack name the main branch's project declares, or the one
 *    --stack-name states) and no asset but each stack's own template, which
 *    the CLI uploads where the stack's deployment reads it (checked: bucket,
 *    key = sha256 of the template, bootstrap roles of the same account and
 *    region). Plain files only: no symlink, no folder. Refused otherwise,
 *    before any install or AWS call.
 * 2. The CDK CLI is installed by the deploy pre-flight
 *    (bitbucket-deploy-preflight.js, as a program) from package-lock.json
 *    into a private temporary folder, its bytes checked by npm ci against
 *    the integrity the deploy steps require (shipped with projen-bitbucket-cdk
 *    for its default version, or cdkCliIntegrity).
 * 3. That CLI, started in an empty folder (no cdk.json, no plugin), shows
 *    `cdk diff` of the account's stack, then deploys it with
 *    `--require-approval broadening`: it asks before any added trust or
 *    permission is applied.
 *
 * Plain Node without dependencies. Exit code: 0 deployed (or diffed), 1 refused or failed, 2 usage.
 */

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

/** Replaced when the project generates this file: what the main branch's project expects. */
const GENERATED = { stackNames: [], cliVersion: '', cliIntegrity: undefined };

const PREFLIGHT = 'bitbucket-deploy-preflight.js';
/** Where the pre-flight installs the CLI, below its --install-into folder (DeployPreflight.CLI_ENTRY_POINT). */
const CLI_ENTRY_POINT = path.join('cli', 'node_modules', 'aws-cdk', 'bin', 'cdk');
const STACK_ID = /^BitbucketOidc-(\d{12})$/;
/** Artifacts that are only read by the CLI, never run or deployed. */
const DATA_ARTIFACTS = ['cdk:tree', 'cdk:feature-flag-report'];
const PARTITION = '${AWS::Partition}';
const USAGE = 'Usage: node .projen/bitbucket-oidc-deploy-reviewed.js --account <12 digits> --assembly <downloaded cdk.oidc.out>'
  + ' [--stack-name <name>] [--diff-only]';

/**
 * @typedef {object} Options
 * @property {string} account
 * @property {string} assembly
 * @property {string[]} stackNames
 * @property {boolean} diffOnly
 *
 * @typedef {object} Expected
 * @property {string[]} stackNames stack names the OIDC stacks may have
 */

class Refusal extends Error {}

/**
 * @param {string[]} args
 * @returns {Options | string} options, or a usage error
 */
function parseArgs(args) {
  /** @type {{ [flag: string]: string }} */
  const values = {};
  /** @type {string[]} */
  const stackNames = [];
  let diffOnly = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--diff-only') {
      diffOnly = true;
    } else if (a === '--stack-name' && i + 1 < args.length) {
      stackNames.push(args[++i]);
    } else if (['--account', '--assembly'].includes(a) && i + 1 < args.length) {
      values[a] = args[++i];
    } else {
      return `unknown or incomplete argument ${/^[\w-]{1,40}$/.test(a) ? a : '(not shown)'}`;
    }
  }
  const missing = ['--account', '--assembly'].filter((f) => !values[f]);
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  if (!/^\d{12}$/.test(values['--account'])) return `--account must be a 12-digit AWS account ID, not ${JSON.stringify(values['--account'])}`;
  return { account: values['--account'], assembly: values['--assembly'], stackNames, diffOnly };
}

/**
 * @param {string} file
 * @returns {any}
 */
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new Refusal(`${file} cannot be read as JSON (${e instanceof Error ? e.message : String(e)}); nothing was deployed.`);
  }
}

/**
 * A file the manifest names: a plain name of a regular file in the assembly folder.
 * @param {string} dir
 * @param {unknown} name
 * @param {string} what
 * @returns {string} its path
 */
function plainFile(dir, name, what) {
  if (typeof name !== 'string' || name !== path.basename(name) || name.startsWith('.') || !fs.existsSync(path.join(dir, name))) {
    throw new Refusal(`${what} is ${JSON.stringify(name)}, not a file of ${dir}: refused, nothing was deployed.`);
  }
  return path.join(dir, name);
}

/**
 * Whether an object has exactly these fields with these values (in any order).
 * @param {any} actual
 * @param {{ [key: string]: string }} expected
 */
function sameFields(actual, expected) {
  const keys = Object.keys(actual || {});
  return keys.length === Object.keys(expected).length && keys.every((k) => actual[k] === expected[k]);
}

/**
 * The ARN of a bootstrap role as the default synthesizer writes it.
 * @param {string} account
 * @param {string} region
 * @param {string} qualifier
 * @param {string} kind
 */
function bootstrapRole(account, region, qualifier, kind) {
  return `arn:${PARTITION}:iam::${account}:role/cdk-${qualifier}-${kind}-role-${account}-${region}`;
}

/**
 * Checks one stack artifact against what the OIDC app synthesises: its
 * account and region, its name, its bootstrap roles, and its template as
 * its only asset, uploaded to the key the deployment reads.
 * @param {string} dir
 * @param {string} id
 * @param {any} artifact
 * @param {{ [id: string]: any }} artifacts
 * @param {string[]} stackNames
 */
function checkStack(dir, id, artifact, artifacts, stackNames) {
  const refuse = (/** @type {string} */ why) => new Refusal(`Stack ${id} of ${dir}: ${why}. Refused: nothing was deployed and no AWS call was made.`);
  const match = STACK_ID.exec(id);
  if (!match) throw refuse('not an OIDC stack (expected construct IDs BitbucketOidc-<account>)');
  const account = match[1];
  const env = /^aws:\/\/(\d{12})\/([a-z]{2}(?:-[a-z]+)+-\d)$/.exec(String(artifact.environment));
  if (!env || env[1] !== account) throw refuse(`its environment ${JSON.stringify(artifact.environment)} is not account ${account}`);
  const region = env[2];
  const props = artifact.properties || {};
  if (!stackNames.includes(props.stackName)) {
    throw refuse(`its stack name ${JSON.stringify(props.stackName)} is not the OIDC stack the main branch declares (${stackNames.join(', ')}).`
      + ' If this pull request renames the project or changes bitbucketRepositoryUuid, check the name in its lifecycle message and pass --stack-name <that name>');
  }
  const template = plainFile(dir, props.templateFile, `its templateFile`);
  const qualifier = /^arn:\$\{AWS::Partition\}:iam::\d{12}:role\/cdk-([a-z0-9_-]{1,10})-deploy-role-/.exec(String(props.assumeRoleArn));
  if (!qualifier) throw refuse(`its deploy role ${JSON.stringify(props.assumeRoleArn)} is not a CDK bootstrap role`);
  const q = qualifier[1];
  const roles = [
    ['assumeRoleArn', props.assumeRoleArn, bootstrapRole(account, region, q, 'deploy')],
    ['cloudFormationExecutionRoleArn', props.cloudFormationExecutionRoleArn, bootstrapRole(account, region, q, 'cfn-exec')],
    ['lookupRole', props.lookupRole && props.lookupRole.arn, bootstrapRole(account, region, q, 'lookup')],
  ];
  for (const [name, value, expected] of roles) {
    if (value !== expected) throw refuse(`its ${name} ${JSON.stringify(value)} is not ${expected}`);
  }
  if (artifact.additionalMetadataFile !== undefined) plainFile(dir, artifact.additionalMetadataFile, 'its additionalMetadataFile');

  // The template, uploaded to the bootstrap bucket under its own hash, is the one asset; the deployment reads that object.
  const hash = crypto.createHash('sha256').update(fs.readFileSync(template)).digest('hex');
  const bucket = `cdk-${q}-assets-${account}-${region}`;
  const url = `s3://${bucket}/${hash}.json`;
  if (props.stackTemplateAssetObjectUrl !== url) {
    throw refuse(`its template would be read from ${JSON.stringify(props.stackTemplateAssetObjectUrl)}, not from ${url} (the sha256 of ${props.templateFile})`);
  }
  const dependencies = [...(artifact.dependencies || []), ...(props.additionalDependencies || [])];
  for (const dep of dependencies) {
    if (dep !== `${id}.assets`) throw refuse(`it depends on ${JSON.stringify(dep)}; an OIDC stack depends only on its own template asset (${id}.assets)`);
  }
  const manifest = artifacts[`${id}.assets`];
  if (!manifest || manifest.type !== 'cdk:asset-manifest') throw refuse(`its asset manifest ${id}.assets is missing`);
  const assets = readJson(plainFile(dir, manifest.properties && manifest.properties.file, `the file of ${id}.assets`));
  const files = Object.entries(assets.files || {});
  const images = Object.keys(assets.dockerImages || {});
  const [assetId, asset] = files[0] || [];
  const destinations = Object.values((asset && asset.destinations) || {});
  const expected = {
    bucketName: bucket, objectKey: `${hash}.json`, region, assumeRoleArn: bootstrapRole(account, region, q, 'file-publishing'),
  };
  const ok = files.length === 1 && images.length === 0 && assetId === hash
    && sameFields(asset.source, { path: props.templateFile, packaging: 'file' })
    && destinations.length === 1 && sameFields(destinations[0], expected);
  if (!ok) {
    throw refuse(`it has assets besides its own template (${files.length} file${files.length === 1 ? '' : 's'}: ${files.map(([k]) => k).join(', ') || 'none'}; `
      + `${images.length} Docker image${images.length === 1 ? '' : 's'}), or its template would be uploaded elsewhere than ${url}; the OIDC stacks have none`);
  }
}

/**
 * Checks a downloaded OIDC assembly before anything runs: plain files only,
 * only the expected OIDC stacks, no asset but each stack's own template.
 * @param {string} dir the assembly folder (holding manifest.json)
 * @param {string} account the account to deploy
 * @param {Expected} expected
 * @returns {string} construct ID of the account's stack
 */
function checkReviewedAssembly(dir, account, expected) {
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    const inner = path.join(dir, 'cdk.oidc.out');
    throw new Refusal(`${path.join(dir, 'manifest.json')} is missing: --assembly must name the unpacked cdk.oidc.out folder of the pull request's`
      + ` build step (Pipelines → the pull request's run → Artifacts).${fs.existsSync(path.join(inner, 'manifest.json')) ? ` Did you mean --assembly ${inner}?` : ''}`);
  }
  for (const entry of fs.readdirSync(dir)) {
    const stat = fs.lstatSync(path.join(dir, entry));
    if (!stat.isFile()) {
      throw new Refusal(`${path.join(dir, entry)} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'a folder'}; an OIDC assembly holds only plain files`
        + ' (a folder is an asset or a nested assembly). Refused: nothing was deployed and no AWS call was made.');
    }
  }
  const manifest = readJson(path.join(dir, 'manifest.json'));
  const artifacts = manifest.artifacts || {};
  const stacks = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    const type = artifact && artifact.type;
    if (type === 'aws:cloudformation:stack') {
      checkStack(dir, id, artifact, artifacts, expected.stackNames);
      stacks.push(id);
    } else if (type === 'cdk:asset-manifest') {
      // Checked with its stack (checkStack): only `<stack>.assets` of a stack is one.
      if ((artifacts[id.replace(/\.assets$/, '')] || {}).type !== 'aws:cloudformation:stack' || !id.endsWith('.assets')) throw new Refusal(`Asset manifest ${id} of ${dir} belongs to no stack: refused, nothing was deployed.`);
    } else if (!DATA_ARTIFACTS.includes(type)) {
      throw new Refusal(`Artifact ${id} of ${dir} is of type ${JSON.stringify(type)}; an OIDC assembly holds only stacks, their template assets and the tree. Refused: nothing was deployed.`);
    }
  }
  // Asset manifests the manifest does not name are refused too: nothing in the folder goes unchecked.
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.assets.json'))) {
    if (!stacks.includes(file.replace(/\.assets\.json$/, ''))) throw new Refusal(`${path.join(dir, file)} is the asset manifest of no OIDC stack: refused, nothing was deployed.`);
  }
  const id = `BitbucketOidc-${account}`;
  if (!stacks.includes(id)) {
    throw new Refusal(`${dir} has no OIDC stack of account ${account} (it has ${stacks.join(', ') || 'none'}): nothing was deployed.`);
  }
  return id;
}

/**
 * @param {string[]} command
 * @param {{ cwd: string, env: { [name: string]: string | undefined } }} o
 * @returns {number}
 */
function run(command, o) {
  const r = spawnSync(command[0], command.slice(1), { cwd: o.cwd, env: o.env, stdio: 'inherit' });
  return r.error ? 1 : (r.status ?? 1);
}

/**
 * @param {string[]} args
 * @param {{ [name: string]: string | undefined }} env
 * @param {(line: string) => void} print
 * @param {(line: string) => void} printError
 * @param {{ stackNames: string[], cliVersion: string, cliIntegrity?: string }} generated what the main branch's project expects
 * @param {string} here the folder of this script (the project's .projen/)
 * @returns {number} exit code
 */
function main(args, env, print, printError, generated = GENERATED, here = __dirname) {
  const o = parseArgs(args);
  if (typeof o === 'string') {
    printError(`bitbucket-oidc-deploy-reviewed: ${o}`);
    printError(USAGE);
    return 2;
  }
  const root = path.dirname(here);
  const preflight = path.join(here, PREFLIGHT);
  const assembly = path.resolve(o.assembly);
  let tmp;
  try {
    const stackId = checkReviewedAssembly(assembly, o.account, { stackNames: [...generated.stackNames, ...o.stackNames] });
    print(`${assembly}: only the OIDC stacks, no asset but their templates. Deploying ${stackId} of account ${o.account}.`);
    if (!fs.existsSync(preflight)) {
      throw new Refusal(`${preflight} is missing: run this from a checkout of the main branch whose bitbucket-pipelines.yml was generated (npx projen).`);
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-oidc-deploy-'));
    fs.chmodSync(tmp, 0o700);
    const integrity = generated.cliIntegrity ? ['--cli-integrity', generated.cliIntegrity] : [];
    const installed = run([process.execPath, preflight, '--environment', `oidc-${o.account}`, '--assembly', assembly,
      '--cli-version', generated.cliVersion, '--install-into', tmp, ...integrity], { cwd: root, env });
    if (installed !== 0) throw new Refusal('The CDK CLI could not be installed as locked (above): nothing was deployed.');
    // An empty folder: the CLI finds no cdk.json (no app, build or plugin to run), and the assembly is the app.
    const work = path.join(tmp, 'work');
    fs.mkdirSync(work, { mode: 0o700 });
    const cdk = [process.execPath, path.join(tmp, CLI_ENTRY_POINT)];
    const app = ['--app', assembly, '--build', ''];
    if (run([...cdk, 'diff', ...app, stackId], { cwd: work, env }) !== 0) throw new Refusal('cdk diff failed (above): nothing was deployed.');
    if (o.diffOnly) return 0;
    if (run([...cdk, 'deploy', ...app, '--require-approval', 'broadening', stackId], { cwd: work, env }) !== 0) {
      throw new Refusal(`cdk deploy of ${stackId} failed or was declined (above).`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    printError(e.message);
    return 1;
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = { parseArgs, checkReviewedAssembly, main };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process.env, (l) => console.log(l), (l) => console.error(l));
}
