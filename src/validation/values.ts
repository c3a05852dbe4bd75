import { Problems, show } from './problems';
import { AUDIENCE_PREFIX } from '../core/naming';

/**
 * Parsers for single option values: each returns the normalised value, or
 * undefined after recording an error that names the option, the value and the fix.
 */

const OIDC_SCREEN = 'Repository settings → Pipelines → OpenID Connect';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_ANYWHERE = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;

function trimmed(option: string, value: string, problems: Problems): string {
  const t = value.trim();
  if (t !== value) problems.warn(option, `removed surrounding whitespace from ${show(value)}`);
  return t;
}

function isString(option: string, value: unknown, problems: Problems, what: string): value is string {
  if (typeof value === 'string') return true;
  problems.error(option, value, `expected ${what} as a string`);
  return false;
}

export function workspaceSlug(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'the workspace slug')) return undefined;
  let v = trimmed(option, value, problems);
  if (v === '') {
    problems.error(option, value, `is empty; give the workspace slug, the first part of your repository's URL bitbucket.org/<workspace>/<repository> (also shown in ${OIDC_SCREEN})`);
    return undefined;
  }
  const url = /^(?:https?:\/\/)?(?:[^/@]+@)?bitbucket\.org\/([^/]+)/i.exec(v);
  if (url || v.includes('/')) {
    const guess = url ? url[1].toLowerCase() : undefined;
    problems.error(option, value, `looks like a URL or path; give only the workspace slug${guess ? ` (here probably "${guess}")` : ''}`);
    return undefined;
  }
  if (UUID_ANYWHERE.test(v)) {
    problems.error(option, value, 'is a UUID; give the workspace slug (the name in the URL bitbucket.org/<workspace>/...). The UUID belongs in bitbucketWorkspaceUuid');
    return undefined;
  }
  if (v !== v.toLowerCase() && /^[A-Za-z0-9_-]+$/.test(v)) {
    problems.warn(option, `workspace slugs are lower case in Bitbucket URLs and OIDC issuers; using "${v.toLowerCase()}"`);
    v = v.toLowerCase();
  }
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(v) || v.length > 62) {
    problems.error(option, value, 'a workspace slug has only lower-case letters, digits, "-" and "_" (at most 62 characters); copy it from bitbucket.org/<workspace>/...');
    return undefined;
  }
  return v;
}

export type UuidKind = 'workspace' | 'repository' | 'deployment';

/**
 * Accepts `{uuid}` or `uuid` in any case; returns it lower case without braces.
 * An audience `ari:cloud:bitbucket::workspace/<uuid>` is accepted for the
 * workspace (it holds exactly that UUID) and explained for the others.
 */
export function uuid(option: string, value: unknown, problems: Problems, kind: UuidKind): string | undefined {
  if (!isString(option, value, problems, `the ${kind} UUID`)) return undefined;
  let v = trimmed(option, value, problems);
  const where = kind === 'deployment'
    ? `${OIDC_SCREEN} (Deployment environments), or the deploymentEnvironmentUuid claim of a deployment step's token`
    : OIDC_SCREEN;
  if (v.startsWith(AUDIENCE_PREFIX) || v.startsWith('ari:cloud:')) {
    if (kind === 'workspace' && v.startsWith(AUDIENCE_PREFIX)) {
      const inner = v.slice(AUDIENCE_PREFIX.length).replace(/^\{|\}$/g, '');
      if (UUID.test(inner.toLowerCase())) {
        problems.warn(option, `took the workspace UUID "${inner.toLowerCase()}" out of the audience string ${show(value)}`);
        return inner.toLowerCase();
      }
    }
    problems.error(option, value, `is an audience string, which holds the workspace UUID, not the ${kind} UUID; copy the ${kind} UUID from ${where}`);
    return undefined;
  }
  const braced = /^\{(.*)\}$/.exec(v);
  if (braced) v = braced[1];
  const lower = v.toLowerCase();
  if (!UUID.test(lower)) {
    problems.error(option, value, `is not a UUID (expected {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, braces optional); copy the ${kind} UUID from ${where}`);
    return undefined;
  }
  return lower;
}

/**
 * A 12-digit account ID. The command line turns digit-only values into
 * numbers, which lose leading zeros: a number is padded back, with a warning.
 */
export function accountId(option: string, value: unknown, problems: Problems): string | undefined {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < 1e12) {
      const padded = String(value).padStart(12, '0');
      if (padded !== String(value)) {
        problems.warn(option, `the account ID was given as the number ${value}, which lost its leading zeros; using "${padded}". Write it as a string in .projenrc.ts`);
      }
      return padded;
    }
    problems.error(option, value, 'an AWS account ID has 12 digits; write it as a string, e.g. "012345678901"');
    return undefined;
  }
  if (!isString(option, value, problems, 'a 12-digit AWS account ID')) return undefined;
  const v = trimmed(option, value, problems);
  if (/^\d{4}-\d{4}-\d{4}$/.test(v)) {
    const joined = v.replace(/-/g, '');
    problems.warn(option, `removed the hyphens the AWS console shows in ${show(value)}; using "${joined}"`);
    return joined;
  }
  if (!/^\d+$/.test(v)) {
    problems.error(option, value, 'an AWS account ID has 12 digits and nothing else (AWS console → account menu → Account ID)');
    return undefined;
  }
  if (v.length !== 12) {
    const hint = v.length < 12 ? `; if it lost leading zeros, write "${v.padStart(12, '0')}" as a string` : '';
    problems.error(option, value, `an AWS account ID has 12 digits, this has ${v.length}${hint}`);
    return undefined;
  }
  return v;
}

