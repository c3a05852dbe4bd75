// @ts-check
'use strict';
/*
 * Bitbucket OIDC doctor: explains why a pipeline step cannot assume its
 * deploy role, one line per mismatch, then a verdict.
 *
 *   node .projen/bitbucket-oidc-doctor.js <environment> [--after-script [--assembly <dir>] | --local]
 *
 * `--after-script` (a deploy step's after-script): runs only when the step
 * failed (BITBUCKET_EXIT_CODE not 0), and with `--assembly`, only when the
 * step had that cloud assembly: without it the step stopped before any AWS
 * call, which is not an OIDC problem.
 *
 * `--local` (a workstation, not a pipeline step): checks only the token's
 * claims against the trust and the environments; the AWS_* variables and the
 * token file are what a pipeline step sets, so they are not checked.
 *
 * Plain Node without dependencies, because deploy steps run no `npm ci`.
 * It decodes $BITBUCKET_STEP_OIDC_TOKEN (without checking the signature: it
 * compares claims, STS verifies signatures) and compares the claims and the
 * AWS_* variables with the trust of the environment's deploy role. It never
 * prints the token, any part of it or an error message that could quote it,
 * and writes no file. Exit code: 0 all matches, 1 mismatches, 2 usage.
 */

const fs = require('fs');

/**
 * @typedef {object} ExpectedEnvironment
 * @property {number} index position in deployEnvironments
 * @property {string} name
 * @property {string} bitbucketDeployment
 * @property {string | null} bitbucketDeploymentUuid without braces, lower case
 * @property {string} account
 * @property {string} region
 * @property {string} roleArn
 * @property {string} subjectPattern StringLike value of the role's `:sub` condition
 *
 * @typedef {object} Expected
 * @property {string} project
 * @property {string} workspace
 * @property {string} workspaceUuid without braces, lower case
 * @property {string} repositoryUuid without braces, lower case
 * @property {string} issuerUrl
 * @property {string} audience
 * @property {string} mainBranch the branch whose pipeline deploys (defaultReleaseBranch)
 * @property {string[]} leftoverVariables static credentials the SDK prefers over the role
 * @property {ExpectedEnvironment[]} environments
 *
 * @typedef {'ok' | 'skipped' | 'warning' | 'mismatch'} Level
 * @typedef {{ level: Level, text: string }} Finding
 *
 * @typedef {object} DiagnoseInput
 * @property {Expected} expected
 * @property {ExpectedEnvironment} environment
 * @property {{ [name: string]: string | undefined }} env the process environment
 * @property {number} now seconds since the epoch
 * @property {boolean} afterScript run from the generated step's after-script, whose
 *   shell may not have the variables the step's script exported
 * @property {(file: string) => string | undefined} readFile contents, or undefined when unreadable
 * @property {boolean} [local] run on a workstation: only the token's claims are checked
 */

// The generator replaces this line with the project's values.
const EXPECTED = /** @type {Expected} */ (/** @type {unknown} */ (null));

const TOKEN_VARIABLE = 'BITBUCKET_STEP_OIDC_TOKEN';
const ISSUER = /^https:\/\/api\.bitbucket\.org\/2\.0\/workspaces\/([^/]+)\/pipelines-config\/identity\/oidc$/;
const AUDIENCE = /^ari:cloud:bitbucket::workspace\/(.+)$/;
const SHOWN_CLAIMS = ['iss', 'sub', 'aud', 'repositoryUuid', 'deploymentEnvironmentUuid', 'branchName', 'workspaceUuid'];
const FIX_TRUST = 'run npx projen, then npx projen bitbucket:oidc:deploy';

/**
 * IAM `StringLike`: `*` matches any run of characters (also none), `?`
 * exactly one; everything else literally and case-sensitively.
 * @param {string} pattern
 * @param {string} value
 */
