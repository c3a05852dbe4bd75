import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BitbucketCdkAppOptions } from '../../src';
import { EnvironmentLifecycle } from '../../src/lifecycle/environment-lifecycle';
import { buildApp, projectDir, projen, read, record, removeProjectDirs, TAG } from '../support/lifecycle-project';
import { baseOptions, PRODUCTION_UUID, REPOSITORY_UUID, STAGING_UUID, twoEnvironmentOptions } from '../util';

/** The OIDC stacks of the project's generated `src/bitbucket-oidc/`, built by its own entry point. */
function oidcTemplates(dir: string): Record<string, Template> {
  const main = path.join(dir, 'src', 'bitbucket-oidc', 'main.ts');
  // The generated source is fresh on every `npx projen`: never reuse a cached module.
  for (const key of Object.keys(require.cache)) if (key.startsWith(path.dirname(main))) delete require.cache[key];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stacks: Stack[] = require(main).addBitbucketOidcStacks(new App());
  return Object.fromEntries(stacks.map((s) => [s.stackName, Template.fromStack(s)]));
}

afterAll(removeProjectDirs);

/** Before merging: the main branch's script, against the pull request's artifact (no code of the branch runs). */
const reviewed = (account: string) => `node .projen/bitbucket-oidc-deploy-reviewed.js --account ${account} --assembly <downloaded cdk.oidc.out>`;
const both = `${reviewed('111111111111')}; ${reviewed('222222222222')}`;

const three = (overrides: Partial<BitbucketCdkAppOptions> = {}) => twoEnvironmentOptions({
  deployEnvironments: [
    { name: 'dev', account: '111111111111', region: 'eu-west-1' },
    { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging', bitbucketDeploymentUuid: STAGING_UUID },
    { name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true },
  ],
  ...overrides,
});

describe('no previous generation: nothing to say', () => {
  test('a first run warns about nothing but the options, and writes the record of what it generated', () => {
    const dir = projectDir();
    const run = projen(dir, twoEnvironmentOptions());
    expect(run.lifecycle).toEqual([]);
    expect(run.warnings.join('\n')).not.toMatch(/stays|Before merging/);
    const r = record(dir);
    expect(r.projectName).toBe('my-app');
    expect(r.environments.map((e: any) => [e.name, e.account, e.region, e.stackNamePrefix, e.deployRoleName])).toEqual([
      ['staging', '111111111111', 'eu-west-1', 'staging-', `bitbucket-deploy-my-app-staging-${TAG}`],
      ['production', '222222222222', 'us-east-1', 'production-', `bitbucket-deploy-my-app-production-${TAG}`],
    ]);
    expect(r.accounts.map((a: any) => [a.account, a.stackName, a.providerExists])).toEqual([
      ['111111111111', `bitbucket-oidc-my-app-${TAG}`, false],
      ['222222222222', `bitbucket-oidc-my-app-${TAG}`, false],
    ]);
    expect(run.project.tryFindFile(EnvironmentLifecycle.FILE_PATH)?.readonly).toBe(true);
    expect(read(dir, '.gitignore')).toContain('!/.projen/bitbucket-cdk-generation.json');
  });

  test('running again with the same options says nothing', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    expect(projen(dir, twoEnvironmentOptions()).lifecycle).toEqual([]);
  });

  test('a project made before the record existed (no record) does not warn when an environment goes', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    fs.rmSync(path.join(dir, EnvironmentLifecycle.FILE_PATH));
    const run = projen(dir, baseOptions({ deployAccount: '111111111111' }));
    expect(run.lifecycle).toEqual([]);
    expect(fs.existsSync(path.join(dir, EnvironmentLifecycle.FILE_PATH))).toBe(true);
  });

  test('an unreadable record (a merge conflict) is said once and rewritten', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    fs.chmodSync(path.join(dir, EnvironmentLifecycle.FILE_PATH), 0o644);
    fs.writeFileSync(path.join(dir, EnvironmentLifecycle.FILE_PATH), '<<<<<<< HEAD\n{}\n');
    const run = projen(dir, twoEnvironmentOptions());
    expect(run.lifecycle).toEqual([expect.stringContaining('.projen/bitbucket-cdk-generation.json is not valid JSON')]);
    expect(record(dir).environments).toHaveLength(2);
    expect(projen(dir, twoEnvironmentOptions()).lifecycle).toEqual([]);
  });
});

