/**
 * A stack's changes, sorted into what a reviewer acts on: per resource the
 * action CloudFormation would take (and which properties force a
 * replacement), whether it holds data, and the IAM and security-group
 * changes. Read from the structured diff, never from printed text.
 */
import { isStatefulType } from './stateful-resources';
import type { TemplateDiff } from './template-diff';

/**
 * `add` created; `update` changed in place; `replace` a new resource replaces
 * it (the old one is deleted, unless its `UpdateReplacePolicy` keeps it);
 * `may-replace` replaced or not depending on the values (CloudFormation
 * decides: "Conditionally"); `remove` deleted; `orphan` removed from the stack
 * but kept in the account (`DeletionPolicy: Retain`); `import` imported.
 */
export type ResourceAction = 'add' | 'update' | 'replace' | 'may-replace' | 'remove' | 'orphan' | 'import';

export interface ResourceChange {
  readonly logicalId: string;
  readonly type: string;
  /** Construct path (`aws:cdk:path` metadata), e.g. `dev/App/Database/Resource`. */
  readonly constructPath?: string;
  readonly action: ResourceAction;
  /** Holds data lost on replacement or deletion (see stateful-resources.ts). */
  readonly stateful: boolean;
  /** Changed properties (and other attributes such as `DeletionPolicy`). */
  readonly changedProperties: string[];
  /** The properties whose change forces (or may force) the replacement. */
  readonly replacingProperties: string[];
  /**
   * The old resource's `UpdateReplacePolicy` (on replacement) or `DeletionPolicy`
   * (on removal) when the template sets one: `Retain`, `RetainExceptOnCreate`, `Snapshot` or `Delete`.
   */
  readonly oldResourcePolicy?: string;
}

export interface IamChange {
  readonly change: 'added' | 'removed';
  readonly kind: 'statement' | 'managed-policy';
  /** One readable line, e.g. `Allow s3:GetObject on ${Bucket.Arn} for ${Role}`. */
  readonly description: string;
}

export interface SecurityGroupChange {
  readonly change: 'added' | 'removed';
  readonly direction: 'ingress' | 'egress';
  /** e.g. `TCP 22 from 0.0.0.0/0 on ${Sg.GroupId}`. */
  readonly description: string;
  /** An ingress rule open to the whole internet (0.0.0.0/0 or ::/0). */
  readonly openToWorld: boolean;
}

export interface StackChanges {
  readonly resources: ResourceChange[];
  readonly iam: IamChange[];
  /** IAM changes that add permissions (statements added, deny statements removed, managed policies attached). */
  readonly permissionsBroadened: boolean;
  readonly securityGroups: SecurityGroupChange[];
  /** Outputs, parameters, conditions and other template sections that changed (by name). */
  readonly otherChanges: string[];
}

const IMPACT_ACTION: Record<string, ResourceAction> = {
  WILL_CREATE: 'add',
  WILL_UPDATE: 'update',
  NO_CHANGE: 'update',
  WILL_REPLACE: 'replace',
  MAY_REPLACE: 'may-replace',
  WILL_DESTROY: 'remove',
  WILL_ORPHAN: 'orphan',
  WILL_IMPORT: 'import',
};

function constructPath(resource: any): string | undefined {
  const path = resource?.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' ? path : undefined;
}

