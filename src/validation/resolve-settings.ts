import * as path from 'path';
import { Problems, show } from './problems';
import * as parse from './values';
import type { BitbucketCdkAppOptions } from '../bitbucket-cdk-app-options';
import * as naming from '../core/naming';
import type { ResolvedDeployEnvironment, ResolvedOidcAccount, ResolvedSettings } from '../settings';
import { DEFAULT_BOOTSTRAP_QUALIFIER, DEFAULT_CDK_CLI_VERSION, DEFAULT_NODE_MAJOR } from '../versions';

/**
 * Validates and normalises the options this package adds (and the inherited
 * ones it relies on). Collects every problem and throws one
 * `BitbucketCdkOptionsError` listing them all; runs before the project
 * exists, so a bad option writes nothing.
 */
export function resolveSettings(options: BitbucketCdkAppOptions): ResolvedSettings {
  const p = new Problems();
  const o = options as unknown as Record<string, unknown>;

  const workspace = required(p, o, 'bitbucketWorkspace', (opt, v) => parse.workspaceSlug(opt, v, p));
  const workspaceUuid = required(p, o, 'bitbucketWorkspaceUuid', (opt, v) => parse.uuid(opt, v, p, 'workspace'));
  const repositoryUuid = required(p, o, 'bitbucketRepositoryUuid', (opt, v) => parse.uuid(opt, v, p, 'repository'));
  if (workspaceUuid && repositoryUuid && workspaceUuid === repositoryUuid) {
    p.error('bitbucketRepositoryUuid', o.bitbucketRepositoryUuid, `equals bitbucketWorkspaceUuid; the OpenID Connect page (${'Repository settings → Pipelines → OpenID Connect'}) shows the workspace UUID in the audience and the repository UUID separately`);
  }

  const projectName = typeof options.name === 'string' && options.name.trim() !== ''
    ? options.name.trim()
    : path.basename(path.resolve(options.outdir ?? '.'));
  const mainBranch = options.defaultReleaseBranch === undefined
    ? 'main'
    : parse.branchName('defaultReleaseBranch', options.defaultReleaseBranch, p) ?? 'main';

  const environments = resolveEnvironments(p, o, projectName, repositoryUuid ?? '00000000');
  const oidcAccounts = resolveAccounts(p, o, environments, projectName, workspace ?? '', repositoryUuid ?? '00000000');

  const thumbprints = list(p, o, 'oidcThumbprints', (opt, v) => parse.thumbprint(opt, v, p));
  if (thumbprints.length > 5) p.error('oidcThumbprints', o.oidcThumbprints, 'an OIDC provider holds at most 5 thumbprints');
  const managedPolicies = list(p, o, 'deployRoleManagedPolicies', (opt, v) => parse.managedPolicyName(opt, v, p, 'aws'));
  if (managedPolicies.includes('AdministratorAccess')) {
    p.warn('deployRoleManagedPolicies', 'AdministratorAccess lets every deploy role (and so every pipeline step that can assume it) do anything in its account; `cdk deploy` needs only the bootstrap roles, which the roles may assume anyway');
  }
  const permissionsBoundary = optional(p, o, 'deployRolePermissionsBoundary', (opt, v) => parse.managedPolicyName(opt, v, p, 'customer'));

  const settings: ResolvedSettings = {
    projectName,
    workspace: workspace ?? '',
    workspaceUuid: workspaceUuid ?? '',
    repositoryUuid: repositoryUuid ?? '',
    issuerUrl: naming.issuerUrl(workspace ?? ''),
    issuerHost: naming.issuerHost(workspace ?? ''),
    audience: naming.audience(workspaceUuid ?? ''),
    environments,
    oidcAccounts,
    oidcThumbprints: thumbprints,
    bootstrapQualifier: optional(p, o, 'cdkBootstrapQualifier', (opt, v) => parse.bootstrapQualifier(opt, v, p)) ?? DEFAULT_BOOTSTRAP_QUALIFIER,
    managedPolicies,
    permissionsBoundary,
    maxSessionHours: optional(p, o, 'deployRoleMaxSessionHours', (opt, v) => parse.sessionHours(opt, v, p)) ?? 1,
    cdkCliVersion: options.cdkCliVersion ?? DEFAULT_CDK_CLI_VERSION,
    pipelineImage: optional(p, o, 'pipelineImage', (opt, v) => parse.dockerImage(opt, v, p)) ?? `node:${nodeMajor(options.workflowNodeVersion)}`,
    pipelineStepSize: optional(p, o, 'pipelineStepSize', (opt, v) => parse.stepSize(opt, v, p)) ?? '2x',
    pipelineMaxTime: optional(p, o, 'pipelineMaxTime', (opt, v) => parse.maxTime(opt, v, p)) ?? 30,
    pullRequestPipeline: options.pullRequestPipeline ?? true,
    mainBranch,
    warnings: p.warnings,
  };
  p.throwIfAny();
  return settings;
}