describe('an environment removed or renamed', () => {
  test('its account gone too: the stacks and the whole OIDC stack stay, with the commands that delete them', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    const run = projen(dir, twoEnvironmentOptions({
      deployEnvironments: [{ name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true }],
    }));
    const text = run.warnings.join('\n');
    expect(run.lifecycle).toHaveLength(2);
    // Printed with projen's logger, on this run.
    expect(text).toContain("BitbucketCdkApp: Environment 'staging' was removed from deployEnvironments (or renamed), but what it deployed stays in account 111111111111, eu-west-1:");
    // No build yet: the stage's stacks are found by their name prefix.
    expect(text).toContain('aws cloudformation describe-stacks --region eu-west-1 --query "Stacks[?starts_with(StackName, \'staging-\')].StackName"');
    expect(text).toContain(`Account 111111111111 has no deploy environment any more, but its OIDC stack bitbucket-oidc-my-app-${TAG} (eu-west-1) stays deployed`);
    expect(text).toContain(`bitbucket-deploy-my-app-staging-${TAG}`);
    expect(text).toContain(`aws cloudformation delete-stack --region eu-west-1 --stack-name bitbucket-oidc-my-app-${TAG}`);
    expect(text).toContain('aws iam delete-open-id-connect-provider --open-id-connect-provider-arn arn:aws:iam::111111111111:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc');
    // Said once: the next run compares with this generation.
    expect(projen(dir, twoEnvironmentOptions({ deployEnvironments: [{ name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true }] })).lifecycle).toEqual([]);
  });

  test('with the last OIDC synthesis in cdk.oidc.out: a cdk destroy of the OIDC stack of that account, which asks first', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    // What bitbucket:oidc:synth wrote: the generated entry point's app, synthesised.
    const app = new App({ outdir: path.join(dir, 'cdk.oidc.out') });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(dir, 'src', 'bitbucket-oidc', 'main.ts')).addBitbucketOidcStacks(app);
    app.synth();
    const run = projen(dir, twoEnvironmentOptions({
      deployEnvironments: [{ name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true }],
    }));
    const account = run.lifecycle.find((w) => w.startsWith('Account 111111111111'))!;
    expect(account).toContain("npx cdk destroy --app cdk.oidc.out --build '' BitbucketOidc-111111111111   (asks first; only until the next bitbucket:oidc:synth)");
    expect(account).toContain(`or at any time:\n    aws cloudformation delete-stack --region eu-west-1 --stack-name bitbucket-oidc-my-app-${TAG}`);
  });

  test('with the last build in cdk.out: its real stack names and a cdk destroy of its stage, which asks first', () => {
    const dir = projectDir();
    projen(dir, three());
    buildApp(dir, [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }, { name: 'staging', account: '111111111111', region: 'eu-west-1' }]);
    const run = projen(dir, twoEnvironmentOptions());
    expect(run.lifecycle).toHaveLength(1);
    const [warning] = run.lifecycle;
    expect(warning).toContain("Environment 'dev' was removed");
    expect(warning).toContain('its stacks dev-Database, dev-Service');
    expect(warning).toContain("npx cdk destroy --app cdk.out --build '' 'dev/*'");
    expect(warning).not.toMatch(/--force|-f /);
    // Dependants first when deleted one by one.
    expect(warning).toContain('aws cloudformation delete-stack --region eu-west-1 --stack-name dev-Service; aws cloudformation delete-stack --region eu-west-1 --stack-name dev-Database');
    // The account keeps its OIDC stack: the role goes when that stack is deployed again.
    expect(warning).toContain(`its deploy role bitbucket-deploy-my-app-dev-${TAG}, which still trusts this repository, until the OIDC stack of 111111111111 is deployed again (after merging, from main): npx projen bitbucket:oidc:deploy:111111111111`);
    expect(warning).not.toContain('describe-stacks');
  });

  test('moved to another account: what it deployed in the old one stays', () => {
    const dir = projectDir();
    projen(dir, three());
    const run = projen(dir, three({
      deployEnvironments: [
        { name: 'dev', account: '333333333333', region: 'eu-west-1' },
        { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging', bitbucketDeploymentUuid: STAGING_UUID },
        { name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true },
      ],
    }));
    expect(run.lifecycle[0]).toContain("Environment 'dev' moved to 333333333333/eu-west-1, but what it deployed stays in account 111111111111, eu-west-1:");
  });
});

