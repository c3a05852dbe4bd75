import { resolveSettings } from '../../src/validation/resolve-settings';
import { DEFAULT_CDK_CLI_INTEGRITY, DEFAULT_CDK_CLI_VERSION } from '../../src/versions';
import { baseOptions } from '../util';

const OTHER = `sha512-${'C'.repeat(86)}==`;

describe('the integrity the deploy steps require of the CDK CLI', () => {
  test('the default version: the integrity shipped with this package, no warning', () => {
    const s = resolveSettings(baseOptions());
    expect(s.cdkCliVersion).toBe(DEFAULT_CDK_CLI_VERSION);
    expect(s.cdkCliIntegrity).toBe(DEFAULT_CDK_CLI_INTEGRITY);
    expect(s.warnings.filter((w) => w.includes('cdkCliIntegrity'))).toEqual([]);
  });

  test('the default version stated with its shipped integrity: accepted', () => {
    const s = resolveSettings(baseOptions({ cdkCliVersion: DEFAULT_CDK_CLI_VERSION, cdkCliIntegrity: DEFAULT_CDK_CLI_INTEGRITY }));
    expect(s.cdkCliIntegrity).toBe(DEFAULT_CDK_CLI_INTEGRITY);
  });

  test('an overridden version with cdkCliIntegrity: that integrity (trimmed)', () => {
    const s = resolveSettings(baseOptions({ cdkCliVersion: '2.1150.0', cdkCliIntegrity: ` ${OTHER} ` }));
    expect(s.cdkCliIntegrity).toBe(OTHER);
    expect(s.warnings.filter((w) => w.includes('cdkCliIntegrity is not set'))).toEqual([]);
  });

  test('an overridden version without it: none, and a warning says what the steps verify and how to pin it', () => {
    const s = resolveSettings(baseOptions({ cdkCliVersion: '2.1150.0' }));
    expect(s.cdkCliIntegrity).toBeUndefined();
    expect(s.warnings).toContain(`cdkCliVersion: 2.1150.0 is not this package's default (${DEFAULT_CDK_CLI_VERSION}) and cdkCliIntegrity is not set: the deploy steps verify the CLI only against the integrity package-lock.json states. Set cdkCliIntegrity to the output of npm view aws-cdk@2.1150.0 dist.integrity.`);
  });
});
