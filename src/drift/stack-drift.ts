import type { UnreadableType } from './unreadable-resources';

/** One property of a resource that differs from the template (DescribeStackResourceDrifts). */
export interface PropertyDrift {
  /** `PropertyPath`, e.g. `/VersioningConfiguration/Status`. */
  readonly path: string;
  /** `ADD` (set outside CloudFormation), `REMOVE` (removed outside it) or `NOT_EQUAL`. */
  readonly difference: string;
  readonly expected?: string;
  readonly actual?: string;
}

/** A resource whose actual configuration differs from its template: `MODIFIED` or `DELETED`. */
export interface ResourceDrift {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  readonly status: string;
  readonly properties: PropertyDrift[];
}

/**
 * A detection that ended DETECTION_FAILED: CloudFormation checked some
 * resources and could not check others (it reads each resource with the
 * caller's credentials; a resource it may not read is not checked).
 */
export interface IncompleteCheck {
  /** `DetectionStatusReason`: what CloudFormation said. */
  readonly reason: string;
  /** Resources CloudFormation did check. */
  readonly checked: number;
  /** Logical IDs of the resources it could not check (`NOT_CHECKED`). */
  readonly unchecked: string[];
}

/** What the check found for one stack. */
export type StackDrift =
  /** Every resource CloudFormation checked matches the template. */
  | { readonly kind: 'in-sync' }
  /** At least one resource differs; `incomplete` when detection also failed for some resources. */
  | { readonly kind: 'drifted'; readonly resources: ResourceDrift[]; readonly incomplete?: IncompleteCheck }
  /** No such stack in the account and region (never deployed, or deleted). */
  | { readonly kind: 'not-deployed' }
  /**
   * The stack exists but was not (fully) checked and nothing checked drifted: `reason` is what
   * CloudFormation or AWS said; `incomplete` when some resources were checked.
   */
  | {
    readonly kind: 'not-checked';
    readonly reason: string;
    readonly accessDenied?: boolean;
    readonly incomplete?: IncompleteCheck;
    /** CloudFormation found the stack in sync, but only in the resources the read-only role may read (see `StackReport.unreadable`). */
    readonly checkedInSync?: boolean;
  };

/** One stack of the stage and its result. */
export interface StackReport {
  /** CloudFormation stack name. */
  readonly stackName: string;
  readonly drift: StackDrift;
  /** Resources of the stack (by its template) that drift detection cannot check with the read-only role. */
  readonly unreadable?: UnreadableType[];
}