test('renamed in the same account: the old stage and role stay, the new role must exist before merging', () => {
  const dir = projectDir();
  projen(dir, twoEnvironmentOptions());
  const run = projen(dir, twoEnvironmentOptions({
    deployEnvironments: [
      { name: 'preprod', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging', bitbucketDeploymentUuid: STAGING_UUID },
      { name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true },
    ],
  }));
  expect(run.lifecycle).toHaveLength(2);
  expect(run.lifecycle[0]).toContain("Environment 'staging' was removed from deployEnvironments (or renamed), but what it deployed stays in account 111111111111, eu-west-1:");
  expect(run.lifecycle[0]).toContain(`its deploy role bitbucket-deploy-my-app-staging-${TAG}, which still trusts this repository, until the OIDC stack of 111111111111 is deployed again`);
  expect(run.lifecycle[1]).toContain(`role bitbucket-deploy-my-app-preprod-${TAG} of 'preprod' does not exist yet): ${reviewed('111111111111')}`);
  expect(run.lifecycle[1]).not.toContain('npx cdk bootstrap');
});

test('moved to another region of the same account: its stacks stay in the old region; its role is kept (and updated), not left behind', () => {
  const dir = projectDir();
  projen(dir, three());
  const run = projen(dir, three({
    deployEnvironments: [
      { name: 'dev', account: '111111111111', region: 'eu-central-1' },
      { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging', bitbucketDeploymentUuid: STAGING_UUID },
      { name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true },
    ],
  }));
  const moved = run.lifecycle.find((w) => w.startsWith("Environment 'dev'"))!;
  expect(moved).toContain("Environment 'dev' moved to 111111111111/eu-central-1, but what it deployed stays in account 111111111111, eu-west-1:");
  expect(moved).toContain('--region eu-west-1');
  expect(moved).not.toContain('deploy role');
  // The new region needs a bootstrap, and the role's new bootstrap-role permissions an OIDC deployment, before merging.
  const before = run.lifecycle.find((w) => w.startsWith('Before merging'))!;
  expect(before).toContain('npx cdk bootstrap aws://111111111111/eu-central-1');
  expect(before).toContain(`role bitbucket-deploy-my-app-dev-${TAG} may assume only eu-west-1's bootstrap roles so far): ${reviewed('111111111111')}`);
});

describe('the project renamed', () => {
  const renamed = (overrides: Partial<BitbucketCdkAppOptions> = {}) => twoEnvironmentOptions({ name: 'orders-service', ...overrides });

  test('the new OIDC stacks import the provider the old ones created, and the warning gives the order and the commands', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    const run = projen(dir, renamed());
    expect(run.lifecycle).toHaveLength(2);
    const [first] = run.lifecycle;
    expect(first).toContain(`The OIDC stack of account 111111111111 is now bitbucket-oidc-orders-service-${TAG}, was bitbucket-oidc-my-app-${TAG} (the project was renamed from 'my-app' to 'orders-service')`);
    expect(first).toContain(`roles that still trust this repository (bitbucket-deploy-my-app-staging-${TAG}, bitbucket-preview-my-app-${TAG})`);
    expect(first).toContain('imports it instead of creating a second one');
    expect(first).toContain("Add '111111111111' to oidcProviderExistsInAccounts");
    // The way out when the old stack never reached AWS (see the test without a record below).
    expect(first).toContain(`If bitbucket-oidc-my-app-${TAG} was never deployed, there is no provider to import: delete .projen/bitbucket-cdk-generation.json and run npx projen again`);
    const steps = first.split('\n').filter((l) => /^ {4}\d\./.test(l)).map((l) => l.trim());
    expect(steps[0]).toBe(`1. ${reviewed('111111111111')} --stack-name bitbucket-oidc-orders-service-${TAG}   (creates bitbucket-oidc-orders-service-${TAG} and its roles)`);
    expect(first).toContain('Run nothing in a checkout of this branch');
    expect(steps[2]).toBe(`3. aws cloudformation delete-stack --region eu-west-1 --stack-name bitbucket-oidc-my-app-${TAG}`);

    // What reaches CloudFormation: no second provider, roles trusting the existing one.
    const templates = oidcTemplates(dir);
    for (const account of ['111111111111', '222222222222']) {
      expect(run.project.settings.oidcAccounts.find((a) => a.account === account)?.providerExists).toBe(true);
    }
    const template = templates[`bitbucket-oidc-orders-service-${TAG}`];
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(JSON.stringify(template.toJSON())).toContain('oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc');
    expect(record(dir).accounts.map((a: any) => a.providerCreatedByStack)).toEqual([`bitbucket-oidc-my-app-${TAG}`, `bitbucket-oidc-my-app-${TAG}`]);
  });

  test('later runs keep importing (and say how to make it explicit) until oidcProviderExistsInAccounts says so', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    projen(dir, renamed());
    const again = projen(dir, renamed());
    expect(again.project.settings.oidcAccounts.every((a) => a.providerExists)).toBe(true);
    expect(again.lifecycle).toEqual([
      expect.stringContaining(`imports the identity provider that bitbucket-oidc-my-app-${TAG} created`),
      expect.stringContaining("Add '222222222222' to oidcProviderExistsInAccounts"),
    ]);
    const explicit = projen(dir, renamed({ oidcProviderExistsInAccounts: ['111111111111', '222222222222'] }));
    expect(explicit.lifecycle).toEqual([]);
    expect(oidcTemplates(dir)[`bitbucket-oidc-orders-service-${TAG}`].findResources('AWS::IAM::OIDCProvider')).toEqual({});
  });

  test('a provider that was imported before the rename stays imported, and the old stack held none', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions({ oidcProviderExistsInAccounts: ['111111111111'] }));
    const run = projen(dir, renamed({ oidcProviderExistsInAccounts: ['111111111111'] }));
    expect(run.lifecycle[0]).not.toContain('imports it instead');
    expect(run.lifecycle[1]).toContain('imports it instead');
  });

  test('without the record the rename is invisible: the new stack creates the provider (why the record exists, and the way out when the old stack was never deployed)', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    fs.rmSync(path.join(dir, EnvironmentLifecycle.FILE_PATH));
    projen(dir, renamed());
    oidcTemplates(dir)[`bitbucket-oidc-orders-service-${TAG}`].resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });
});

