/**
 * The IAM side of the stand-in AWS: identity providers and roles read from the
 * synthesised OIDC templates (`cdk.oidc.out/*.template.json`), and decisions
 * taken by a real IAM policy evaluator (`@cloud-copilot/iam-simulate`), so the
 * rehearsal tests the policies the user would deploy, not a copy of them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

export interface ProviderModel {
  readonly account: string;
  readonly partition: string;
  readonly arn: string;
  /** Issuer URL with scheme. */
  readonly url: string;
  /** Undefined for an imported provider: its client IDs are not in the template. */
  readonly clientIds?: string[];
  readonly logicalId?: string;
}

export interface RoleModel {
  readonly account: string;
  readonly partition: string;
  readonly name: string;
  readonly arn: string;
  readonly logicalId: string;
  readonly stackId: string;
  readonly trustPolicy: any;
  /** Inline policy documents, intrinsics resolved. */
  readonly inlinePolicies: any[];
  /** Managed policy ARNs: their documents are not in the template. */
  readonly managedPolicyArns: string[];
  readonly maxSessionDuration: number;
}

export interface StackModel {
  readonly stackId: string;
  readonly stackName?: string;
  readonly account: string;
  readonly region: string;
  readonly template: any;
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

const PSEUDO: Record<string, (s: StackModel, partition: string) => string> = {
  'AWS::AccountId': (s) => s.account,
  'AWS::Region': (s) => s.region,
  'AWS::Partition': (_s, p) => p,
  'AWS::URLSuffix': (_s, p) => (p === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'),
};

export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * Resolves the intrinsics a synthesised IAM policy can hold here: `Ref` of a
 * pseudo parameter or of the provider, `Fn::GetAtt` of the provider,
 * `Fn::Join`. Anything else is an error, so an unexpected template shape fails
 * loudly instead of being evaluated wrongly.
 */
export function resolveIntrinsics(value: any, stack: StackModel, refs: Record<string, string>): any {
  const partition = partitionOfRegion(stack.region);
  const walk = (v: any): any => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'Ref') {
      const name = v.Ref;
      if (PSEUDO[name]) return PSEUDO[name](stack, partition);
      if (refs[name] !== undefined) return refs[name];
      throw new Error(`${stack.stackId}: cannot resolve Ref ${name}`);
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [logicalId, attr] = v['Fn::GetAtt'];
      if (attr === 'Arn' && refs[logicalId] !== undefined) return refs[logicalId];
      throw new Error(`${stack.stackId}: cannot resolve Fn::GetAtt ${logicalId}.${attr}`);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [sep, parts] = v['Fn::Join'];
      return (walk(parts) as any[]).map(String).join(sep);
    }
    const intrinsic = keys.find((k) => k.startsWith('Fn::'));
    if (intrinsic) throw new Error(`${stack.stackId}: unsupported intrinsic ${intrinsic}`);
    return Object.fromEntries(keys.map((k) => [k, walk(v[k])]));
  };
  return walk(value);
}

/** Reads the stacks of a cloud assembly (its manifest gives each stack's account and region). */
export function readAssemblyStacks(assemblyDir: string): StackModel[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf-8'));
  const stacks: StackModel[] = [];
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const m = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(artifact.environment ?? '');
    if (!m) throw new Error(`${id}: stack without a concrete environment (${artifact.environment})`);
    const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf-8'));
    stacks.push({ stackId: id, stackName: artifact.properties.stackName, account: m[1], region: m[2], template });
  }
  return stacks;
}

/** Providers and roles of the OIDC stacks, as IAM would hold them once deployed. */
export class IamModel {
  public static fromAssembly(assemblyDir: string): IamModel {
    return new IamModel(readAssemblyStacks(assemblyDir));
  }

  public readonly providers: ProviderModel[] = [];
  public readonly roles: RoleModel[] = [];

