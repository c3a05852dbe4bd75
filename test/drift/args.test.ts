import { DriftUsageError, parseDriftArgs } from '../../src/drift/args';

test('flags as separate words or --flag=value; the assembly defaults to cdk.out', () => {
  expect(parseDriftArgs(['--environment=production', '--account', '012345678901', '--region=eu-west-1'])).toEqual({
    environment: 'production', account: '012345678901', region: 'eu-west-1', assembly: 'cdk.out',
  });
  expect(parseDriftArgs(['--environment', 'dev', '--account', '0123-4567-8901', '--region', 'us-east-1', '--assembly', 'out'])).toMatchObject({
    account: '012345678901', assembly: 'out',
  });
});

test.each([
  [['--environment', 'a', '--environment', 'b', '--account', '012345678901', '--region', 'eu-west-1'], '--environment is given twice.'],
  [['--environment', 'a b', '--account', '012345678901', '--region', 'eu-west-1'], '--environment "a b": Expected the name of a deploy environment'],
  [['--environment', '--account', '012345678901', '--region', 'eu-west-1'], '--environment needs a value.'],
  [['-e', 'production'], 'Unexpected argument "-e"'],
  [['--environment', 'a', '--account', '012345678901', '--region', 'eu-west-1', '--assembly='], '--assembly "": Expected a directory.'],
])('%j: %s', (argv, message) => {
  expect(() => parseDriftArgs(argv)).toThrow(DriftUsageError);
  expect(() => parseDriftArgs(argv)).toThrow(message);
});

test('--help wins over everything else', () => {
  expect(parseDriftArgs(['--bogus', '-h'])).toBe('help');
});