function stringLike(pattern, value) {
  const p = Array.from(pattern);
  const v = Array.from(value);
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < v.length) {
    if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (i < p.length && (p[i] === '?' || p[i] === v[j])) {
      i++;
      j++;
    } else if (star !== -1) {
      // Let the last `*` swallow one more character and retry.
      i = star + 1;
      j = ++mark;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

/** @param {unknown} value UUID with or without braces; '' when not a string */
function normaliseUuid(value) {
  return typeof value === 'string' ? value.trim().replace(/^\{|\}$/g, '').toLowerCase() : '';
}

/** @param {string | null | undefined} uuid */
function braced(uuid) {
  return `{${uuid}}`;
}

/**
 * A claim value for one line of output: control characters replaced, so a
 * crafted token cannot rewrite the terminal.
 * @param {unknown} value
 */
function show(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return String(text).replace(/[\u0000-\u001f\u007f]/g, '?');
}

/**
 * Decodes the payload of a JWT. Errors describe the shape only: JSON.parse's
 * own message quotes the input, so it is never passed on.
 * @param {string} token
 * @returns {{ claims: { [claim: string]: unknown } } | { error: string }}
 */
function decodeToken(token) {
  const parts = token.trim().split('.');
  if (parts.length !== 3) {
    return { error: `it has ${parts.length} part(s) separated by '.', a JWT has 3 (header.payload.signature)` };
  }
  const names = ['header', 'payload', 'signature'];
  for (let k = 0; k < 3; k++) {
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(parts[k])) return { error: `its ${names[k]} (part ${k + 1}) is not base64url` };
  }
  /** @type {unknown} */
  let payload;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf-8'));
  } catch {
    return { error: 'its payload (part 2) is not JSON' };
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { error: 'its payload (part 2) is not a JSON object' };
  }
  return { claims: /** @type {{ [claim: string]: unknown }} */ (payload) };
}

/**
 * Compares the claims with the trust of the environment's role.
 * @param {Expected} x
 * @param {ExpectedEnvironment} e
 * @param {{ [claim: string]: unknown }} c
 * @param {number} now
 * @param {boolean} local a token checked on a workstation: its expiry is no reason for what happened in the step
 * @returns {Finding[]}
 */
