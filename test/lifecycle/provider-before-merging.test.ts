import { Logger } from 'projen';
import { BitbucketCdkApp, BitbucketCdkAppOptions } from '../../src';
import { STAGING_UUID, tempDir, twoEnvironmentOptions } from '../util';

/** Two `npx projen` runs in one folder (no install); the warnings of the second. */
function secondRunWarnings(first: BitbucketCdkAppOptions, second: BitbucketCdkAppOptions): string {
  const outdir = tempDir();
  const saved = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  try {
    new BitbucketCdkApp({ outdir, ...first }).synth();
    warn.mockClear();
    new BitbucketCdkApp({ outdir, ...second }).synth();
    return warn.mock.calls.map((c) => c.join(' ')).join('\n');
  } finally {
    warn.mockRestore();
    if (saved === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = saved;
  }
}

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const withQa = (overrides: Partial<BitbucketCdkAppOptions> = {}) => twoEnvironmentOptions({
  deployEnvironments: [
    { name: 'qa', account: '333333333333', region: 'eu-central-1', bitbucketDeployment: 'Test' },
    { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging', bitbucketDeploymentUuid: STAGING_UUID },
  ],
  oidcProviderExistsInAccounts: ACCOUNTS,
  ...overrides,
});

test('a preset adds an account whose provider is imported: before merging, the provider, the bootstrap and the roles, with their commands', () => {
  const said = secondRunWarnings(twoEnvironmentOptions({ oidcProviderExistsInAccounts: ACCOUNTS }), withQa());
  expect(said).toContain('Before merging this change');
  expect(said).toContain('the workspace\'s OIDC provider must exist in each new account first (once per account, usually by the platform team; skip it if already there): npx projen bitbucket:oidc:provider:deploy:333333333333');
  expect(said).toContain('npx cdk bootstrap aws://333333333333/eu-central-1');
  expect(said).toContain('node .projen/bitbucket-oidc-deploy-reviewed.js --account 333333333333 --assembly <downloaded cdk.oidc.out>');
  // Accounts the previous generation already deployed to need no provider step.
  expect(said).not.toContain('bitbucket:oidc:provider:deploy:111111111111');
});

test('a new account whose provider this repository creates needs no provider step', () => {
  const said = secondRunWarnings(twoEnvironmentOptions(), withQa({ oidcProviderExistsInAccounts: undefined }));
  expect(said).toContain('node .projen/bitbucket-oidc-deploy-reviewed.js --account 333333333333 --assembly <downloaded cdk.oidc.out>');
  expect(said).not.toContain('bitbucket:oidc:provider:deploy');
});