function resourceChanges(diff: TemplateDiff): ResourceChange[] {
  const out: ResourceChange[] = [];
  diff.resources.forEachDifference((logicalId, change) => {
    const action = IMPACT_ACTION[String(change.changeImpact)] ?? 'update';
    const type = change.newResourceType ?? change.oldResourceType ?? 'unknown';
    const changedProperties: string[] = [];
    const replacingProperties: string[] = [];
    if (change.resourceTypeChanged) replacingProperties.push('Type');
    change.forEachDifference((kind, name, value) => {
      changedProperties.push(name);
      const impact = String((value as any).changeImpact ?? '');
      if (kind === 'Property' && (impact === 'WILL_REPLACE' || impact === 'MAY_REPLACE')) replacingProperties.push(name);
    });
    const old = change.oldValue as any;
    // Only an explicit policy: CloudFormation's defaults differ by type (an RDS instance defaults to a snapshot).
    const oldResourcePolicy = action === 'replace' || action === 'may-replace' ? old?.UpdateReplacePolicy
      : action === 'remove' || action === 'orphan' ? old?.DeletionPolicy : undefined;
    out.push({
      logicalId,
      type,
      constructPath: constructPath(change.newValue) ?? constructPath(change.oldValue),
      action,
      stateful: isStatefulType(change.oldResourceType) || isStatefulType(change.newResourceType),
      changedProperties: change.isAddition || change.isRemoval ? [] : changedProperties,
      replacingProperties,
      oldResourcePolicy,
    });
  });
  return out;
}

function iamChanges(diff: TemplateDiff): IamChange[] {
  const iam = diff.iamChanges;
  const statement = (change: IamChange['change']) => (s: any): IamChange => {
    const r = s.render();
    const condition = r.condition ? ` when ${r.condition.replace(/\s+/g, ' ')}` : '';
    return { change, kind: 'statement', description: `${r.effect} ${r.action.replace(/\s+/g, ' ')} on ${r.resource.replace(/\s+/g, ' ')} for ${r.principal.replace(/\s+/g, ' ')}${condition}` };
  };
  const managed = (change: IamChange['change']) => (m: any): IamChange =>
    ({ change, kind: 'managed-policy', description: `managed policy ${m.managedPolicyArn} on ${m.identityArn}` });
  return [
    ...iam.statements.additions.map(statement('added')),
    ...iam.statements.removals.map(statement('removed')),
    ...iam.managedPolicies.additions.map(managed('added')),
    ...iam.managedPolicies.removals.map(managed('removed')),
  ];
}

function securityGroupChanges(diff: TemplateDiff): SecurityGroupChange[] {
  const sg = diff.securityGroupChanges;
  const rule = (change: SecurityGroupChange['change'], direction: SecurityGroupChange['direction']) => (r: any): SecurityGroupChange => {
    const peer = r.describePeer();
    return {
      change,
      direction,
      description: `${r.describeProtocol()} ${direction === 'ingress' ? 'from' : 'to'} ${peer} on ${r.groupId}`,
      openToWorld: direction === 'ingress' && r.peer?.kind === 'cidr-ip' && (r.peer.ip === '0.0.0.0/0' || r.peer.ip === '::/0'),
    };
  };
  return [
    ...sg.ingress.additions.map(rule('added', 'ingress')),
    ...sg.ingress.removals.map(rule('removed', 'ingress')),
    ...sg.egress.additions.map(rule('added', 'egress')),
    ...sg.egress.removals.map(rule('removed', 'egress')),
  ];
}

function otherChanges(diff: TemplateDiff): string[] {
  const out: string[] = [];
  const sections = [
    ['Output', diff.outputs], ['Parameter', diff.parameters], ['Condition', diff.conditions], ['Mapping', diff.mappings],
  ] as const;
  for (const [label, collection] of sections) {
    collection.forEachDifference((name: string) => out.push(`${label} ${name}`));
  }
  if (diff.description?.isDifferent) out.push('Description');
  if (diff.transform?.isDifferent) out.push('Transform');
  return out;
}

export function classifyChanges(diff: TemplateDiff): StackChanges {
  return {
    resources: resourceChanges(diff),
    iam: iamChanges(diff),
    // Not diff.permissionsBroadened: that also counts security-group rules added, listed separately.
    permissionsBroadened: diff.iamChanges.permissionsBroadened,
    securityGroups: securityGroupChanges(diff),
    otherChanges: otherChanges(diff),
  };
}

/** A stateful resource that would (or may) be replaced or deleted: what fails the report. */
export function isDangerous(change: ResourceChange): boolean {
  return change.stateful && (change.action === 'replace' || change.action === 'may-replace' || change.action === 'remove');
}
