import { Testing } from 'projen/lib/testing';
import { resolveSettings } from '../../src/validation/resolve-settings';
import { baseOptions, newProject, twoEnvironmentOptions } from '../util';
import { optionsError, problemAbout } from './helpers';

describe('oidcProviderExistsInAccounts', () => {
  test('an account no environment deploys to is a warning, not an error (a preset may list every account)', () => {
    const s = resolveSettings(twoEnvironmentOptions({ oidcProviderExistsInAccounts: ['111111111111', '999999999999'] }));
    expect(s.warnings).toEqual([
      'oidcProviderExistsInAccounts[1]: no environment deploys to "999999999999" (they use "111111111111", "222222222222"), so it is not used. Fine when a preset lists every account with a provider; otherwise remove it or fix the account ID.',
    ]);
    // The used account is imported, the other one changes nothing.
    expect(s.oidcAccounts.map((a) => [a.account, a.providerExists])).toEqual([['111111111111', true], ['222222222222', false]]);
  });

  test('the project synthesises with it', () => {
    const files = Testing.synth(newProject(baseOptions({ oidcProviderExistsInAccounts: ['999999999999'] })));
    expect(files['src/bitbucket-oidc/config.ts']).not.toContain('999999999999');
  });

  test('a malformed account ID stays an error', () => {
    expect(problemAbout(optionsError(baseOptions({ oidcProviderExistsInAccounts: ['9999'] })), 'oidcProviderExistsInAccounts[0]')).toContain('this has 4');
  });
});
