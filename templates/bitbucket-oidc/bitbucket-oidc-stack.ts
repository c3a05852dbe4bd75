import { App, CfnOutput, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { BitbucketOidcConfig, DeployRoleConfig, OidcAccountConfig } from './bitbucket-oidc-config';
import { addPreviewRole } from './preview-role';

/** Properties of a `BitbucketOidcStack`. */
export interface BitbucketOidcStackProps extends StackProps {
  /** Issuer of the workspace's OIDC tokens. */
  readonly issuerUrl: string;
  /** Issuer without `https://`: the prefix of the condition keys. A literal, since a CDK token cannot be a condition key. */
  readonly issuerHost: string;
  /** Audience of the workspace's tokens. */
  readonly audience: string;
  /** The provider, deploy roles and read-only role of this account. */
  readonly oidcAccount: OidcAccountConfig;
}

/**
 * The Bitbucket Pipelines OIDC trust of one AWS account: the workspace's
 * identity provider (a plain `AWS::IAM::OIDCProvider`, no custom resource)
 * and one deploy role per deploy environment in the account, plus the
 * read-only role of pull-request previews and drift detection.
 *
 * A deploy role trusts only `sts:AssumeRoleWithWebIdentity` with a token of
 * this workspace (`aud`) issued to a step of this repository, and of its
 * Bitbucket deployment environment when its UUID is known (`sub`). It may
 * only assume the CDK bootstrap roles of its environment, which is all
 * `cdk deploy` needs, unless managed policies were opted in. The read-only
 * role (`preview-role.ts`) trusts every step of the repository and may only
 * read this app's stacks and the bootstrap version.
 */
export class BitbucketOidcStack extends Stack {
  /** The identity provider, created here or imported. */
  public readonly provider: iam.IOidcProvider;
  /** Deploy roles by environment name. */
  public readonly roles: Record<string, iam.Role> = {};
  /** The read-only role of pull-request previews and drift detection; undefined when both are off. */
  public readonly previewRole?: iam.Role;

  constructor(scope: Construct, id: string, props: BitbucketOidcStackProps) {
    super(scope, id, props);
    const config = props.oidcAccount;

    this.provider = config.providerExists
      ? iam.OidcProviderNative.fromOidcProviderArn(this, config.providerLogicalId, config.providerArn)
      : this.createProvider(props);

    // Looked up by name, so the ARN follows the stack's partition and account.
    const boundary = config.permissionsBoundary
      ? iam.ManagedPolicy.fromManagedPolicyName(this, 'PermissionsBoundary', config.permissionsBoundary)
      : undefined;

    for (const role of config.roles) {
      this.roles[role.environment] = this.createDeployRole(props, role, boundary);
    }
    if (config.previewRole) {
      this.previewRole = addPreviewRole(this, {
        provider: this.provider,
        issuerHost: props.issuerHost,
        audience: props.audience,
        config: config.previewRole,
        permissionsBoundary: boundary,
        maxSessionHours: config.maxSessionHours,
      });
    }
  }

  private createProvider(props: BitbucketOidcStackProps): iam.OidcProviderNative {
    const config = props.oidcAccount;
    const provider = new iam.OidcProviderNative(this, config.providerLogicalId, {
      url: props.issuerUrl,
      clientIds: [props.audience],
      thumbprints: config.thumbprints.length > 0 ? [...config.thumbprints] : undefined,
      // Other repositories of the workspace may trust it too: deleting this stack must not cut them off.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (provider.node.defaultChild as iam.CfnOIDCProvider).overrideLogicalId(config.providerLogicalId);
    return provider;
  }

  private createDeployRole(props: BitbucketOidcStackProps, role: DeployRoleConfig, boundary?: iam.IManagedPolicy): iam.Role {
    const config = props.oidcAccount;
    const scope = role.deploymentUuid
      ? `deployment environment ${role.bitbucketDeployment} {${role.deploymentUuid}}`
      : 'any step of the repository';
    const deployRole = new iam.Role(this, role.logicalId, {
      roleName: role.roleName,
      description: `Bitbucket Pipelines deploy role of environment ${role.environment} (${role.region}): ${scope}`,
      // OpenIdConnectPrincipal renders sts:AssumeRoleWithWebIdentity (FederatedPrincipal would default to sts:AssumeRole).
      assumedBy: new iam.OpenIdConnectPrincipal(this.provider, {
        StringEquals: { [`${props.issuerHost}:aud`]: props.audience },
        // The step UUID changes on every run: sub is matched with a pattern, never equality.
        StringLike: { [`${props.issuerHost}:sub`]: role.subjectPattern },
      }),
      inlinePolicies: {
        AssumeCdkBootstrapRoles: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['sts:AssumeRole', 'sts:TagSession'],
              resources: [...role.bootstrapRoleArns],
            }),
          ],
        }),
      },
      managedPolicies: config.managedPolicies.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
      permissionsBoundary: boundary,
      maxSessionDuration: Duration.hours(config.maxSessionHours),
    });
    (deployRole.node.defaultChild as iam.CfnRole).overrideLogicalId(role.logicalId);

    const output = new CfnOutput(this, `${role.logicalId}Arn`, {
      value: deployRole.roleArn,
      description: `Deploy role of environment ${role.environment}`,
    });
    output.overrideLogicalId(`${role.logicalId}Arn`);
    return deployRole;
  }
}

/**
 * Adds one `BitbucketOidcStack` per AWS account of `config` to `app`, pinned
 * to that account and region, using the account's CDK bootstrap: what both
 * entry points (`main.ts`, `provider-main.ts`) build.
 */
export function addOidcStacks(app: App, config: BitbucketOidcConfig, description: string): BitbucketOidcStack[] {
  return config.accounts.map((account) => new BitbucketOidcStack(app, account.stackId, {
    env: { account: account.account, region: account.region },
    stackName: account.stackName,
    description,
    synthesizer: new DefaultStackSynthesizer({ qualifier: account.bootstrapQualifier }),
    issuerUrl: config.issuerUrl,
    issuerHost: config.issuerHost,
    audience: config.audience,
    oidcAccount: account,
  }));
}
