import { WHERE } from './input';
import { Problems, show } from './problems';
import * as parse from './values';
import * as naming from '../core/naming';
import type { ResolvedDeployEnvironment } from '../settings';

/** Fields of `DeployEnvironment`; anything else is a typo that would be ignored silently. */
const FIELDS = ['name', 'account', 'region', 'bitbucketDeployment', 'bitbucketDeploymentUuid', 'manualApproval', 'wave', 'deployRoleName'];

interface EnvironmentInput {
  /** `deployEnvironments[i]`, or '' for the deployAccount/deployRegion shortcut. */
  readonly option: string;
  readonly value: Record<string, unknown>;
}

export interface EnvironmentContext {
  readonly projectName: string;
  readonly workspaceUuid?: string;
  readonly repositoryUuid?: string;
}

/** Validates every environment and what must differ between them. */
export function resolveEnvironments(p: Problems, o: Record<string, unknown>, ctx: EnvironmentContext): ResolvedDeployEnvironment[] {
  const result: ResolvedDeployEnvironment[] = [];
  const unique = uniqueness(p);
  const uuidsByName = deploymentUuidsByName(p, o.bitbucketDeploymentUuids);
  const waves = waveOrder(p);
  for (const { option, value: e } of environmentInputs(p, o)) {
    // The shortcut's values are reported under their own option names.
    const at = (field: string) => (option === '' ? SHORTCUT_OPTIONS[field] ?? field : `${option}.${field}`);
    for (const key of Object.keys(e).filter((k) => !FIELDS.includes(k))) {
      const near = FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
      p.error(at(key), e[key], `Unknown field${near ? `; did you mean ${near}?` : `. Known fields: ${FIELDS.join(', ')}.`}`);
    }
    const name = e.name === undefined && option !== ''
      ? (p.error(at('name'), undefined, 'Required: name the environment, e.g. "production".'), undefined)
      : parse.environmentName(at('name'), e.name, p);
    const account = e.account === undefined
      ? (p.error(at('account'), undefined, `Required: the 12-digit AWS account ID (${WHERE.account}).`), undefined)
      : parse.accountId(at('account'), e.account, p);
    const region = e.region === undefined
      ? (p.error(at('region'), undefined, 'Required: the AWS region code, e.g. "eu-west-1".'), undefined)
      : parse.region(at('region'), e.region, p);
    const bitbucketDeployment = e.bitbucketDeployment === undefined ? name : parse.deploymentName(at('bitbucketDeployment'), e.bitbucketDeployment, p);
    // The environment's own UUID, or the one given by its name in bitbucketDeploymentUuids.
    const byName = name === undefined ? undefined : uuidsByName.take(name);
    const own = e.bitbucketDeploymentUuid === undefined ? undefined : parse.uuid(at('bitbucketDeploymentUuid'), e.bitbucketDeploymentUuid, p, 'deployment environment');
    const named = byName && parse.uuid(byName.option, byName.value, p, 'deployment environment');
    if (own && named && own !== named) {
      p.error(byName!.option, byName!.value, `Differs from ${at('bitbucketDeploymentUuid')} ${show(e.bitbucketDeploymentUuid)}. Give the UUID of "${name}" once.`);
    }
    const [uuidAt, uuidGiven] = e.bitbucketDeploymentUuid === undefined && byName ? [byName.option, byName.value] : [at('bitbucketDeploymentUuid'), e.bitbucketDeploymentUuid];
    const deploymentUuid = own ?? named;
    if (deploymentUuid && (deploymentUuid === ctx.workspaceUuid || deploymentUuid === ctx.repositoryUuid)) {
      const which = deploymentUuid === ctx.workspaceUuid ? 'bitbucketWorkspaceUuid' : 'bitbucketRepositoryUuid';
      p.error(uuidAt, uuidGiven, `Equals ${which}. Copy the deployment environment's own UUID from ${WHERE.oidc} (Deployment environments).`);
    }
    const manualApproval = e.manualApproval ?? false;
    if (typeof manualApproval !== 'boolean') p.error(at('manualApproval'), manualApproval, 'Expected true or false.');
    const customRole = e.deployRoleName === undefined ? undefined : parse.roleName(at('deployRoleName'), e.deployRoleName, p);
    const wave = e.wave === undefined ? undefined : parse.waveName(at('wave'), e.wave, p);
    if (name !== undefined) waves.add(wave, name, at, manualApproval === true, looksLikeProduction(name) || (typeof bitbucketDeployment === 'string' && looksLikeProduction(bitbucketDeployment)));

    if (!name || !account || !region || !bitbucketDeployment) continue;
    const logicalId = naming.deployRoleLogicalId(name);
    // One clash, one message: a repeated name would also repeat its logical ID and role name.
    const nameIsNew = unique('name', name.toLowerCase(), at('name'), e.name, 'Environment names must differ (compared without case: they become role names).')
      && unique('logicalId', logicalId, at('name'), e.name, `Gives the same deploy role logical ID (${logicalId}); names must differ by more than case and hyphens.`);
    unique('deployment', bitbucketDeployment.toLowerCase(), at('bitbucketDeployment'), bitbucketDeployment, 'A Bitbucket deployment environment may appear once per pipeline (names compared without case); give each environment its own bitbucketDeployment.');
    if (deploymentUuid) unique('uuid', deploymentUuid, uuidAt, uuidGiven, 'Each environment needs its own Bitbucket deployment environment UUID.');
    const deployRoleName = customRole ?? naming.deployRoleName(ctx.projectName, name, ctx.repositoryUuid ?? '');
    if (nameIsNew || customRole) unique('role', deployRoleName.toLowerCase(), at('deployRoleName'), deployRoleName, 'Each environment needs its own deploy role (IAM role names are compared without case).');

    warnRisks(p, at, name, bitbucketDeployment, deploymentUuid, manualApproval === true);
    const partition = naming.partitionOf(region);
    result.push({
      name,
      account,
      region,
      partition,
      bitbucketDeployment,
      bitbucketDeploymentUuid: deploymentUuid,
      manualApproval: manualApproval === true,
      wave,
      deployRoleName,
      deployRoleArn: naming.roleArn(partition, account, deployRoleName),
      deployRoleLogicalId: logicalId,
    });
  }
  uuidsByName.reportUnknown(result.map((env) => env.name));
  return result;
}