  constructor(public readonly stacks: StackModel[]) {
    for (const stack of stacks) {
      const partition = partitionOfRegion(stack.region);
      const resources = stack.template.Resources ?? {};
      const refs: Record<string, string> = {};
      for (const [logicalId, r] of Object.entries<any>(resources)) {
        if (r.Type !== 'AWS::IAM::OIDCProvider') continue;
        const url: string = r.Properties.Url;
        const arn = `arn:${partition}:iam::${stack.account}:oidc-provider/${url.replace(/^https:\/\//, '')}`;
        refs[logicalId] = arn;
        this.providers.push({ account: stack.account, partition, arn, url, clientIds: [...(r.Properties.ClientIdList ?? [])], logicalId });
      }
      for (const [logicalId, r] of Object.entries<any>(resources)) {
        if (r.Type !== 'AWS::IAM::Role') continue;
        const p = r.Properties;
        if (typeof p.RoleName !== 'string') throw new Error(`${stack.stackId}/${logicalId}: role without a literal RoleName`);
        const trustPolicy = resolveIntrinsics(p.AssumeRolePolicyDocument, stack, refs);
        // An imported provider is referenced by a literal ARN: IAM knows it, its client IDs are not in this template.
        for (const st of trustPolicy.Statement ?? []) {
          for (const federated of [st.Principal?.Federated].flat().filter(Boolean)) {
            if (!this.providers.some((pr) => pr.arn === federated)) {
              const m = /^arn:([^:]+):iam::(\d{12}):oidc-provider\/(.+)$/.exec(federated);
              if (m) this.providers.push({ account: m[2], partition: m[1], arn: federated, url: `https://${m[3]}` });
            }
          }
        }
        this.roles.push({
          account: stack.account,
          partition,
          name: p.RoleName,
          arn: `arn:${partition}:iam::${stack.account}:role/${p.RoleName}`,
          logicalId,
          stackId: stack.stackId,
          trustPolicy,
          inlinePolicies: (p.Policies ?? []).map((pol: any) => resolveIntrinsics(pol.PolicyDocument, stack, refs)),
          managedPolicyArns: resolveIntrinsics(p.ManagedPolicyArns ?? [], stack, refs),
          maxSessionDuration: p.MaxSessionDuration ?? 3600,
        });
      }
    }
  }

  public role(arn: string): RoleModel | undefined {
    return this.roles.find((r) => r.arn === arn);
  }

  /** The provider IAM would validate a token of `issuer` against, in `account`. */
  public provider(account: string, issuer: string): ProviderModel | undefined {
    return this.providers.find((p) => p.account === account && p.url === issuer);
  }
}

function requestOf(principal: string, action: string, resource: string, context: Record<string, string>) {
  return {
    principal,
    action,
    resource: { resource, accountId: resource.split(':')[4] },
    contextVariables: context,
  };
}

/**
 * Trust policy decision for a web identity. The validating `runSimulation`
 * drops condition keys it does not know from its catalogue (Bitbucket's
 * `<issuerHost>:sub` among them) and would deny everything, so the policy is
 * validated with it and the decision taken by `runUnsafeSimulation`, the same
 * engine without the catalogue check.
 */
export async function evaluateWebIdentityTrust(role: RoleModel, providerArn: string, context: Record<string, string>): Promise<Decision> {
  const req = requestOf(providerArn, 'sts:AssumeRoleWithWebIdentity', role.arn, context);
  const base = { identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [] };
  const checked = await runSimulation({ ...base, request: req, resourcePolicy: role.trustPolicy } as any, {});
  if (checked.resultType === 'error') throw new Error(`invalid trust policy of ${role.arn}: ${JSON.stringify(checked.errors)}`);
  const validated = { __validated: true, policyDocument: role.trustPolicy, metadata: { name: 'TrustPolicy' }, errors: [] };
  return runUnsafeSimulation({ ...base, request: req, resourcePolicy: validated } as any, {}) as Decision;
}

/**
 * Whether `sessionArn`, holding `identityPolicies`, may call `action` on the
 * role `target`. Targets are CDK bootstrap roles, which trust their own
 * account (as `cdk bootstrap` creates them); so a role of another account is
 * refused even when the identity policy would allow it.
 */
