import { deployFromMain, deployReviewed, NOT_FROM_THIS_BRANCH } from './admin-commands';
import type { GenerationRecord, RecordedAccount, RecordedEnvironment } from './generation-record';
import { LifecycleInput, previewRoleStackTag } from './record-file';
import type { StageStack } from './stage-stacks';
import { destroyCommand } from '../core/cdk-cli';
import * as naming from '../core/naming';
import { shellQuote } from '../pipeline/shell';
import type { ResolvedOidcAccount } from '../settings';
import { DEFAULT_BOOTSTRAP_QUALIFIER } from '../versions';

/** What changed since the previous generation, and what that means in AWS. */
export interface LifecycleAssessment {
  /** What stays deployed (and the command that removes it), or must be done in AWS before merging; one message each. */
  readonly warnings: string[];
  /**
   * Accounts whose OIDC stack must import the identity provider because an
   * earlier stack of this project created it (account → that stack's name).
   */
  readonly providerCreatedBy: Map<string, string>;
}

/** What the assessment reads besides the two generations. */
export interface LifecycleContext {
  /** The app's cloud assembly folder, as the CLI is given it (`cdk.out`). */
  readonly cdkout: string;
  /** The stacks of a stage in the last synthesised assembly, if it still holds them. */
  readonly stageStacks: (stage: string) => StageStack[] | undefined;
  /** The OIDC app's assembly folder (`cdk.oidc.out`). */
  readonly oidcCdkout: string;
  /** An OIDC stack by construct ID in the last `bitbucket:oidc:synth`, if it still holds it. */
  readonly oidcStack: (stackId: string) => StageStack | undefined;
}

const deleteStack = (region: string, stackName: string) =>
  `aws cloudformation delete-stack --region ${shellQuote(region)} --stack-name ${shellQuote(stackName)}`;
/** A role that only goes away: the narrower trust is deployed once merged, from main. */
const AFTER_MERGING = 'deployed again (after merging, from main)';
/** The way out when the stack that would have created the provider never reached AWS. */
const NEVER_DEPLOYED = (stack: string) => `If ${stack} was never deployed, there is no provider to import: `
  + 'delete .projen/bitbucket-cdk-generation.json and run npx projen again, so that the stack creates it.';
/** A JMESPath query for stack names with a prefix (environment names are plain words: no quote to escape). */
const stacksStartingWith = (prefix: string) => `"Stacks[?starts_with(StackName, '${prefix}')].StackName"`;

/**
 * Compares the previous generation with the current settings. Without a
 * previous record (first run, or a project made before records existed)
 * there is nothing to compare and nothing is said.
 */
export function assessLifecycle(previous: GenerationRecord | undefined, settings: LifecycleInput, ctx: LifecycleContext): LifecycleAssessment {
  const providerCreatedBy = new Map<string, string>();
  if (!previous) return { warnings: [], providerCreatedBy };
  const warnings: string[] = [];
  const current = new Map(settings.oidcAccounts.map((a) => [a.account, a]));

  for (const env of previous.environments) {
    const now = settings.environments.find((e) => e.name === env.name);
    // The role goes with the next deployment of its account's OIDC stack, unless that stack is gone or renamed (said below).
    const sameStack = current.get(env.account)?.stackName === previous.accounts.find((a) => a.account === env.account)?.stackName;
    const roleLeft = sameStack && !settings.environments.some((e) => e.account === env.account && e.deployRoleName === env.deployRoleName);
    if (!now) {
      warnings.push(leftEnvironment(env, 'was removed from deployEnvironments (or renamed)', roleLeft, ctx));
    } else if (now.account !== env.account || now.region !== env.region) {
      warnings.push(leftEnvironment(env, `moved to ${now.account}/${now.region}`, roleLeft, ctx));
    }
  }

  for (const old of previous.accounts) {
    const account = current.get(old.account);
    if (!account) {
      warnings.push(removedAccount(old, previous, ctx));
    } else if (account.stackName !== old.stackName) {
      const createdBy = old.providerCreatedByStack ?? (old.providerExists ? undefined : old.stackName);
      if (!account.providerExists && createdBy) providerCreatedBy.set(account.account, createdBy);
      warnings.push(renamedStack(old, account, previous, settings, createdBy));
    } else if (!account.providerExists && old.providerCreatedByStack) {
      // Still the stack that imports the provider its predecessor created: keep importing.
      providerCreatedBy.set(account.account, old.providerCreatedByStack);
      warnings.push(`The OIDC stack ${account.stackName} of account ${account.account} imports the identity provider that ${old.providerCreatedByStack} created `
        + `(recorded in .projen/bitbucket-cdk-generation.json when the stack was renamed). Add '${account.account}' to oidcProviderExistsInAccounts to say so in .projenrc.ts. `
        + NEVER_DEPLOYED(old.providerCreatedByStack));
    }
  }

  const previewLeft = previewRoleLeft(previous, settings);
  if (previewLeft) warnings.push(previewLeft);
  const before = beforeMerging(previous, settings);
  if (before) warnings.push(before);
  return { warnings, providerCreatedBy };
}