/**
 * A wave becomes one parallel set, so its environments must follow each
 * other, and they share one trigger (Bitbucket documents manual triggers for
 * steps and stages, not for the steps of a parallel set).
 */
function waveOrder(p: Problems) {
  const waves = new Map<string, { names: string[]; manual: boolean; manualAt: string; production: boolean; warned: boolean }>();
  let previous: { wave?: string; name: string } | undefined;
  return {
    add(wave: string | undefined, name: string, at: (field: string) => string, manual: boolean, production: boolean): void {
      if (wave !== undefined) {
        const seen = waves.get(wave);
        if (seen && previous?.wave !== wave) {
          p.error(at('wave'), wave, `The wave "${wave}" (${seen.names.map((n) => `"${n}"`).join(', ')}) is split by "${previous?.name}". A wave deploys as one parallel set: list its environments consecutively in deployEnvironments.`);
        } else if (seen && seen.manual !== manual) {
          p.error(at('manualApproval'), manual, `The environments of the wave "${wave}" need the same manualApproval (${seen.manualAt} is ${seen.manual}): the wave starts as one, after one manual step when it is manual.`);
        }
        // Bitbucket refuses deployment environments of different types (Test, Staging, Production) in one parallel set;
        // the type is set in Bitbucket, so only a name that looks like production next to one that does not can be seen here.
        if (seen && seen.production !== production && !seen.warned) {
          seen.warned = true;
          p.warn(at('wave'), `the wave "${wave}" puts "${name}" next to ${seen.names.map((n) => `"${n}"`).join(', ')}, and only some of them look like production: Bitbucket requires every deployment environment of a parallel set to be of the same type (Test, Staging or Production, in Repository settings → Deployments), or it refuses the pipeline.`);
        }
        if (seen) seen.names.push(name);
        else waves.set(wave, { names: [name], manual, manualAt: at('manualApproval'), production, warned: false });
      }
      previous = { wave, name };
    },
  };
}

