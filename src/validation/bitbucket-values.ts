import { isString, trimmed, WHERE } from './input';
import { Problems } from './problems';
import { AUDIENCE_PREFIX, ISSUER_URL_PREFIX } from '../core/naming';
import { MAX_DEPLOYMENT_NAME_LENGTH } from '../pipeline/bitbucket-limits';

/**
 * Parsers for Bitbucket identifiers. Each returns the normalised value, or
 * undefined after recording an error that names the option, the value and the fix.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Leaves room in the issuer URL for IAM's 255-character provider URL limit. */
const MAX_SLUG = 180;

/**
 * The workspace ID ("slug") as in bitbucket.org/<workspace>/<repository>: it is
 * part of the OIDC issuer URL. Bitbucket allows lower-case letters, digits,
 * "-" and "_"; URLs are case-insensitive, so upper case is lowered with a warning.
 */
export function workspaceSlug(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'the workspace ID (slug)')) return undefined;
  let v = trimmed(option, value, problems);
  const fix = 'the workspace ID, the first part of bitbucket.org/<workspace>/<repository>';
  if (v === '') {
    problems.error(option, value, `Empty. Give ${fix} (also in the issuer URL under ${WHERE.oidc}).`);
    return undefined;
  }
  const guess = slugInUrl(v);
  if (guess !== undefined || /[/:]/.test(v)) {
    problems.error(option, value, `A URL or path, not the workspace ID. Give only ${fix}${guess ? `: here "${guess}"` : ''}.`);
    return undefined;
  }
  if (UUID_ANYWHERE.test(v)) {
    problems.error(option, value, `The workspace UUID, not its ID. Give ${fix}; the UUID belongs in bitbucketWorkspaceUuid.`);
    return undefined;
  }
  if (/^[A-Za-z0-9_-]+$/.test(v) && v !== v.toLowerCase()) {
    problems.warn(option, `workspace IDs are lower case in Bitbucket URLs and OIDC issuers; using "${v.toLowerCase()}".`);
    v = v.toLowerCase();
  }
  if (!/^[a-z0-9_-]+$/.test(v) || v.length > MAX_SLUG) {
    problems.error(option, value, `Not a workspace ID: Bitbucket allows only lower-case letters, digits, "-" and "_". Give ${fix}.`);
    return undefined;
  }
  return v;
}

/** The workspace in a pasted repository, clone or issuer URL. */
function slugInUrl(v: string): string | undefined {
  const issuer = ISSUER_URL_PREFIX.replace(/^https:\/\//, '');
  const i = v.indexOf(issuer);
  if (i >= 0) return v.slice(i + issuer.length).split('/')[0].toLowerCase() || undefined;
  const m = /bitbucket\.org[/:]([^/:]+)/i.exec(v);
  return m ? m[1].toLowerCase() : undefined;
}

export type UuidKind = 'workspace' | 'repository' | 'deployment environment';

/**
 * Accepts `{uuid}` (as Bitbucket shows it) or `uuid`, any case; returns it lower
 * case without braces. The audience `ari:cloud:bitbucket::workspace/<uuid>`
 * holds exactly the workspace UUID: accepted for the workspace with a
 * warning, explained for the others.
 */
export function uuid(option: string, value: unknown, problems: Problems, kind: UuidKind): string | undefined {
  if (!isString(option, value, problems, `the ${kind} UUID`)) return undefined;
  const v = trimmed(option, value, problems);
  const where = kind === 'deployment environment'
    ? `${WHERE.oidc} (Deployment environments), or the deploymentEnvironmentUuid claim of a deployment step's token`
    : `${WHERE.oidc} (${kind === 'workspace' ? 'in Audience' : 'Repository UUID'})`;
  if (v.startsWith('ari:cloud:')) {
    const inner = v.startsWith(AUDIENCE_PREFIX) ? v.slice(AUDIENCE_PREFIX.length).replace(/^\{(.*)\}$/, '$1').toLowerCase() : '';
    if (kind === 'workspace' && UUID.test(inner)) {
      problems.warn(option, `took the workspace UUID "${inner}" out of the audience "${v}".`);
      return inner;
    }
    const holds = UUID.test(inner) ? 'holds the workspace UUID' : 'has no UUID';
    problems.error(option, value, `An audience string; it ${holds}, not the ${kind} UUID. Copy the ${kind} UUID from ${where}.`);
    return undefined;
  }
  const bare = v.replace(/^\{(.*)\}$/, '$1').toLowerCase();
  if (!UUID.test(bare)) {
    problems.error(option, value, `Not a UUID: expected {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} (braces optional). Copy the ${kind} UUID from ${where}.`);
    return undefined;
  }
  return bare;
}

/** Bitbucket deployment environment names: free text, one line. */
export function deploymentName(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a Bitbucket deployment environment name')) return undefined;
  const v = trimmed(option, value, problems);
  if (v === '' || /[\r\n\t]/.test(v) || v.length > MAX_DEPLOYMENT_NAME_LENGTH) {
    problems.error(option, value, `Expected the name of a deployment environment as shown in ${WHERE.deployments} (one line, at most ${MAX_DEPLOYMENT_NAME_LENGTH} characters), e.g. "Production".`);
    return undefined;
  }
  return v;
}
