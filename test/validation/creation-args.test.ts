import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { BitbucketCdkAppOptions } from '../../src';
import { normaliseCreationArgs, STRING_OPTIONS, typedValues } from '../../src/validation/creation-args';
import { resolveSettings } from '../../src/validation/resolve-settings';
import { baseOptions } from '../util';
import { optionsError, problemAbout } from './helpers';

type Creation = BitbucketCdkAppOptions & { __new__?: { args: Record<string, unknown> } };

/**
 * Options as `projen new --from projen-bitbucket-cdk <flags>` hands them to the
 * constructor: yargs turned digit-only values without a leading zero into
 * numbers, and `process.argv` still holds the flags as typed.
 */
function fromCommandLine(args: Record<string, unknown>, typed: string[]): [Creation, string[]] {
  const argv = ['/usr/bin/node', '/x/node_modules/projen/bin/projen', 'new', '--from', 'projen-bitbucket-cdk', ...typed];
  return [{ ...baseOptions(), ...args, __new__: { args: { ...args } } } as Creation, argv];
}

describe('projen new: digit-only flags parsed as numbers become the text typed', () => {
  test.each([
    ['12 digits', 123456789012, '123456789012'],
    ['11 digits, kept as typed for validation to refuse', 12345678901, '12345678901'],
  ])('deployAccount, %s', (_, parsed, expected) => {
    const [options, argv] = fromCommandLine({ deployAccount: parsed }, ['--deploy-account', expected]);
    const fixed = normaliseCreationArgs(options, argv) as Creation;
    expect(fixed.deployAccount).toBe(expected);
    expect(fixed.__new__!.args.deployAccount).toBe(expected);
  });

  test('the typed text wins over the number\'s digits (1.2e11 is not an account ID)', () => {
    const [options, argv] = fromCommandLine({ deployAccount: 120000000000 }, ['--deploy-account=1.2e11']);
    expect(normaliseCreationArgs(options, argv).deployAccount).toBe('1.2e11');
  });

  test('account lists from repeated flags keep each value as typed; other string options too', () => {
    const [options, argv] = fromCommandLine(
      { oidcProviderExistsInAccounts: [111111111111, 22222222222], bitbucketWorkspace: 7 },
      ['--oidc-provider-exists-in-accounts', '111111111111', '--oidc-provider-exists-in-accounts', '22222222222', '--bitbucketWorkspace', '007'],
    );
    const fixed = normaliseCreationArgs(options, argv) as Creation;
    expect(fixed.oidcProviderExistsInAccounts).toEqual(['111111111111', '22222222222']);
    expect(fixed.bitbucketWorkspace).toBe('007');
    expect(fixed.__new__!.args.bitbucketWorkspace).toBe('007');
  });

  test('without the typed text (projen called programmatically), the number\'s digits, never padded', () => {
    const [options] = fromCommandLine({ deployAccount: 12345678901 }, []);
    expect(normaliseCreationArgs(options, ['node', 'jest']).deployAccount).toBe('12345678901');
  });

  test('numeric options stay numbers', () => {
    const [options, argv] = fromCommandLine({ pipelineMaxTime: 45, deployRoleMaxSessionHours: 2 }, ['--pipeline-max-time', '45']);
    const fixed = normaliseCreationArgs(options, argv);
    expect([fixed.pipelineMaxTime, fixed.deployRoleMaxSessionHours]).toEqual([45, 2]);
  });

  test('outside projen new, options are left to validation', () => {
    const options = { ...baseOptions(), deployAccount: 12345678901 } as unknown as BitbucketCdkAppOptions;
    expect(normaliseCreationArgs(options, ['--deploy-account', '12345678901'])).toBe(options);
  });

  test('typedValues reads --flag value, --flag=value and the camel-case spelling, up to --', () => {
    expect(typedValues(['--deploy-account', '1', '--deployAccount=2', '--deploy-account', '--x', '--', '--deploy-account', '3'], 'deployAccount')).toEqual(['1', '2']);
  });
});

describe('projen new with an account ID that is not 12 digits: refused as typed, nothing written', () => {
  /** Runs `fn` while `process.argv` is the command line, as during `projen new` (it constructs the project in-process). */
  function whileTyped<T>(argv: string[], fn: () => T): T {
    const saved = process.argv;
    process.argv = argv;
    try {
      return fn();
    } finally {
      process.argv = saved;
    }
  }

  test('--deploy-account 12345678901 (a dropped digit) is not padded into somebody else\'s account', () => {
    const [options, argv] = fromCommandLine({ deployAccount: 12345678901 }, ['--deploy-account', '12345678901']);
    const error = whileTyped(argv, () => optionsError(options));
    expect(problemAbout(error, 'deployAccount')).toContain('deployAccount: "12345678901"');
    expect(problemAbout(error, 'deployAccount')).toContain('this has 11. If it lost leading zeros, write "012345678901"');
  });

  test('--oidc-provider-exists-in-accounts 12345678901 likewise', () => {
    const [options, argv] = fromCommandLine(
      { deployAccount: '123456789012', oidcProviderExistsInAccounts: [12345678901] },
      ['--deploy-account', '123456789012', '--oidc-provider-exists-in-accounts', '12345678901'],
    );
    const error = whileTyped(argv, () => optionsError(options));
    expect(problemAbout(error, 'oidcProviderExistsInAccounts[0]')).toContain('"12345678901"');
    expect(problemAbout(error, 'oidcProviderExistsInAccounts[0]')).toContain('this has 11');
  });

  test('a typed leading zero is accepted and reaches .projenrc.ts as a string', () => {
    const [options, argv] = fromCommandLine({ deployAccount: '012345678901' }, ['--deploy-account', '012345678901']);
    const settings = resolveSettings(normaliseCreationArgs(options, argv));
    expect(settings.environments[0].account).toBe('012345678901');
    expect(settings.warnings.filter((w) => w.startsWith('deployAccount'))).toEqual([]);
    expect(options.__new__!.args.deployAccount).toBe('012345678901');
  });
});

test('every string or string[] option of this package is kept as typed (the list follows the options)', () => {
  const file = path.resolve(__dirname, '../../src/bitbucket-cdk-app-options.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.Latest, true);
  const stringOptions: string[] = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'BitbucketCdkAppOptions') return;
    for (const member of node.members) {
      if (ts.isPropertySignature(member) && ['string', 'string[]'].includes(member.type?.getText(source) ?? '')) {
        stringOptions.push(member.name.getText(source));
      }
    }
  });
  expect([...STRING_OPTIONS].sort()).toEqual(stringOptions.sort());
});
