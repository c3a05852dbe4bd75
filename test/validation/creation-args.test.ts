import { BitbucketCdkAppOptions } from '../../src';
import { normaliseCreationArgs } from '../../src/validation/creation-args';
import { baseOptions } from '../util';

type Creation = BitbucketCdkAppOptions & { __new__?: { args: Record<string, unknown> } };

/** Options as `projen new --deploy-account <n> ...` hands them over: numbers for digit-only flags. */
function fromCommandLine(args: Record<string, unknown>): Creation {
  return { ...baseOptions(), ...args, __new__: { args: { ...args } } } as Creation;
}

describe('projen new: digit-only flags parsed as numbers become strings', () => {
  test.each([
    [123456789012, '123456789012'],
    [12345678901, '012345678901'],
  ])('deployAccount %p becomes %p in the options and in __new__.args', (given, expected) => {
    const fixed = normaliseCreationArgs(fromCommandLine({ deployAccount: given })) as Creation;
    expect(fixed.deployAccount).toBe(expected);
    expect(fixed.__new__!.args.deployAccount).toBe(expected);
  });

  test('account lists are padded, other string options only stringified', () => {
    const fixed = normaliseCreationArgs(fromCommandLine({ oidcProviderExistsInAccounts: [12345678901], bitbucketWorkspace: 1234 })) as Creation;
    expect(fixed.oidcProviderExistsInAccounts).toEqual(['012345678901']);
    expect(fixed.bitbucketWorkspace).toBe('1234');
    expect(fixed.__new__!.args.bitbucketWorkspace).toBe('1234');
  });

  test('numeric options stay numbers', () => {
    const fixed = normaliseCreationArgs(fromCommandLine({ pipelineMaxTime: 45, deployRoleMaxSessionHours: 2 })) as Creation;
    expect([fixed.pipelineMaxTime, fixed.deployRoleMaxSessionHours]).toEqual([45, 2]);
  });

  test('outside projen new, options are left to validation', () => {
    const options = { ...baseOptions(), deployAccount: 12345678901 } as unknown as BitbucketCdkAppOptions;
    expect(normaliseCreationArgs(options)).toBe(options);
  });
});