export async function evaluateAssumeRole(identityPolicies: any[], sessionArn: string, target: string, action = 'sts:AssumeRole'): Promise<Decision> {
  const [, partition, , , account] = target.split(':');
  const result = await runSimulation({
    request: requestOf(sessionArn, action, target, {}),
    identityPolicies: identityPolicies.map((policy, i) => ({ name: `policy${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
    },
  } as any, {});
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

/**
 * Whether a caller holding `identityPolicies` may call `action` on
 * `resource` in its own account (no resource policy involved: CloudFormation
 * stacks and SSM parameters have none). `resource` is an ARN, or `*` for
 * actions without resource types (DescribeStackDriftDetectionStatus);
 * `context` holds request keys such as the resource's `aws:ResourceTag/<key>`.
 */
export async function evaluateIdentityAction(
  identityPolicies: any[], principalArn: string, action: string, resource: string, context: Record<string, string> = {},
): Promise<Decision> {
  const request = { ...requestOf(principalArn, action, resource, context), resource: { resource, accountId: resource.split(':')[4] || principalArn.split(':')[4] } };
  const result = await runSimulation({
    request,
    identityPolicies: identityPolicies.map((policy, i) => ({ name: `policy${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  } as any, {});
  if (result.resultType === 'error') throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
  // `*` of an action that has resource types puts the simulator in wildcard mode ("allowed on some
  // resource"); AWS needs `Resource: "*"` for such a call (DescribeStacks without a stack name).
  if (result.resultType === 'wildcard') return grantsEverything(identityPolicies, action) ? 'Allowed' : 'ImplicitlyDenied';
  if (result.resultType !== 'single') throw new Error(`unexpected simulation result ${(result as any).resultType} for ${action} on ${resource}`);
  return result.overallResult as Decision;
}

function matchesAction(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

/** An unconditional Allow of `action` on `"*"` and no Deny of it: what a call on every resource needs. */
function grantsEverything(policies: any[], action: string): boolean {
  const statements = policies.flatMap((p) => [p.Statement].flat()).filter(Boolean);
  const hits = statements.filter((st) => [st.Action].flat().some((a: string) => typeof a === 'string' && matchesAction(a, action)));
  if (hits.some((st) => st.Effect === 'Deny')) return false;
  return hits.some((st) => st.Effect === 'Allow' && !st.Condition && [st.Resource].flat().includes('*'));
}

const BOOTSTRAP_ROLE = /^arn:([^:]+):iam::(\d{12}):role\/cdk-([a-z0-9]+)-(deploy|file-publishing|image-publishing|lookup)-role-\d{12}-([a-z0-9-]+)$/;

/**
 * Identity policies of a CDK bootstrap role's session, simplified from the
 * bootstrap template (what `cdk bootstrap` creates; the template itself is
 * not in the rehearsal): the deploy role drives CloudFormation and reads the
 * bootstrap version, the publishing roles write assets, the lookup role
 * reads (AWS's ReadOnlyAccess, approximated by Describe/Get/List). Another
 * role gets nothing. Assuming further roles is never granted, as before.
 */
export function bootstrapSessionPolicies(roleArn: string): any[] {
  const m = BOOTSTRAP_ROLE.exec(roleArn);
  if (!m) return [];
  const [, partition, account, qualifier, kind, region] = m;
  const statement = (Action: string[], Resource: string | string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });
  const version = `arn:${partition}:ssm:${region}:${account}:parameter/cdk-bootstrap/${qualifier}/version`;
  const bucket = `arn:${partition}:s3:::cdk-${qualifier}-assets-${account}-${region}`;
  switch (kind) {
    case 'deploy': return [statement(['cloudformation:*'], '*'), statement(['ssm:GetParameter', 'ssm:GetParameters'], version), statement(['s3:GetObject*', 's3:GetBucket*', 's3:List*'], [bucket, `${bucket}/*`])];
    case 'file-publishing': return [statement(['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:PutObject*', 's3:Abort*', 's3:DeleteObject*'], [bucket, `${bucket}/*`])];
    case 'image-publishing': return [statement(['ecr:*'], `arn:${partition}:ecr:${region}:${account}:repository/cdk-${qualifier}-container-assets-${account}-${region}`), statement(['ecr:GetAuthorizationToken'], '*')];
    default: return [statement(['cloudformation:Describe*', 'cloudformation:Get*', 'cloudformation:List*', 'ssm:Describe*', 'ssm:Get*', 'ssm:List*', 'ec2:Describe*', 'route53:Get*', 'route53:List*'], '*')];
  }
}

/** Every action on every resource: what the static administrator credentials hold. */
export const ADMINISTRATOR_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
