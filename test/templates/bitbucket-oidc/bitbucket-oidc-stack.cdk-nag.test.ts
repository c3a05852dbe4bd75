import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { generatedOidcApp, removeWorkDirs } from '../../support/generated-oidc-app';
import { baseOptions, twoEnvironmentOptions } from '../../util';

afterAll(removeWorkDirs);

/** Rule IDs of cdk-nag's AWS Solutions findings on the generated stacks, by severity. */
function findings(options: Parameters<typeof generatedOidcApp>[0], acknowledge?: (g: ReturnType<typeof generatedOidcApp>) => void) {
  const generated = generatedOidcApp(options);
  acknowledge?.(generated);
  const report = new AwsSolutionsChecks().validateScope(generated.app);
  const ids = (severity: string) => report.violations.filter((v) => v.severity === severity).map((v) => v.ruleName).sort();
  return { errors: ids('error'), warnings: ids('warning'), success: report.success };
}

describe('cdk-nag AwsSolutionsChecks on the generated OIDC stacks', () => {
  test.each([
    ['one account, defaults', baseOptions()],
    ['two accounts, scoped environments', twoEnvironmentOptions()],
    ['existing provider', twoEnvironmentOptions({ oidcProviderExistsInAccounts: ['222222222222'] })],
    ['permissions boundary', baseOptions({ deployRolePermissionsBoundary: 'deploy-boundary' })],
    ['China partition', baseOptions({ deployRegion: 'cn-north-1' })],
    ['read-only role without drift detection', baseOptions({ driftDetection: false })],
    ['no read-only role', baseOptions({ pullRequestPreview: false, driftDetection: false })],
  ])('%s: no finding at all', (_name, options) => {
    expect(findings(options)).toEqual({ errors: [], warnings: [], success: true });
  });

  test('the managed-policy opt-in is reported (IAM4): the rules do run on the generated constructs', () => {
    // Also proves a single aws-cdk-lib is loaded: with two copies every rule passes silently.
    expect(findings(baseOptions({ deployRoleManagedPolicies: ['ReadOnlyAccess'] })).errors)
      .toEqual([expect.stringMatching(/^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/ReadOnlyAccess\]$/)]);
  });

  test('and is clean once acknowledged', () => {
    const result = findings(baseOptions({ deployRoleManagedPolicies: ['ReadOnlyAccess'] }), (generated) => {
      for (const stack of Object.values(generated.stacks)) {
        // Justified: the policy is an explicit opt-in (deployRoleManagedPolicies), on top of the bootstrap-only default.
        Validations.of(stack).acknowledge({
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess]',
          reason: 'Opted in with deployRoleManagedPolicies in .projenrc.ts',
        });
      }
    });
    expect(result).toEqual({ errors: [], warnings: [], success: true });
  });
});
