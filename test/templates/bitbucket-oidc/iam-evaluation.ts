import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

/** Replaces `{ Ref: <providerLogicalId> }` in a synthesised policy with the provider's ARN; any other intrinsic is an error. */
export function resolveProviderRef(policy: any, providerLogicalId: string, providerArn: string): any {
  return JSON.parse(JSON.stringify(policy), (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if (value.Ref === providerLogicalId) return providerArn;
      const intrinsic = Object.keys(value).find((k) => k === 'Ref' || k.startsWith('Fn::'));
      if (intrinsic) throw new Error(`unresolved ${intrinsic} in policy`);
    }
    return value;
  });
}

/** A web identity request as STS sees it after validating a Bitbucket token. */
export interface WebIdentityRequest {
  /** ARN of the OIDC provider the token was validated against. */
  readonly provider: string;
  /** Condition keys from the token: `<issuerHost>:aud`, `<issuerHost>:sub`. */
  readonly claims: Record<string, string>;
  /** Defaults to `sts:AssumeRoleWithWebIdentity`. */
  readonly action?: string;
}

function simulation(roleArn: string, request: WebIdentityRequest, resourcePolicy: any) {
  return {
    request: {
      principal: request.provider,
      action: request.action ?? 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: roleArn, accountId: roleArn.split(':')[4] },
      contextVariables: request.claims,
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
  };
}

/**
 * Evaluates a role's trust policy for a web identity request with
 * `@cloud-copilot/iam-simulate`.
 *
 * The validating `runSimulation` keeps only condition keys in its catalogue,
 * which knows GitHub's and other well-known issuers but not an issuer with a
 * path such as Bitbucket's: it would drop `<issuerHost>:sub` and deny
 * everything. So the policy is validated with `runSimulation` and the
 * decision taken by `runUnsafeSimulation`, the same engine without the
 * catalogue check (given an already validated policy, which it expects).
 */
export async function evaluateTrust(trustPolicy: any, roleArn: string, request: WebIdentityRequest): Promise<string> {
  const checked = await runSimulation(simulation(roleArn, request, trustPolicy) as any, {});
  if (checked.resultType === 'error') throw new Error(`invalid trust policy: ${JSON.stringify(checked.errors)}`);
  const validated = { __validated: true, policyDocument: trustPolicy, metadata: { name: 'TrustPolicy' }, errors: [] };
  return runUnsafeSimulation(simulation(roleArn, request, validated) as any, {});
}

/**
 * Whether a session of a deploy role may call `sts:AssumeRole` on `target`,
 * given the role's identity policies and a target trusting its account (as
 * the CDK bootstrap roles do).
 */
export async function evaluateAssumeRole(identityPolicies: any[], sessionArn: string, target: string): Promise<string> {
  const [, partition, , , account] = target.split(':');
  return evaluateSessionCall(identityPolicies, sessionArn, { action: 'sts:AssumeRole', resource: target, resourcePolicy: trustingAccount(account, partition) });
}

/** Request context of a call that CloudFormation makes with the caller's credentials (forward access session), as drift detection does. */
export const VIA_CLOUDFORMATION: Record<string, string | string[]> = {
  'aws:CalledVia': ['cloudformation.amazonaws.com'],
  'aws:CalledViaFirst': 'cloudformation.amazonaws.com',
  'aws:CalledViaLast': 'cloudformation.amazonaws.com',
  'aws:ViaAWSService': 'true',
};

/** A call made by a role's session. */
export interface SessionCall {
  /** The action, e.g. `cloudformation:GetTemplate`. */
  readonly action: string;
  /** The resource ARN; `*` only for actions without resource types. */
  readonly resource: string;
  /** Extra request context, e.g. `VIA_CLOUDFORMATION`. */
  readonly context?: Record<string, string | string[]>;
  /**
   * The target's resource policy, when it has one that lets the account in
   * (a role's trust, a KMS key policy): the decision is then the session's.
   */
  readonly resourcePolicy?: any;
}

/** A resource policy that trusts the whole account, as CDK bootstrap roles and default KMS key policies do. */
export function trustingAccount(account: string, partition = 'aws'): any {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: '*', Resource: '*' }],
  };
}

/**
 * Whether a session of a role holding `identityPolicies` may make `call`
 * (same account). A resource of `*` for an action with resource types is an
 * error: such a test would say nothing about a real resource.
 */
export async function evaluateSessionCall(identityPolicies: any[], sessionArn: string, call: SessionCall): Promise<string> {
  const account = sessionArn.split(':')[4];
  const result = await runSimulation({
    request: {
      principal: sessionArn,
      action: call.action,
      resource: { resource: call.resource, accountId: account },
      contextVariables: call.context ?? {},
    },
    identityPolicies: identityPolicies.map((policy, i) => ({ name: `policy${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: call.resourcePolicy,
  }, {});
  if (result.resultType === 'error') throw new Error(`simulation error for ${call.action} on ${call.resource}: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`${call.action} on ${call.resource}: give a resource ARN (result ${result.resultType})`);
  return result.overallResult;
}
