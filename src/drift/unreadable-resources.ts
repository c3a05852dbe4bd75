import * as fs from 'fs';
import type { DriftReadCoverage } from './read-permissions';

/** Resources of one type that drift detection cannot check with the read-only role. */
export interface UnreadableType {
  /** CloudFormation resource type, e.g. `AWS::Lambda::Function`. */
  readonly type: string;
  /** Logical IDs of the stack's resources of that type. */
  readonly logicalIds: string[];
  /** Why the role may not read them. */
  readonly reason: string;
}

const CUSTOM_RESOURCE = 'AWS::CloudFormation::CustomResource';
const NOT_GRANTED = 'the read-only role is not granted the reads of this type';

/** Why a type is not checked; undefined when it is (or is no resource). */
function whyNotChecked(type: string, coverage: DriftReadCoverage): string | undefined {
  if (coverage.checked.has(type) || coverage.notAResource.has(type)) return undefined;
  if (type.startsWith('Custom::')) return coverage.notChecked[CUSTOM_RESOURCE] ?? NOT_GRANTED;
  return coverage.notChecked[type] ?? NOT_GRANTED;
}

/**
 * The resources of a synthesised template (the stack's template in the
 * cloud assembly) whose types the read-only role may not read, by type in
 * the template's order; none when the template cannot be read (nothing is
 * then claimed either way: CloudFormation's own result stands).
 */
export function unreadableResources(templateFile: string | undefined, coverage: DriftReadCoverage): UnreadableType[] {
  let resources: Record<string, { Type?: unknown }>;
  try {
    resources = templateFile ? JSON.parse(fs.readFileSync(templateFile, 'utf-8')).Resources ?? {} : {};
  } catch {
    return [];
  }
  const byType = new Map<string, UnreadableType>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const type = typeof resource?.Type === 'string' ? resource.Type : undefined;
    const reason = type ? whyNotChecked(type, coverage) : undefined;
    if (!type || !reason) continue;
    if (!byType.has(type)) byType.set(type, { type, logicalIds: [], reason });
    byType.get(type)!.logicalIds.push(logicalId);
  }
  return [...byType.values()];
}
