import { parseList } from './option-readers';
import { Problems, show } from './problems';
import * as parse from './values';
import * as naming from '../core/naming';
import type { ResolvedDeployEnvironment, ResolvedOidcAccount } from '../settings';

/** Groups the environments by AWS account: one OIDC stack per account. */
export function resolveAccounts(
  p: Problems,
  existingOption: unknown,
  environments: ResolvedDeployEnvironment[],
  ctx: { projectName: string; workspace: string; repositoryUuid: string },
): ResolvedOidcAccount[] {
  const existing = parseList(p, 'oidcProviderExistsInAccounts', existingOption, (opt, v) => parse.accountId(opt, v, p));
  const byAccount = new Map<string, ResolvedDeployEnvironment[]>();
  for (const env of environments) {
    byAccount.set(env.account, [...(byAccount.get(env.account) ?? []), env]);
  }
  // Not an error: a preset may list every account of the company whose provider exists,
  // and a repository made from it deploys to only some of them.
  existing.forEach((account, i) => {
    if (environments.length > 0 && !byAccount.has(account)) {
      const used = [...byAccount.keys()].map((a) => show(a)).join(', ');
      p.warn(`oidcProviderExistsInAccounts[${i}]`, `no environment deploys to ${show(account)} (they use ${used}), so it is not used. Fine when a preset lists every account with a provider; otherwise remove it or fix the account ID.`);
    }
  });
  return [...byAccount.entries()].map(([account, envs]) => {
    const partitions = [...new Set(envs.map((e) => e.partition))];
    if (partitions.length > 1) {
      p.error('deployEnvironments', envs.map((e) => e.region), `Account ${account} is used with regions of different partitions (${partitions.join(', ')}); an account belongs to one partition.`);
    }
    const first = envs[0];
    return {
      account,
      region: first.region,
      partition: first.partition,
      stackId: naming.oidcStackId(account),
      stackName: naming.oidcStackName(ctx.projectName, ctx.repositoryUuid),
      providerExists: existing.includes(account),
      providerArn: naming.oidcProviderArn(first.partition, account, ctx.workspace),
      environmentNames: envs.map((e) => e.name),
    };
  });
}