/** `bitbucketDeploymentUuids`: taken by name as environments are resolved; names left over are errors. */
function deploymentUuidsByName(p: Problems, value: unknown) {
  const entries = new Map<string, unknown>();
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    p.error('bitbucketDeploymentUuids', value, 'Expected a map from environment name to deployment environment UUID, e.g. { production: "{a1b2c3d4-...}" }.');
  } else {
    for (const [name, uuid] of Object.entries(value ?? {})) entries.set(name, uuid);
  }
  return {
    take(name: string): { option: string; value: unknown } | undefined {
      if (!entries.has(name)) return undefined;
      const taken = { option: `bitbucketDeploymentUuids.${name}`, value: entries.get(name) };
      entries.delete(name);
      return taken;
    },
    reportUnknown(known: string[]): void {
      for (const [name, uuid] of entries) {
        const near = known.find((k) => k.toLowerCase() === name.toLowerCase());
        p.error(`bitbucketDeploymentUuids.${name}`, uuid, `No environment is named ${JSON.stringify(name)}${near ? `; did you mean ${JSON.stringify(near)}?` : '.'} Known environments: ${known.map((k) => JSON.stringify(k)).join(', ') || '(none)'}.`);
      }
    },
  };
}

/** Production-like names: "prod", "production", "prd", "live", also as a part ("prod-eu"), not "preprod". */
export function looksLikeProduction(name: string): boolean {
  return /(^|[^a-z])(prod|production|prd|live)([^a-z]|$)/i.test(name) && !/pre-?prod/i.test(name);
}

function warnRisks(p: Problems, at: (field: string) => string, name: string, deployment: string, uuid: string | undefined, manual: boolean): void {
  if (!uuid) {
    p.warn(at('bitbucketDeploymentUuid'), `not set for "${name}": any pipeline step of the repository (any branch, any pull request) can assume its deploy role. Copy the UUID of the "${deployment}" deployment environment from ${WHERE.oidc}.`);
  }
  if (!manual && (looksLikeProduction(name) || looksLikeProduction(deployment))) {
    p.warn(at('manualApproval'), `"${name}" looks like production but deploys on every push to the main branch without manual approval; set manualApproval: true to require a person to start it.`);
  }
}

type UniqueKind = 'name' | 'logicalId' | 'deployment' | 'uuid' | 'role';

/** Reports a value already used by an earlier environment, naming that one. */
function uniqueness(p: Problems) {
  const seen = new Map<string, string>();
  return (kind: UniqueKind, key: string, option: string, value: unknown, why: string) => {
    const first = seen.get(`${kind}\0${key}`);
    if (first !== undefined) {
      p.error(option, value, `Also used by ${first}. ${why}`);
      return false;
    }
    seen.set(`${kind}\0${key}`, option);
    return true;
  };
}

/** Where the shortcut's fields come from, for messages. */
const SHORTCUT_OPTIONS: Record<string, string> = {
  name: 'deployEnvironments',
  account: 'deployAccount',
  region: 'deployRegion',
  bitbucketDeploymentUuid: 'deployBitbucketDeploymentUuid',
};

function environmentInputs(p: Problems, o: Record<string, unknown>): EnvironmentInput[] {
  const envs = o.deployEnvironments;
  const shortcut = ['deployAccount', 'deployRegion', 'deployBitbucketDeploymentUuid'].filter((key) => o[key] !== undefined);
  if (envs !== undefined) {
    for (const key of shortcut) {
      p.error(key, o[key], `Cannot be combined with deployEnvironments: move it into deployEnvironments and remove ${shortcut.join(', ')}.`);
    }
    if (!Array.isArray(envs) || envs.length === 0) {
      p.error('deployEnvironments', envs, 'Expected a non-empty list of { name, account, region }.');
      return [];
    }
    return envs.map((value, i) => {
      const option = `deployEnvironments[${i}]`;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        p.error(option, value, 'Expected { name, account, region }.');
        return { option, value: {} };
      }
      return { option, value: value as Record<string, unknown> };
    });
  }
  if (shortcut.length === 0) {
    p.error('deployEnvironments', undefined, 'Say where to deploy: deployAccount and deployRegion (one environment, "production"; on the command line --deploy-account 012345678901 --deploy-region eu-west-1), or deployEnvironments.');
    return [];
  }
  // The shortcut's single environment is production: gated by a person, like the validation advises for any production.
  return [{
    option: '',
    value: { name: 'production', account: o.deployAccount, region: o.deployRegion, bitbucketDeploymentUuid: o.deployBitbucketDeploymentUuid, manualApproval: true },
  }];
}
