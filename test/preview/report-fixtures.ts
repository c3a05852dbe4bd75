/** Hand-built previews for the report and limits tests (the CLI tests build real ones). */
import type { ResourceChange, StackChanges } from '../../src/preview/classify';
import { buildReport, PreviewReport } from '../../src/preview/report-model';

export function resourceChange(overrides: Partial<ResourceChange> & { logicalId: string }): ResourceChange {
  return { type: 'AWS::SQS::Queue', action: 'add', stateful: false, changedProperties: [], replacingProperties: [], ...overrides };
}

export function previewOf(resources: ResourceChange[], extra: Partial<StackChanges> = {}): PreviewReport {
  return buildReport(
    { environment: 'dev', account: '111111111111', region: 'eu-west-1' },
    { state: 'bootstrapped', parameter: '/cdk-bootstrap/hnb659fds/version', version: 30 },
    [{
      stackName: 'dev-App',
      displayName: 'dev/App',
      account: '111111111111',
      region: 'eu-west-1',
      state: 'changes',
      deployedStatus: 'UPDATE_COMPLETE',
      notes: [],
      changes: { resources, iam: [], permissionsBroadened: false, securityGroups: [], otherChanges: [], ...extra },
    }],
  );
}

/** `n` added queues. */
export function manyAdditions(n: number): ResourceChange[] {
  return Array.from({ length: n }, (_, i) => resourceChange({ logicalId: `Queue${i}`, constructPath: `dev/App/Queue${i}/Resource` }));
}