function checkClaims(x, e, c, now, local) {
  /** @type {Finding[]} */
  const out = [];
  const ok = (/** @type {string} */ text) => out.push({ level: 'ok', text });
  const warn = (/** @type {string} */ text) => out.push({ level: 'warning', text });
  const bad = (/** @type {string} */ text) => out.push({ level: 'mismatch', text });
  const uuidOption = `deployEnvironments[${e.index}].bitbucketDeploymentUuid`;

  if (typeof c.iss !== 'string') {
    bad(`iss is missing: not a Bitbucket Pipelines token; expected ${x.issuerUrl}`);
  } else if (c.iss === x.issuerUrl) {
    ok(`iss is workspace '${x.workspace}' (bitbucketWorkspace)`);
  } else {
    const m = ISSUER.exec(c.iss);
    if (m) {
      bad(`iss workspace '${show(m[1])}' ≠ bitbucketWorkspace '${x.workspace}': the OIDC provider trusts ${x.issuerUrl} only; if the repository now lives in workspace '${show(m[1])}', set bitbucketWorkspace: '${show(m[1])}' and ${FIX_TRUST}`);
    } else {
      bad(`iss '${show(c.iss)}' ≠ ${x.issuerUrl}: not a Bitbucket Pipelines token of workspace '${x.workspace}'`);
    }
  }

  const audiences = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (audiences.includes(x.audience)) {
    ok(`aud is the audience of bitbucketWorkspaceUuid ${braced(x.workspaceUuid)}`);
  } else {
    const workspaceAudience = audiences.map((a) => (typeof a === 'string' ? AUDIENCE.exec(a) : null)).find(Boolean);
    if (workspaceAudience) {
      bad(`aud '${show(workspaceAudience[0])}' ≠ '${x.audience}': bitbucketWorkspaceUuid is wrong (STS answers "Incorrect token audience"); set bitbucketWorkspaceUuid: '${braced(show(workspaceAudience[1]))}' and ${FIX_TRUST}`);
    } else {
      bad(`aud '${audiences.map(show).join("', '")}' is not the workspace audience '${x.audience}': remove custom 'oidc: audiences' from the step; the provider trusts the workspace audience only`);
    }
  }

  const sub = typeof c.sub === 'string' ? c.sub : '';
  const subUuids = (sub.match(/\{[^}]*\}/g) || []).map(normaliseUuid);
  const repository = normaliseUuid(c.repositoryUuid) || subUuids[0] || '';
  let explained = false;
  if (!repository) {
    bad(`repositoryUuid is missing and sub names no repository: not a Bitbucket Pipelines step token; expected bitbucketRepositoryUuid ${braced(x.repositoryUuid)}`);
    explained = true;
  } else if (repository !== x.repositoryUuid) {
    bad(`repositoryUuid ${braced(show(repository))} ≠ bitbucketRepositoryUuid ${braced(x.repositoryUuid)}: the token comes from another repository, the deploy roles trust only ${braced(x.repositoryUuid)}; if this project now lives in ${braced(show(repository))}, set bitbucketRepositoryUuid: '${braced(show(repository))}' and ${FIX_TRUST}`);
    explained = true;
  } else {
    ok(`repositoryUuid is bitbucketRepositoryUuid ${braced(x.repositoryUuid)}`);
  }

  const deployment = normaliseUuid(c.deploymentEnvironmentUuid);
  if (!deployment) {
    if (e.bitbucketDeploymentUuid) {
      bad(`sub ${show(sub)} carries no deployment environment: the step has no \`deployment:\`, but the role of '${e.name}' trusts only steps deploying to '${e.bitbucketDeployment}' ${braced(e.bitbucketDeploymentUuid)} (${uuidOption}); add \`deployment: ${e.bitbucketDeployment}\` to the step, or deploy from the generated 'Deploy ${e.name}' step`);
      explained = true;
    } else {
      warn(`the step has no deployment environment and ${uuidOption} is not set: the role of '${e.name}' trusts every step of the repository`);
    }
  } else if (!e.bitbucketDeploymentUuid) {
    warn(`${uuidOption} is not set: the role of '${e.name}' trusts every step of the repository; set it to '${braced(show(deployment))}' to trust only this deployment environment`);
  } else if (deployment !== e.bitbucketDeploymentUuid) {
    const other = x.environments.find((o) => o.bitbucketDeploymentUuid === deployment);
    const why = other
      ? `${braced(deployment)} is deployEnvironments[${other.index}] ('${other.name}', deployment '${other.bitbucketDeployment}'): the step deploys to the wrong Bitbucket deployment; give it \`deployment: ${e.bitbucketDeployment}\`, or diagnose '${other.name}' instead`
      : `set it to '${braced(show(deployment))}' if this step's deployment is '${e.bitbucketDeployment}' (Repository settings → Pipelines → OpenID Connect lists the UUIDs), then ${FIX_TRUST}`;
    bad(`deploymentEnvironmentUuid ${braced(show(deployment))} ≠ ${uuidOption} ${braced(e.bitbucketDeploymentUuid)}: ${why}`);
    explained = true;
  } else {
    ok(`deploymentEnvironmentUuid is ${uuidOption} ${braced(e.bitbucketDeploymentUuid)} ('${e.bitbucketDeployment}')`);
  }

  if (!sub) {
    bad(`sub is missing: the role's trust needs sub StringLike '${e.subjectPattern}'`);
  } else if (stringLike(e.subjectPattern, sub)) {
    ok(`sub matches StringLike '${e.subjectPattern}' of ${e.roleArn}`);
  } else if (!explained) {
    // Same UUIDs but still no match: usually case (IAM compares case-sensitively) or an unexpected sub shape.
    bad(`sub ${show(sub)} ≠ StringLike '${e.subjectPattern}' of ${e.roleArn} (IAM compares case-sensitively): the trust of '${e.name}' will refuse it; check bitbucketRepositoryUuid and ${uuidOption} against Repository settings → Pipelines → OpenID Connect`);
  }

  out.push(checkBranch(x, e, c.branchName));

  if (typeof c.exp === 'number' && c.exp <= now) {
    const when = `exp ${new Date(c.exp * 1000).toISOString()} is in the past: the token expired ${Math.ceil((now - c.exp) / 60)} min ago`;
    if (local) warn(`${when}; STS would refuse it now, but its claims were checked all the same`);
    else bad(`${when}; re-run the step (a token lives for the step that received it)`);
  }
  return out;
}