describe('what an administrator must do in AWS before merging', () => {
  test('a new environment in a new account: bootstrap and the OIDC stack, with the commands', () => {
    const dir = projectDir();
    projen(dir, baseOptions({ deployAccount: '111111111111' }));
    const run = projen(dir, twoEnvironmentOptions({
      deployEnvironments: [
        { name: 'production', account: '111111111111', region: 'eu-west-1' },
        { name: 'dr', account: '333333333333', region: 'eu-central-1' },
      ],
    }));
    expect(run.lifecycle).toEqual([expect.stringContaining('Before merging this change')]);
    expect(run.lifecycle[0]).toContain('npx cdk bootstrap aws://333333333333/eu-central-1');
    expect(run.lifecycle[0]).not.toContain('aws://111111111111/eu-west-1');
    expect(run.lifecycle[0]).toContain(`role bitbucket-deploy-my-app-dr-${TAG} of 'dr' does not exist yet`);
    expect(run.lifecycle[0]).toContain(reviewed('333333333333'));
    expect(run.lifecycle[0]).not.toContain('111111111111 --assembly');
  });

  test('for a change not merged yet, the message gives only the path that runs no code of the branch', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    const run = projen(dir, twoEnvironmentOptions({ deployRoleMaxSessionHours: 2 }));
    expect(run.lifecycle).toHaveLength(1);
    const [before] = run.lifecycle;
    expect(before).toContain('Run nothing in a checkout of this branch (its .projenrc.ts, node_modules and sources would run with your credentials)');
    expect(before).toContain('an up-to-date checkout of main, with the cdk.oidc.out artifact of this pull request\'s build step');
    expect(before).toContain(`review and deploy the OIDC stack (deployRoleMaxSessionHours changed for every deploy role): ${both}`);
    expect(before).toContain('refuses an artifact with anything but the OIDC stacks and their templates');
    // No task of a checkout: they run its .projenrc.ts, node_modules/.bin/cdk and ts-node of its sources.
    expect(before).not.toMatch(/bitbucket:oidc:(synth|diff|deploy)/);
  });

  test('a changed trust or permission: the OIDC stacks of the accounts concerned', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    const uuid = projen(dir, twoEnvironmentOptions({
      deployEnvironments: [
        { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging', bitbucketDeploymentUuid: PRODUCTION_UUID.replace(/2$/, '9') },
        { name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true },
      ],
    }));
    expect(uuid.lifecycle).toEqual([expect.stringContaining("the trust of 'staging' changed (bitbucketDeploymentUuid)")]);
    expect(uuid.lifecycle[0]).toContain(reviewed('111111111111'));
    expect(uuid.lifecycle[0]).not.toContain('222222222222');

    const boundary = projen(dir, twoEnvironmentOptions({ deployRolePermissionsBoundary: 'acme-boundary' }));
    expect(boundary.lifecycle.join('\n')).toContain('deployRolePermissionsBoundary changed for every deploy role');
    expect(boundary.lifecycle.join('\n')).toContain(both);
  });
});

