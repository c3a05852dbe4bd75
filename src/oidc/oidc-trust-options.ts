import type { ResolvedDeployEnvironment, ResolvedOidcAccount } from '../settings';

/**
 * What every OIDC stack of the project is generated from, the repository's
 * own (`BitbucketOidc`) and the workspace provider's (`OidcProviderApp`):
 * the workspace's issuer and audience, the repository, its environments and
 * accounts.
 */
export interface OidcTrustOptions {
  /** The project's name (`name`), in generated names and descriptions. */
  readonly projectName: string;
  /** The Bitbucket workspace slug (`bitbucketWorkspace`). */
  readonly workspace: string;
  /** The workspace's OIDC issuer URL. */
  readonly issuerUrl: string;
  /** The issuer URL without `https://`: the prefix of the token's claim keys in IAM conditions. */
  readonly issuerHost: string;
  /** The audience (`aud`) of the workspace's OIDC tokens. */
  readonly audience: string;
  /** The Bitbucket repository UUID, without braces: the `sub` claim every role trusts starts with it. */
  readonly repositoryUuid: string;
  /** The deploy environments, in pipeline order (validated: see `ResolvedDeployEnvironment`). */
  readonly environments: ResolvedDeployEnvironment[];
  /** The AWS accounts of the project's OIDC stacks, with the environments whose deploy roles each holds. */
  readonly oidcAccounts: ResolvedOidcAccount[];
  /** Thumbprints of the identity provider's certificate chain. */
  readonly oidcThumbprints: string[];
  /** The CDK bootstrap qualifier whose roles the deploy roles may assume. */
  readonly bootstrapQualifier: string;
  /** Maximum session duration of the roles, in hours. */
  readonly maxSessionHours: number;
}