/**
 * The generated pipeline deploys from the main branch only. AWS cannot test
 * the branch (no condition key for it), so a deploy token from another branch
 * is worth a warning: only the Bitbucket deployment environment's branch
 * restrictions stop such a step.
 * @param {Expected} x
 * @param {ExpectedEnvironment} e
 * @param {unknown} branch the `branchName` claim
 * @returns {Finding}
 */
function checkBranch(x, e, branch) {
  if (typeof branch !== 'string' || branch === '') {
    return { level: 'skipped', text: `branchName is absent (a tag or custom pipeline?): not compared with '${x.mainBranch}'` };
  }
  if (branch === x.mainBranch) {
    return { level: 'ok', text: `branchName is '${x.mainBranch}' (defaultReleaseBranch), the branch whose pipeline deploys` };
  }
  return {
    level: 'warning',
    text: `branchName '${show(branch)}' ≠ '${x.mainBranch}' (defaultReleaseBranch): the generated pipeline deploys '${e.name}' from '${x.mainBranch}' only, and AWS cannot check the branch; `
      + `unless this is intended, restrict the branches that may deploy to '${e.bitbucketDeployment}' (Repository settings → Deployments)`,
  };
}

/**
 * Compares what the AWS SDK of the CDK CLI will read with what the role needs.
 * @param {DiagnoseInput} input
 * @param {string} token
 * @returns {Finding[]}
 */
