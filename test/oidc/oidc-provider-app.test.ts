import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as naming from '../../src/core/naming';
import { OidcProviderApp } from '../../src/oidc/oidc-provider-app';
import { generatedOidcApp, removeWorkDirs } from '../support/generated-oidc-app';
import { evaluateTrust, resolveProviderRef } from '../templates/bitbucket-oidc/iam-evaluation';
import { baseOptions, newProject, PRODUCTION_UUID, REPOSITORY_UUID, synth, tasks, twoEnvironmentOptions, WORKSPACE_UUID } from '../util';

afterAll(removeWorkDirs);

const LISTED = ['111111111111', '222222222222', '333333333333'];
const STEP = '5e6f7a8b-aaaa-4bbb-8ccc-dddddddddddd';

/** A preset's repository: every account's provider is imported; 333333333333 is one no environment uses. */
function presetRepository() {
  const generated = generatedOidcApp(twoEnvironmentOptions({ oidcProviderExistsInAccounts: LISTED }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const providerMain = require(path.join(generated.dir, 'provider-main.ts'));
  const app = new App();
  const stacks: any[] = providerMain.addBitbucketOidcProviderStacks(app);
  const templates: Record<string, any> = {};
  for (const stack of stacks) templates[stack.account] = Template.fromStack(stack).toJSON();
  return { generated, stacks, templates };
}

describe('the provider app of oidcProviderExistsInAccounts', () => {
  const { generated, stacks, templates } = presetRepository();

  test('one stack per listed account, also one no environment uses, each holding exactly the provider, retained', () => {
    expect(Object.keys(templates).sort()).toEqual(LISTED);
    for (const account of LISTED) {
      const resources = Object.values<any>(templates[account].Resources);
      expect(resources).toHaveLength(1);
      expect(resources[0].Type).toBe('AWS::IAM::OIDCProvider');
      expect(resources[0].DeletionPolicy).toBe('Retain');
      expect(resources[0].UpdateReplacePolicy).toBe('Retain');
      expect(Object.keys(templates[account].Resources)).toEqual([naming.OIDC_PROVIDER_LOGICAL_ID]);
      expect(resources[0].Properties.Url).toBe(naming.issuerUrl('acme'));
      expect(resources[0].Properties.ClientIdList).toEqual([naming.audience(WORKSPACE_UUID)]);
    }
  });

  test('the stack name is the workspace\'s, not the repository\'s, so every repository deploys the same stack', () => {
    expect(new Set(stacks.map((s) => s.stackName))).toEqual(new Set(['bitbucket-oidc-provider-acme']));
    const other = generatedOidcApp(twoEnvironmentOptions({
      name: 'other-service', bitbucketRepositoryUuid: '{9d8c7b6a-1111-4222-8333-444455556666}', oidcProviderExistsInAccounts: LISTED,
    }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const otherStacks: any[] = require(path.join(other.dir, 'provider-main.ts')).addBitbucketOidcProviderStacks(new App());
    expect(otherStacks.map((s) => [s.stackName, s.account, s.region])).toEqual(stacks.map((s) => [s.stackName, s.account, s.region]));
    expect(otherStacks.map((s) => Template.fromStack(s).toJSON())).toEqual(stacks.map((s) => templates[s.account]));
  });

  test('an account keeps the region of the repository\'s OIDC stack there; an unused one takes the first environment\'s', () => {
    expect(stacks.map((s) => [s.account, s.region])).toEqual([
      ['111111111111', 'eu-west-1'], ['222222222222', 'us-east-1'], ['333333333333', 'eu-west-1'],
    ]);
  });

  test('a token STS accepts for this provider (its audience, its ARN) passes the trust of the role that imports it', async () => {
    const provider = Object.values<any>(templates['222222222222'].Resources)[0].Properties;
    // What STS does: the audience must be one of the provider's client IDs; the principal is the provider's ARN.
    const providerArn = `arn:aws:iam::222222222222:oidc-provider/${provider.Url.replace(/^https:\/\//, '')}`;
    const [audience] = provider.ClientIdList;
    const oidcStack = generated.templates['BitbucketOidc-222222222222'].toJSON();
    expect(Object.values<any>(oidcStack.Resources).map((r) => r.Type)).not.toContain('AWS::IAM::OIDCProvider');
    const role = oidcStack.Resources.DeployRoleProduction.Properties;
    const trust = resolveProviderRef(role.AssumeRolePolicyDocument, naming.OIDC_PROVIDER_LOGICAL_ID, 'unused: the provider is imported by ARN');
    const host = naming.issuerHost('acme');
    const request = (aud: string) => ({
      provider: providerArn,
      claims: { [`${host}:aud`]: aud, [`${host}:sub`]: `{${REPOSITORY_UUID}}:{${PRODUCTION_UUID}}:{${STEP}}` },
    });
    const roleArn = naming.roleArn('aws', '222222222222', role.RoleName);
    expect(await evaluateTrust(trust, roleArn, request(audience))).toBe('Allowed');
    expect(await evaluateTrust(trust, roleArn, request('ari:cloud:bitbucket::workspace/00000000-0000-4000-8000-000000000000'))).toBe('ImplicitlyDenied');
  });

  test('tasks: synth into its own assembly, deploy all or one account, with the OIDC app\'s approval level', () => {
    const t = tasks(generated.files);
    const synthSteps = t[OidcProviderApp.SYNTH_TASK].steps;
    expect(synthSteps[0]).toEqual({ spawn: 'default' });
    expect(synthSteps[1]).toEqual({ exec: 'rm -rf cdk.oidc-provider.out' });
    expect(synthSteps[2].exec).toBe("cdk synth --app 'npx ts-node -P tsconfig.json --prefer-ts-exts src/bitbucket-oidc/provider-main.ts' --output cdk.oidc-provider.out --build '' --quiet");
    expect(t[OidcProviderApp.DEPLOY_TASK].steps[1].exec).toBe("cdk deploy --app cdk.oidc-provider.out --build '' --require-approval broadening --all");
    for (const account of LISTED) {
      expect(t[OidcProviderApp.deployAccountTaskName(account)].steps[1].exec)
        .toBe(`cdk deploy --app cdk.oidc-provider.out --build '' --require-approval broadening BitbucketOidcProvider-${account}`);
    }
    expect(generated.files['.gitignore']).toContain('/cdk.oidc-provider.out/');
  });
});

test('nothing is added when no account is listed', () => {
  const project = newProject(baseOptions());
  expect(project.oidcProvider).toBeUndefined();
  const files = synth(baseOptions());
  expect(Object.keys(files).filter((f) => f.includes('provider'))).toEqual([]);
  expect(Object.keys(tasks(files)).filter((t) => t.startsWith('bitbucket:oidc:provider'))).toEqual([]);
});