function nodeMajor(version?: string): string {
  const m = version ? /^\D*(\d+)/.exec(version) : null;
  return m ? m[1] : DEFAULT_NODE_MAJOR;
}

type Parser<T> = (option: string, value: unknown) => T | undefined;

function required<T>(p: Problems, o: Record<string, unknown>, key: string, parser: Parser<T>): T | undefined {
  if (o[key] === undefined || o[key] === null) {
    p.error(key, o[key], `is required; ${requiredHint(key)}`);
    return undefined;
  }
  return parser(key, o[key]);
}

function requiredHint(key: string): string {
  switch (key) {
    case 'bitbucketWorkspace':
      return 'give the workspace slug from bitbucket.org/<workspace>/<repository>';
    case 'bitbucketWorkspaceUuid':
      return 'copy it from Repository settings → Pipelines → OpenID Connect (the UUID in "Audience")';
    case 'bitbucketRepositoryUuid':
      return 'copy it from Repository settings → Pipelines → OpenID Connect ("Repository UUID")';
    default:
      return 'set it in .projenrc.ts';
  }
}

function optional<T>(_p: Problems, o: Record<string, unknown>, key: string, parser: Parser<T>): T | undefined {
  return o[key] === undefined ? undefined : parser(key, o[key]);
}

function list<T>(p: Problems, o: Record<string, unknown>, key: string, parser: Parser<T>): T[] {
  const value = o[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    p.error(key, value, 'expected a list');
    return [];
  }
  return value.map((v, i) => parser(`${key}[${i}]`, v)).filter((v): v is T => v !== undefined);
}

interface EnvironmentInput {
  readonly option: string;
  readonly value: Record<string, unknown>;
}

function environmentInputs(p: Problems, o: Record<string, unknown>): EnvironmentInput[] {
  const envs = o.deployEnvironments;
  const shortcut = o.deployAccount !== undefined || o.deployRegion !== undefined;
  if (envs !== undefined) {
    if (shortcut) {
      for (const key of ['deployAccount', 'deployRegion']) {
        if (o[key] !== undefined) {
          p.error(key, o[key], 'cannot be combined with deployEnvironments; move the account and region into deployEnvironments and remove deployAccount and deployRegion');
        }
      }
    }
    if (!Array.isArray(envs) || envs.length === 0) {
      p.error('deployEnvironments', envs, 'expected a non-empty list of { name, account, region }');
      return [];
    }
    return envs.map((value, i) => {
      const option = `deployEnvironments[${i}]`;
      if (typeof value !== 'object' || value === null) {
        p.error(option, value, 'expected { name, account, region }');
        return { option, value: {} };
      }
      return { option, value: value as Record<string, unknown> };
    });
  }
  if (!shortcut) {
    p.error('deployEnvironments', undefined, 'say where to deploy: either deployAccount and deployRegion (one environment named "production"; on the command line --deploy-account 012345678901 --deploy-region eu-west-1) or deployEnvironments');
    return [];
  }
  for (const key of ['deployAccount', 'deployRegion']) {
    if (o[key] === undefined) p.error(key, undefined, 'is required together with ' + (key === 'deployAccount' ? 'deployRegion' : 'deployAccount'));
  }
  return [{ option: '', value: { name: 'production', account: o.deployAccount, region: o.deployRegion } }];
}