function checkEnvironment(input, token) {
  const { expected: x, environment: e, env, afterScript } = input;
  /** @type {Finding[]} */
  const out = [];
  const ok = (/** @type {string} */ text) => out.push({ level: 'ok', text });
  const warn = (/** @type {string} */ text) => out.push({ level: 'warning', text });
  const bad = (/** @type {string} */ text) => out.push({ level: 'mismatch', text });
  // In after-script the variables the step's script exported may be gone: then only their absence is not an error.
  const missing = (/** @type {string} */ text) => (afterScript
    ? out.push({ level: 'skipped', text: `${text.split(':')[0]}: the generated step's script sets it, and after-script may not see it` })
    : bad(text));

  const role = env.AWS_ROLE_ARN;
  if (!role) {
    missing(`AWS_ROLE_ARN is not set: export AWS_ROLE_ARN=${e.roleArn} (the deploy role of '${e.name}') before the CDK CLI runs`);
  } else if (role !== e.roleArn) {
    const other = x.environments.find((o) => o.roleArn === role);
    const what = other ? `that is the role of '${other.name}'` : 'not a role this project creates';
    bad(`AWS_ROLE_ARN ${show(role)} ≠ the deploy role of '${e.name}' ${e.roleArn}: ${what}; export AWS_ROLE_ARN=${e.roleArn}, or diagnose the environment this step deploys`);
  } else {
    ok(`AWS_ROLE_ARN is the deploy role of '${e.name}'`);
  }

  const region = env.AWS_REGION;
  if (!region) {
    missing(`AWS_REGION is not set: export AWS_REGION=${e.region}; the SDK needs a region for STS`);
  } else if (region !== e.region) {
    warn(`AWS_REGION ${show(region)} ≠ the region of '${e.name}' ${e.region}: STS works from any region, but the generated step uses ${e.region}`);
  } else {
    ok(`AWS_REGION is ${e.region}`);
  }

  const file = env.AWS_WEB_IDENTITY_TOKEN_FILE;
  if (!file) {
    missing('AWS_WEB_IDENTITY_TOKEN_FILE is not set: write $BITBUCKET_STEP_OIDC_TOKEN to a file outside the clone directory and export its path, so the SDK assumes AWS_ROLE_ARN with it');
  } else {
    const content = input.readFile(file);
    const clone = env.BITBUCKET_CLONE_DIR;
    if (content === undefined) {
      bad(`AWS_WEB_IDENTITY_TOKEN_FILE ${show(file)} is not readable: write $BITBUCKET_STEP_OIDC_TOKEN to it in this step (each step has its own token)`);
    } else if (content.trim() === '') {
      bad(`AWS_WEB_IDENTITY_TOKEN_FILE ${show(file)} is empty: write $BITBUCKET_STEP_OIDC_TOKEN to it`);
    } else if (token && content.trim() !== token.trim()) {
      bad(`AWS_WEB_IDENTITY_TOKEN_FILE ${show(file)} holds another token than $${TOKEN_VARIABLE} (an earlier step's, or another file): write this step's token to it`);
    } else {
      ok(`AWS_WEB_IDENTITY_TOKEN_FILE is readable${token ? ` and holds this step's token` : ''}`);
    }
    if (clone && (file === clone || file.startsWith(clone.endsWith('/') ? clone : `${clone}/`))) {
      bad(`AWS_WEB_IDENTITY_TOKEN_FILE ${show(file)} is inside BITBUCKET_CLONE_DIR: an artifact glob could upload the token; put it under $(mktemp -d)`);
    }
  }

  const leftovers = x.leftoverVariables.filter((v) => env[v]);
  if (leftovers.length > 0) {
    const [verb, them] = leftovers.length === 1 ? ['is', 'it'] : ['are', 'them'];
    const text = `${leftovers.join(', ')} ${verb} set: the AWS SDK uses ${them} instead of AWS_ROLE_ARN and the token, silently skipping the role; remove ${them} from Repository, Workspace and Deployment variables`;
    // The generated step unsets them before deploying: still worth removing, but not why it failed.
    if (afterScript) warn(`${text} (the generated step ignores them)`);
    else bad(text);
  }
  return out;
}

/**
 * The whole diagnosis, without side effects.
 * @param {DiagnoseInput} input
 * @returns {{ claims: { [claim: string]: unknown } | undefined, findings: Finding[] }}
 */
function diagnose(input) {
  const token = input.env[TOKEN_VARIABLE] || '';
  /** @type {Finding[]} */
  const findings = [];
  let claims;
  if (token.trim() === '' && input.local) {
    findings.push({ level: 'mismatch', text: `${TOKEN_VARIABLE} is empty: set it to the token to check (e.g. BITBUCKET_STEP_OIDC_TOKEN="$(cat token.jwt)"); keep the token out of logs and shell history` });
  } else if (token.trim() === '') {
    findings.push({ level: 'mismatch', text: `${TOKEN_VARIABLE} is empty: the step needs \`oidc: true\` in bitbucket-pipelines.yml and OpenID Connect enabled for the repository (every step that talks to AWS needs its own)` });
  } else {
    const decoded = decodeToken(token);
    if ('error' in decoded) {
      findings.push({ level: 'mismatch', text: `${TOKEN_VARIABLE} is not a JWT: ${decoded.error}; it must hold the step's token exactly as Bitbucket provides it (do not override the variable)` });
    } else {
      claims = decoded.claims;
      findings.push(...checkClaims(input.expected, input.environment, claims, input.now, input.local === true));
    }
  }
  if (input.local) {
    findings.push({ level: 'skipped', text: 'AWS_ROLE_ARN, AWS_REGION, AWS_WEB_IDENTITY_TOKEN_FILE and static keys: set by the pipeline step, not checked locally (--local)' });
  } else {
    findings.push(...checkEnvironment(input, token));
  }
  return { claims, findings };
}

/** @param {string} file */
function readFileOrUndefined(file) {
  try {
    return fs.readFileSync(file, 'utf-8');
  } catch {
    return undefined;
  }
}

const LABELS = { ok: 'ok      ', skipped: 'skipped ', warning: 'WARNING ', mismatch: 'MISMATCH' };

/**
 * @param {string[]} args
 * @param {{ [name: string]: string | undefined }} env
 * @param {(line: string) => void} print
 * @returns {number} exit code
 */
function main(args, env, print) {
  const x = EXPECTED;
  const at = args.indexOf('--assembly');
  const assembly = at >= 0 ? args[at + 1] : undefined;
  const rest = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
  const afterScript = rest.includes('--after-script');
  const local = rest.includes('--local');
  const positional = rest.filter((a) => !a.startsWith('--'));
  const unknown = rest.filter((a) => a.startsWith('--') && !['--after-script', '--local', '--help'].includes(a));
  const names = x.environments.map((o) => o.name);
  const badAssembly = at >= 0 && (!assembly || assembly.startsWith('--') || !afterScript);
  if (rest.includes('--help') || unknown.length > 0 || badAssembly || (afterScript && local) || positional.length > 1 || (positional.length === 0 && names.length !== 1)) {
    print(`Usage: node <this file> <environment> [--after-script [--assembly <dir>] | --local]; environments: ${names.join(', ')}`);
    print(`Reads $${TOKEN_VARIABLE} and the AWS_* variables; prints the token's claims, never the token.`);
    print('--local: on a workstation, checks only the token\'s claims against the trust (not the variables a pipeline step sets).');
    return rest.includes('--help') ? 0 : 2;
  }
  // Bitbucket sets BITBUCKET_EXIT_CODE in after-script; a run by hand without it diagnoses.
  if (afterScript && env.BITBUCKET_EXIT_CODE === '0') return 0;
  if (afterScript && assembly && !fs.existsSync(`${env.BITBUCKET_CLONE_DIR || '.'}/${assembly}/manifest.json`)) {
    print(`OIDC doctor skipped: ${assembly} is missing, so the step stopped before any AWS call (see above); not an OIDC problem.`);
    return 0;
  }
  const wanted = positional[0] || names[0];
  const e = x.environments.find((o) => o.name === wanted);
  if (!e) {
    // An argument that is not a plain name might be a pasted token: never echo it.
    const shown = /^[A-Za-z0-9_-]{1,64}$/.test(wanted) ? `'${wanted}'` : '(argument not shown)';
    print(`Unknown environment ${shown}; environments: ${names.join(', ')}`);
    return 2;
  }

  const { claims, findings } = diagnose({ expected: x, environment: e, env, now: Math.floor(Date.now() / 1000), afterScript, local, readFile: readFileOrUndefined });
  print(`Bitbucket OIDC doctor: ${x.project}, environment '${e.name}' (deployment '${e.bitbucketDeployment}', role ${e.roleArn})`);
  if (afterScript) print(`The step failed (exit code ${show(env.BITBUCKET_EXIT_CODE || '?')}); checking its OIDC set-up.`);
  if (local) print('Local run: checking the token\'s claims against the trust only.');
  if (claims) {
    print('Token claims (the token itself is not shown):');
    for (const name of SHOWN_CLAIMS) print(`  ${name.padEnd(26)} ${name in claims ? show(claims[name]) : '(absent)'}`);
    if (typeof claims.exp === 'number') print(`  ${'exp'.padEnd(26)} ${new Date(claims.exp * 1000).toISOString()}`);
  }
  print('Checks:');
  for (const f of findings) print(`  ${LABELS[f.level]} ${f.text}`);
  const mismatches = findings.filter((f) => f.level === 'mismatch').length;
  if (mismatches > 0) {
    print(`Verdict: FAIL for '${e.name}': ${mismatches} mismatch${mismatches === 1 ? '' : 'es'}; fix the lines marked MISMATCH.`);
    return 1;
  }
  if (local) {
    print(`Verdict: OK for '${e.name}': the token's claims match the trust of ${e.roleArn}. In a pipeline step, run it without --local to check the AWS_* variables and the token file too.`);
    return 0;
  }
  print(`Verdict: OK for '${e.name}': the token and the variables match the trust of ${e.roleArn}. If AWS still refuses, check that the OIDC stack of account ${e.account} is deployed and current (npx projen bitbucket:oidc:deploy) and that ${e.account}/${e.region} is CDK-bootstrapped.`);
  return 0;
}

module.exports = { EXPECTED, stringLike, decodeToken, diagnose, main };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process.env, (line) => console.log(line));
}