describe('the read-only role of pull-request previews and drift detection', () => {
  const ROLE = `bitbucket-preview-my-app-${TAG}`;

  test('is recorded with its drift detection', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    expect(record(dir)).toMatchObject({ previewRoleName: ROLE, previewRoleDriftDetection: true });
    projen(dir, twoEnvironmentOptions({ pullRequestPreview: false, driftDetection: false }));
    expect(record(dir).previewRoleName).toBeUndefined();
  });

  test('a project generated before the role existed: before merging, deploy every OIDC stack; said once', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    // What an earlier version of this package recorded: no read-only role.
    const file = path.join(dir, EnvironmentLifecycle.FILE_PATH);
    const { previewRoleName: _name, previewRoleDriftDetection: _drift, ...earlier } = record(dir);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, JSON.stringify(earlier, null, 2));
    const run = projen(dir, twoEnvironmentOptions());
    expect(run.lifecycle).toEqual([expect.stringContaining('Before merging this change')]);
    expect(run.lifecycle[0]).toContain(`the read-only role ${ROLE} of pull-request previews and drift detection does not exist yet): ${both}`);
    expect(run.lifecycle[0]).not.toContain('npx cdk bootstrap');
    expect(projen(dir, twoEnvironmentOptions()).lifecycle).toEqual([]);
  });

  test('a project whose role read every <env>-* stack of the account (before the app tag): deploy every OIDC stack, and the stacks are tagged on their next deployment; said once', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    const file = path.join(dir, EnvironmentLifecycle.FILE_PATH);
    const { previewRoleStackTag: tag, ...earlier } = record(dir);
    expect(tag).toBe(`bitbucket-cdk:app=${REPOSITORY_UUID}/my-app`);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, JSON.stringify(earlier, null, 2));
    const run = projen(dir, twoEnvironmentOptions());
    expect(run.lifecycle).toEqual([expect.stringContaining('Before merging this change')]);
    expect(run.lifecycle[0]).toContain(`the read-only role ${ROLE} now reads only this app's stacks, tagged ${tag} by tagStacks(app)`);
    expect(run.lifecycle[0]).toContain('stacks get the tag on their next deployment');
    expect(run.lifecycle[0]).toContain(both);
    expect(projen(dir, twoEnvironmentOptions()).lifecycle).toEqual([]);
  });

  test('drift detection turned off or on: the role\'s permissions change with the OIDC stacks\' next deployment', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    const off = projen(dir, twoEnvironmentOptions({ driftDetection: false }));
    expect(off.lifecycle).toEqual([expect.stringContaining(`the drift detection permissions of the read-only role ${ROLE} changed`)]);
    expect(off.lifecycle[0]).toContain(both);
    expect(projen(dir, twoEnvironmentOptions()).lifecycle).toEqual([expect.stringContaining('drift detection permissions')]);
  });

  test('previews and drift detection both turned off: the role stays until the OIDC stacks are deployed again', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    const run = projen(dir, twoEnvironmentOptions({ pullRequestPreview: false, driftDetection: false }));
    expect(run.lifecycle).toEqual([
      `The read-only role ${ROLE} (pull-request previews and drift detection) is no longer generated, but stays in accounts 111111111111, 222222222222, `
      + 'trusting every step of this repository, until the OIDC stack is deployed again (after merging, from main): npx projen bitbucket:oidc:deploy:111111111111; npx projen bitbucket:oidc:deploy:222222222222',
    ]);
    // And back on: a role to create again.
    expect(projen(dir, twoEnvironmentOptions()).lifecycle).toEqual([expect.stringContaining(`the read-only role ${ROLE} of pull-request previews and drift detection does not exist yet`)]);
  });

  test('an account removed: its OIDC stack stays with the read-only role among the roles that trust this repository', () => {
    const dir = projectDir();
    projen(dir, twoEnvironmentOptions());
    const run = projen(dir, twoEnvironmentOptions({
      deployEnvironments: [{ name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true }],
    }));
    expect(run.lifecycle.find((w) => w.startsWith('Account 111111111111'))).toContain(`roles that still trust this repository (bitbucket-deploy-my-app-staging-${TAG}, ${ROLE})`);
  });
});
