import * as naming from '../core/naming';
import { OidcReviewedDeploy } from '../oidc/oidc-reviewed-deploy';
import { OIDC_TASK_NAMES } from '../oidc/oidc-tasks';
import { shellQuote } from '../pipeline/shell';

/**
 * The commands the lifecycle gives an administrator for the OIDC stacks.
 * A change not merged yet is deployed from the pull request's artifact with
 * the main branch's script: the branch's `.projenrc.ts`, `node_modules` and
 * sources never run with administrator credentials. What is merged is
 * deployed from main with its own task.
 */

/** Where the administrator runs the commands of a change that is not merged yet, and where the trust to deploy comes from. */
export const NOT_FROM_THIS_BRANCH = 'Run nothing in a checkout of this branch (its .projenrc.ts, node_modules and sources would run with your credentials):'
  + ` work in an up-to-date checkout of main, with the ${naming.OIDC_CDK_OUT} artifact of this pull request's build step`
  + ' (Pipelines → the pull request\'s latest run → Artifacts, kept 14 days), unpacked.';

/**
 * Reviews and deploys the account's OIDC stack from the pull request's artifact
 * (refuses anything but the OIDC stacks, shows `cdk diff`, asks before broadening).
 * @param account the account
 * @param newStackName the stack name to accept besides main's, when the change renames the stack
 */
export function deployReviewed(account: string, newStackName?: string): string {
  const command = OidcReviewedDeploy.command(account);
  return newStackName ? `${command} --stack-name ${shellQuote(newStackName)}` : command;
}

/** Deploys the account's OIDC stack as merged, from an up-to-date checkout of main. */
export function deployFromMain(account: string): string {
  return `npx projen ${OIDC_TASK_NAMES.deployAccount(account)}`;
}