/** Every role an OIDC stack of the account holds: the deploy roles of its environments and the read-only role. */
function rolesOf(account: string, environments: ReadonlyArray<{ account: string; deployRoleName: string }>, previewRoleName?: string): string[] {
  return [...environments.filter((e) => e.account === account).map((e) => e.deployRoleName), ...(previewRoleName ? [previewRoleName] : [])];
}

/** Stacks kept under the same name whose next deployment removes a read-only role that previews and drift detection no longer use. */
function previewRoleLeft(previous: GenerationRecord, settings: LifecycleInput): string | undefined {
  if (!previous.previewRoleName || previous.previewRoleName === settings.previewRoleName) return undefined;
  const kept = previous.accounts
    .filter((a) => settings.oidcAccounts.some((b) => b.account === a.account && b.stackName === a.stackName))
    .map((a) => a.account);
  if (kept.length === 0) return undefined;
  return `The read-only role ${previous.previewRoleName} (pull-request previews and drift detection) is no longer generated, but stays in account${kept.length > 1 ? 's' : ''} `
    + `${kept.join(', ')}, trusting every step of this repository, until the OIDC stack is ${AFTER_MERGING}: ${kept.map(deployFromMain).join('; ')}`;
}

function leftEnvironment(env: RecordedEnvironment, what: string, roleLeft: boolean, ctx: LifecycleContext): string {
  const stacks = ctx.stageStacks(env.name);
  const where = `account ${env.account}, ${env.region}`;
  const lines = [`Environment '${env.name}' ${what}, but what it deployed stays in ${where}:`];
  if (stacks) {
    const names = stacks.map((s) => s.stackName);
    lines.push(
      `  its stacks ${names.join(', ')}: delete them with credentials of ${env.account}, while ${ctx.cdkout} is still the last build's (before the next build or synth):`,
      `    ${destroyCommand(ctx.cdkout, `${env.name}/*`)}   (lists them and asks before deleting)`,
      `  or at any time: ${[...stacks].reverse().map((s) => deleteStack(env.region, s.stackName)).join('; ')}`,
    );
  } else {
    lines.push(
      `  its stacks (stage '${env.name}/*', named '${env.stackNamePrefix}<stack>' unless the app sets stackName; ${ctx.cdkout} no longer holds them): find them with`,
      `    aws cloudformation describe-stacks --region ${shellQuote(env.region)} --query ${stacksStartingWith(env.stackNamePrefix)}`,
      `  and delete each with: aws cloudformation delete-stack --region ${shellQuote(env.region)} --stack-name <name>`,
    );
  }
  if (roleLeft) {
    lines.push(`  its deploy role ${env.deployRoleName}, which still trusts this repository, until the OIDC stack of ${env.account} is ${AFTER_MERGING}: ${deployFromMain(env.account)}`);
  }
  return lines.join('\n');
}

function providerNote(old: RecordedAccount): string {
  return old.providerExists && !old.providerCreatedByStack
    ? 'The identity provider was imported, not created by this stack, and is not touched.'
    : `The identity provider ${old.providerArn} is retained (other repositories of the workspace may trust it); `
      + `delete it only if nothing else uses it: aws iam delete-open-id-connect-provider --open-id-connect-provider-arn ${shellQuote(old.providerArn)}`;
}

function removedAccount(old: RecordedAccount, previous: GenerationRecord, ctx: LifecycleContext): string {
  const roles = rolesOf(old.account, previous.environments, previous.previewRoleName);
  const stackId = naming.oidcStackId(old.account);
  // The last OIDC synthesis still holds this very stack until bitbucket:oidc:synth runs again (it empties the folder).
  const synthesised = ctx.oidcStack(stackId)?.stackName === old.stackName;
  return [
    `Account ${old.account} has no deploy environment any more, but its OIDC stack ${old.stackName} (${old.region}) stays deployed,`
      + ` with roles that still trust this repository (${roles.join(', ')}). Delete it with administrator credentials of ${old.account}:`,
    ...(synthesised
      ? [`    ${destroyCommand(ctx.oidcCdkout, stackId)}   (asks first; only until the next bitbucket:oidc:synth)`, '  or at any time:']
      : []),
    `    ${deleteStack(old.region, old.stackName)}`,
    `  ${providerNote(old)}`,
  ].join('\n');
}

function renamedStack(
  old: RecordedAccount, account: ResolvedOidcAccount, previous: GenerationRecord, settings: LifecycleInput, createdBy: string | undefined,
): string {
  const why = [
    previous.projectName !== settings.projectName ? `the project was renamed from '${previous.projectName}' to '${settings.projectName}'` : '',
    previous.repositoryUuid !== settings.repositoryUuid ? 'bitbucketRepositoryUuid changed' : '',
  ].filter(Boolean).join(' and ') || 'its name changed';
  const oldRoles = rolesOf(old.account, previous.environments, previous.previewRoleName);
  const newRoles = rolesOf(account.account, settings.environments, settings.previewRoleName);
  const clash = newRoles.filter((r) => oldRoles.includes(r));
  // Before merging: from this pull request's artifact, accepting the new stack name.
  const deploy = `${deployReviewed(account.account, account.stackName)}   (creates ${account.stackName} and its roles)`;
  const remove = `${deleteStack(old.region, old.stackName)}`;
  const steps = clash.length > 0
    // IAM role names are unique per account: the new stack cannot create a role the old one still holds.
    ? [`1. ${remove}   (first: ${clash.join(', ')} is in both stacks)`, `2. ${deploy}`, '3. merge']
    : [`1. ${deploy}`, '2. merge, so the pipeline uses the new roles', `3. ${remove}`];
  const lines = [
    `The OIDC stack of account ${account.account} is now ${account.stackName}, was ${old.stackName} (${why}). ${old.stackName} stays deployed, with roles that still trust this repository (${oldRoles.join(', ')}).`,
  ];
  if (createdBy) {
    lines.push(`  ${createdBy} created the account's identity provider (one per issuer and account), so ${account.stackName} imports it instead of creating a second one, which would fail;`
      + ` the provider is retained when ${old.stackName} is deleted.${account.providerExists ? '' : ` Add '${account.account}' to oidcProviderExistsInAccounts to say so in .projenrc.ts.`}`
      + (account.providerExists ? '' : ` ${NEVER_DEPLOYED(createdBy)}`));
  }
  lines.push(`  With administrator credentials of ${account.account}, in this order. ${NOT_FROM_THIS_BRANCH}`, ...steps.map((s) => `    ${s}`));
  return lines.join('\n');
}

/**
 * Changes that need an administrator in AWS before the pipeline can use
 * them: a role that does not exist yet, an environment not bootstrapped, a
 * trust or permission that only the OIDC stack's next deployment applies.
 */
function beforeMerging(previous: GenerationRecord, settings: LifecycleInput): string | undefined {
  const oidcAccounts = new Set<string>();
  const why: string[] = [];
  const bootstrap: string[] = [];
  const qualifier = settings.bootstrapQualifier === DEFAULT_BOOTSTRAP_QUALIFIER ? '' : ` --qualifier ${shellQuote(settings.bootstrapQualifier)}`;
  const bootstrapped = new Set(previous.bootstrapQualifier === settings.bootstrapQualifier ? previous.environments.map((e) => `${e.account}/${e.region}`) : []);
  const renamed = new Set(previous.accounts
    .filter((a) => settings.oidcAccounts.some((b) => b.account === a.account && b.stackName !== a.stackName))
    .map((a) => a.account));

  for (const env of settings.environments) {
    const old = previous.environments.find((e) => e.name === env.name);
    if (!old || old.deployRoleName !== env.deployRoleName || old.account !== env.account) {
      // Renamed stacks have their own, ordered instructions.
      if (!renamed.has(env.account)) {
        oidcAccounts.add(env.account);
        why.push(`role ${env.deployRoleName} of '${env.name}' does not exist yet`);
      }
    } else if ((old.bitbucketDeploymentUuid ?? '') !== (env.bitbucketDeploymentUuid ?? '')) {
      oidcAccounts.add(env.account);
      why.push(`the trust of '${env.name}' changed (bitbucketDeploymentUuid)`);
    } else if (old.region !== env.region) {
      oidcAccounts.add(env.account);
      why.push(`role ${env.deployRoleName} may assume only ${old.region}'s bootstrap roles so far`);
    }
    const target = `${env.account}/${env.region}`;
    if (!bootstrapped.has(target) && !bootstrap.some((b) => b.includes(`aws://${target}`))) {
      bootstrap.push(`npx cdk bootstrap aws://${target}${qualifier}`);
    }
  }
  const permissions = [
    previous.bootstrapQualifier !== settings.bootstrapQualifier ? 'cdkBootstrapQualifier' : '',
    (previous.deployRoleManagedPolicies ?? []).join(',') !== settings.managedPolicies.join(',') ? 'deployRoleManagedPolicies' : '',
    (previous.deployRolePermissionsBoundary ?? '') !== (settings.permissionsBoundary ?? '') ? 'deployRolePermissionsBoundary' : '',
    previous.deployRoleMaxSessionHours !== settings.maxSessionHours ? 'deployRoleMaxSessionHours' : '',
  ].filter(Boolean);
  if (permissions.length > 0) {
    for (const a of settings.oidcAccounts) if (!renamed.has(a.account)) oidcAccounts.add(a.account);
    why.push(`${permissions.join(', ')} changed for every deploy role`);
  }
  // The read-only role of previews and drift detection (on by default, so new to projects made before it existed).
  const preview = settings.previewRoleName;
  const previewChange = !preview ? ''
    : previous.previewRoleName !== preview ? `the read-only role ${preview} of pull-request previews and drift detection does not exist yet`
      : (previous.previewRoleDriftDetection ?? false) !== (settings.driftDetection ?? false) ? `the drift detection permissions of the read-only role ${preview} changed`
        : previous.previewRoleStackTag !== previewRoleStackTag(settings)
          ? `the read-only role ${preview} now reads only this app's stacks, tagged ${previewRoleStackTag(settings)} by tagStacks(app) in the app's entry point; `
            + 'each environment\'s stacks get the tag on their next deployment (the pipeline deploys them on merge), and are not previewed until then'
          : '';
  if (previewChange) {
    for (const a of settings.oidcAccounts) if (!renamed.has(a.account)) oidcAccounts.add(a.account);
    why.push(previewChange);
  }
  // A new account whose provider is imported (a preset's oidcProviderExistsInAccounts): IAM refuses a role trusting a provider that does not exist.
  const providers = settings.oidcAccounts
    .filter((a) => a.providerExists && !previous.accounts.some((o) => o.account === a.account))
    .map((a) => `npx projen bitbucket:oidc:provider:deploy:${a.account}`);
  if (oidcAccounts.size === 0 && bootstrap.length === 0 && providers.length === 0) return undefined;
  const lines = ['Before merging this change, an administrator must prepare AWS, or the pipeline deploys with roles or bootstraps that do not exist yet. '
    + `${NOT_FROM_THIS_BRANCH} Then, with administrator credentials of each account:`];
  if (bootstrap.length > 0) lines.push(`  bootstrap each new account and region once (skip it if already done): ${bootstrap.join('; ')}`);
  if (providers.length > 0) lines.push(`  the workspace's OIDC provider must exist in each new account first (once per account, usually by the platform team; skip it if already there): ${providers.join('; ')}`);
  if (oidcAccounts.size > 0) {
    lines.push(`  review and deploy the OIDC stack (${why.join('; ')}): ${[...oidcAccounts].map((a) => deployReviewed(a)).join('; ')}`,
      '  (it refuses an artifact with anything but the OIDC stacks and their templates, installs the CDK CLI as main\'s package-lock.json locks it,'
        + ' shows cdk diff, and asks before any added trust or permission)');
  }
  return lines.join('\n');
}
