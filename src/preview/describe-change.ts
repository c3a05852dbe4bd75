/** Words for one resource change: shared by the printed text and the Code Insights annotations. */
import type { ResourceChange } from './classify';

/** The construct path without the trailing `/Resource` of L2 constructs, or the logical ID. */
export function resourceLabel(r: ResourceChange): string {
  return r.constructPath ? r.constructPath.replace(/\/Resource$/, '') : r.logicalId;
}

/** The construct path and the logical ID (what the full diff and the CloudFormation console show). */
export function resourceName(r: ResourceChange): string {
  return r.constructPath ? `${resourceLabel(r)} (${r.logicalId})` : r.logicalId;
}

function because(props: string[]): string {
  return props.length > 0 ? ` because ${props.join(', ')} ${props.length === 1 ? 'changes' : 'change'}` : '';
}

/** What CloudFormation would do to the resource and what that means, one sentence. */
export function describeResourceChange(r: ResourceChange): string {
  const policy = r.oldResourcePolicy;
  switch (r.action) {
    case 'add':
      return 'added';
    case 'import':
      return 'imported into the stack';
    case 'update':
      return r.changedProperties.length > 0 ? `changed in place (${r.changedProperties.join(', ')})` : 'changed in place';
    case 'replace':
    case 'may-replace': {
      const head = r.action === 'replace' ? `replaced${because(r.replacingProperties)}` : `may be replaced${because(r.replacingProperties)} (CloudFormation decides from the new values)`;
      if (!r.stateful) return `${head}: a new resource is created and the old one deleted`;
      if (policy === 'Retain' || policy === 'RetainExceptOnCreate') {
        return `${head}: the old one is kept (UpdateReplacePolicy: ${policy}), but the stack then uses a new, empty one`;
      }
      if (policy === 'Snapshot') return `${head}: the stack then uses a new, empty one; the old one is deleted after a final snapshot`;
      return `${head}: the stack then uses a new, empty one and the old one is deleted with its data`;
    }
    case 'remove':
      if (!r.stateful) return 'deleted';
      if (policy === 'Snapshot') return 'deleted after a final snapshot';
      return 'deleted with its data';
    case 'orphan':
      return `removed from the stack but kept in the account (DeletionPolicy: ${policy ?? 'Retain'}): no longer managed; delete it by hand when it is no longer needed`;
  }
}