function resolveEnvironments(p: Problems, o: Record<string, unknown>, projectName: string, repositoryUuid: string): ResolvedDeployEnvironment[] {
  const result: ResolvedDeployEnvironment[] = [];
  const seen = {
    name: new Map<string, string>(),
    deployment: new Map<string, string>(),
    uuid: new Map<string, string>(),
    role: new Map<string, string>(),
    logicalId: new Map<string, string>(),
  };
  const unique = (kind: keyof typeof seen, key: string, option: string, value: unknown, what: string) => {
    const first = seen[kind].get(key);
    if (first !== undefined) {
      p.error(option, value, `${what} is also used by ${first}; every environment needs its own`);
    } else {
      seen[kind].set(key, option);
    }
  };

  for (const { option, value: e } of environmentInputs(p, o)) {
    // The shortcut's values are reported under their own option names.
    const at = (field: string) => (option === '' ? { name: 'deployEnvironments', account: 'deployAccount', region: 'deployRegion' }[field] ?? field : `${option}.${field}`);
    const name = e.name === undefined && option !== ''
      ? (p.error(at('name'), undefined, 'is required, e.g. "production"'), undefined)
      : parse.environmentName(at('name'), e.name, p);
    const account = e.account === undefined
      ? (p.error(at('account'), undefined, 'is required: the 12-digit AWS account ID'), undefined)
      : parse.accountId(at('account'), e.account, p);
    const region = e.region === undefined
      ? (p.error(at('region'), undefined, 'is required, e.g. "eu-west-1"'), undefined)
      : parse.region(at('region'), e.region, p);
    const bitbucketDeployment = e.bitbucketDeployment === undefined ? name : parse.deploymentName(at('bitbucketDeployment'), e.bitbucketDeployment, p);
    const bitbucketDeploymentUuid = e.bitbucketDeploymentUuid === undefined ? undefined : parse.uuid(at('bitbucketDeploymentUuid'), e.bitbucketDeploymentUuid, p, 'deployment');
    const manualApproval = e.manualApproval === undefined ? false : e.manualApproval;
    if (typeof manualApproval !== 'boolean') p.error(at('manualApproval'), manualApproval, 'expected true or false');
    const customRole = e.deployRoleName === undefined ? undefined : parse.roleName(at('deployRoleName'), e.deployRoleName, p);

    if (!name || !account || !region || !bitbucketDeployment) continue;
    unique('name', name.toLowerCase(), at('name'), e.name, `the environment name "${name}" (names are compared without case: they become IAM role names)`);
    unique('logicalId', naming.deployRoleLogicalId(name), at('name'), e.name, `the environment name "${name}" gives the same deploy role logical ID (${naming.deployRoleLogicalId(name)}) as another name and`);
    unique('deployment', bitbucketDeployment.toLowerCase(), at('bitbucketDeployment'), bitbucketDeployment, `the Bitbucket deployment "${bitbucketDeployment}" (Bitbucket allows each deployment environment once per pipeline)`);
    if (bitbucketDeploymentUuid) unique('uuid', bitbucketDeploymentUuid, at('bitbucketDeploymentUuid'), e.bitbucketDeploymentUuid, 'this deployment environment UUID');

    const deployRoleName = customRole ?? naming.deployRoleName(projectName, name, repositoryUuid);
    unique('role', deployRoleName.toLowerCase(), at('deployRoleName'), deployRoleName, `the role name "${deployRoleName}"`);
    const partition = naming.partitionOf(region);

    if (!bitbucketDeploymentUuid) {
      p.warn(at('bitbucketDeploymentUuid'), `not set for environment "${name}": every pipeline step of the repository (any branch, any pull request) can assume its deploy role. Copy the UUID of the "${bitbucketDeployment}" deployment environment from Repository settings → Pipelines → OpenID Connect`);
    }
    if (/prod/i.test(name) || /prod/i.test(bitbucketDeployment)) {
      if (!manualApproval) p.warn(at('manualApproval'), `environment "${name}" looks like production but deploys without manual approval on every push to the main branch`);
    }

    result.push({
      name,
      account,
      region,
      partition,
      bitbucketDeployment,
      bitbucketDeploymentUuid,
      manualApproval: manualApproval === true,
      deployRoleName,
      deployRoleArn: naming.roleArn(partition, account, deployRoleName),
      deployRoleLogicalId: naming.deployRoleLogicalId(name),
    });
  }
  return result;
}

function resolveAccounts(
  p: Problems,
  o: Record<string, unknown>,
  environments: ResolvedDeployEnvironment[],
  projectName: string,
  workspace: string,
  repositoryUuid: string,
): ResolvedOidcAccount[] {
  const existing = list(p, o, 'oidcProviderExistsInAccounts', (opt, v) => parse.accountId(opt, v, p));
  const byAccount = new Map<string, ResolvedDeployEnvironment[]>();
  for (const env of environments) {
    byAccount.set(env.account, [...(byAccount.get(env.account) ?? []), env]);
  }
  existing.forEach((account, i) => {
    if (!byAccount.has(account)) {
      p.error(`oidcProviderExistsInAccounts[${i}]`, account, `no deploy environment uses this account (they use ${[...byAccount.keys()].map((a) => show(a)).join(', ') || 'none'}); remove it or fix the account ID`);
    }
  });
  return [...byAccount.entries()].map(([account, envs]) => {
    const partitions = new Set(envs.map((e) => e.partition));
    if (partitions.size > 1) {
      p.error('deployEnvironments', envs.map((e) => e.region), `account ${account} is used with regions of different partitions (${[...partitions].join(', ')}); an account belongs to one partition`);
    }
    const first = envs[0];
    return {
      account,
      region: first.region,
      partition: first.partition,
      stackId: naming.oidcStackId(account),
      stackName: naming.oidcStackName(projectName, repositoryUuid),
      providerExists: existing.includes(account),
      providerArn: naming.oidcProviderArn(first.partition, account, workspace),
      environmentNames: envs.map((e) => e.name),
    };
  });
}