const REGION = /^(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-(?:[a-z]+)-\d{1,2}$/;

export function region(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'an AWS region')) return undefined;
  const v = trimmed(option, value, problems);
  if (/^us-iso[a-z]?-|^eu-isoe-/.test(v)) {
    problems.error(option, value, 'the isolated partitions (aws-iso*) are not supported: Bitbucket Cloud cannot reach them');
    return undefined;
  }
  const lower = v.toLowerCase();
  if (!REGION.test(lower)) {
    problems.error(option, value, 'expected an AWS region code such as "eu-west-1", "us-east-1", "cn-north-1" or "us-gov-west-1"');
    return undefined;
  }
  if (lower !== v) problems.warn(option, `region codes are lower case; using "${lower}"`);
  return lower;
}

export const ENVIRONMENT_NAME = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;

export function environmentName(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'an environment name')) return undefined;
  const v = trimmed(option, value, problems);
  if (v === '') {
    problems.error(option, value, 'is empty; name the environment, e.g. "production"');
    return undefined;
  }
  if (!ENVIRONMENT_NAME.test(v) || v.endsWith('-') || v.includes('--')) {
    problems.error(option, value, 'an environment name becomes a task name (deploy:<name>), a CDK stage ID and part of an IAM role name: use letters, digits and single hyphens, starting with a letter, at most 32 characters (e.g. "prod-eu")');
    return undefined;
  }
  return v;
}

/** Bitbucket deployment environment names: free text, but not empty and one line. */
export function deploymentName(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a Bitbucket deployment environment name')) return undefined;
  const v = trimmed(option, value, problems);
  if (v === '' || /[\r\n]/.test(v) || v.length > 100) {
    problems.error(option, value, 'give the name of the environment as shown in Repository settings → Deployments (one line, at most 100 characters)');
    return undefined;
  }
  return v;
}

export function roleName(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'an IAM role name')) return undefined;
  const v = trimmed(option, value, problems);
  if (v.startsWith('arn:')) {
    problems.error(option, value, `give the role name, not its ARN (here "${v.split('/').pop()}")`);
    return undefined;
  }
  if (!/^[\w+=,.@-]{1,64}$/.test(v)) {
    problems.error(option, value, `an IAM role name has 1 to 64 characters from letters, digits and + = , . @ _ - (this has ${v.length})`);
    return undefined;
  }
  return v;
}

export function sessionHours(option: string, value: unknown, problems: Problems): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 12) {
    problems.error(option, value, 'IAM allows a maximum session duration of 1 to 12 whole hours');
    return undefined;
  }
  return value;
}

export function bootstrapQualifier(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a CDK bootstrap qualifier')) return undefined;
  const v = trimmed(option, value, problems);
  // Same rule as the CDK's DefaultStackSynthesizer.
  if (!/^[A-Za-z0-9_-]{1,10}$/.test(v)) {
    problems.error(option, value, 'the CDK accepts qualifiers of 1 to 10 letters, digits, "_" or "-"; it is the --qualifier given to `cdk bootstrap` (default "hnb659fds")');
    return undefined;
  }
  return v;
}

export function managedPolicyName(option: string, value: unknown, problems: Problems, kind: 'aws' | 'customer'): string | undefined {
  if (!isString(option, value, problems, 'a managed policy name')) return undefined;
  const v = trimmed(option, value, problems);
  const arn = /^arn:aws[a-z-]*:iam::([^:]*):policy\/(?:.*\/)?([^/]+)$/.exec(v);
  if (arn) {
    const owner = arn[1] === 'aws' ? 'AWS managed' : 'customer managed';
    const hint = kind === 'aws' && arn[1] !== 'aws'
      ? `; this option takes AWS managed policies only, and "${arn[2]}" is a customer managed one: attach it with an escape hatch or use deployRolePermissionsBoundary`
      : `: write "${arn[2]}"`;
    problems.error(option, value, `give the ${owner} policy's name, not its ARN${hint}`);
    return undefined;
  }
  if (!/^[\w+=,.@-]{1,128}$/.test(v)) {
    problems.error(option, value, 'a managed policy name has 1 to 128 characters from letters, digits and + = , . @ _ - (for example "ReadOnlyAccess")');
    return undefined;
  }
  return v;
}

export function thumbprint(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a certificate thumbprint')) return undefined;
  const v = trimmed(option, value, problems).replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(v)) {
    problems.error(option, value, 'a thumbprint is the 40-hex-digit SHA-1 fingerprint of a certificate');
    return undefined;
  }
  return v;
}

export const STEP_SIZES = ['1x', '2x', '4x', '8x', '16x', '32x'];

export function stepSize(option: string, value: unknown, problems: Problems): string | undefined {
  if (typeof value !== 'string' || !STEP_SIZES.includes(value.trim())) {
    problems.error(option, value, `Bitbucket step sizes are ${STEP_SIZES.join(', ')} (4x and above need runners or a paid plan)`);
    return undefined;
  }
  return value.trim();
}

export function maxTime(option: string, value: unknown, problems: Problems): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 720) {
    problems.error(option, value, 'Bitbucket accepts a max-time of 1 to 720 whole minutes');
    return undefined;
  }
  return value;
}

export function dockerImage(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a Docker image name')) return undefined;
  const v = trimmed(option, value, problems);
  if (!/^[a-z0-9][\w./:@-]*$/i.test(v)) {
    problems.error(option, value, 'expected a Docker image such as "node:22" or "public.ecr.aws/docker/library/node:22"');
    return undefined;
  }
  return v;
}

export function branchName(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a branch name')) return undefined;
  const v = trimmed(option, value, problems);
  if (v === '' || /[\s~^:?*[\\]|\.\.|^\/|\/$/.test(v)) {
    problems.error(option, value, 'expected a git branch name such as "main"');
    return undefined;
  }
  return v;
}
