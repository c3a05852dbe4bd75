import type { Problems } from './problems';
import type { ResolvedDeployEnvironment } from '../settings';

/** Where the README explains how to separate environments. */
export const SEPARATION_DOC = 'README, "Security model" → "Separating environments"';

/**
 * Environments in one AWS account are not isolated from each other, whatever
 * their trust policies say: every deploy role may assume its region's CDK
 * bootstrap roles, and the bootstrap deploy role hands templates to
 * CloudFormation's execution role (AdministratorAccess unless the account was
 * bootstrapped with `--cloudformation-execution-policies`), which reaches
 * everything in the account, the other environments' deploy roles included.
 * Environments in the same account and region share one bootstrap (the
 * qualifier is project-wide), so each can deploy over the other's stacks
 * whatever the execution policies. One warning per shared account says which
 * environments, what follows, and what would separate them.
 */
export function warnSharedAccounts(p: Problems, environments: readonly ResolvedDeployEnvironment[], bootstrapQualifier: string): void {
  const byAccount = groupBy(environments, (e) => e.account);
  for (const [account, envs] of byAccount) {
    if (envs.length < 2) continue;
    const parts = [`account ${account} is shared by ${names(envs)}: their deploy roles are not separated from each other.`];

    const unscoped = envs.filter((e) => !e.bitbucketDeploymentUuid);
    const scoped = envs.filter((e) => e.bitbucketDeploymentUuid);
    if (unscoped.length > 0 && scoped.length > 0) {
      const it = unscoped.length === 1 ? 'its role' : 'their roles';
      parts.push(`${names(unscoped)} ${unscoped.length === 1 ? 'has' : 'have'} no bitbucketDeploymentUuid, so any pipeline step of any branch can assume ${it} and reach, through the account's bootstrap, what ${names(scoped)} can: the scoping of ${names(scoped)} to ${scoped.length === 1 ? 'its' : 'their'} Bitbucket deployment does not hold.`);
    }

    for (const [region, sharing] of groupBy(envs, (e) => e.region)) {
      if (sharing.length < 2) continue;
      parts.push(`${names(sharing)} share the CDK bootstrap of ${region} (qualifier ${bootstrapQualifier}): each deploy role may assume the same bootstrap roles, so a step deploying one of them can change or delete the stacks of the others.`);
    }

    parts.push(`Through the bootstrap deploy role, CloudFormation's execution role (AdministratorAccess unless the account was bootstrapped with --cloudformation-execution-policies) reaches everything in the account, including the other environments' deploy roles. For real separation give each environment its own account (${SEPARATION_DOC}).`);
    p.warn('deployEnvironments', parts.join(' '));
  }
}

function names(envs: readonly ResolvedDeployEnvironment[]): string {
  return envs.map((e) => JSON.stringify(e.name)).join(', ');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
