import { previewOf, resourceChange } from './report-fixtures';
import { statefulRiskFailure } from '../../src/preview/stateful-risk';

const table = (i: number, action: 'replace' | 'may-replace' | 'remove') => resourceChange({
  logicalId: `Table${i}`, type: 'AWS::DynamoDB::Table', constructPath: `dev/App/Table${i}/Resource`, action, stateful: true,
});

test('names what would happen to each stateful resource, five at most, and how many more', () => {
  const report = previewOf([table(0, 'replace'), table(1, 'may-replace'), table(2, 'remove'), ...[3, 4, 5, 6].map((i) => table(i, 'replace'))]);
  const line = statefulRiskFailure(report)!;
  expect(line).not.toContain('\n');
  expect(line).toContain('would replace or delete 7 stateful resources: AWS::DynamoDB::Table dev/App/Table0 in dev-App (replaced), '
    + 'AWS::DynamoDB::Table dev/App/Table1 in dev-App (may be replaced), AWS::DynamoDB::Table dev/App/Table2 in dev-App (deleted), ');
  expect(line).toContain('dev/App/Table4 in dev-App (replaced) and 2 more. ');
  expect(line).not.toContain('Table5');
});

test('nothing when the report passes: stateless replacements, kept (orphaned) data stores, additions', () => {
  const report = previewOf([
    resourceChange({ logicalId: 'Fn', type: 'AWS::Lambda::Function', action: 'replace' }),
    resourceChange({ logicalId: 'Bucket', type: 'AWS::S3::Bucket', action: 'orphan', stateful: true, oldResourcePolicy: 'Retain' }),
    resourceChange({ logicalId: 'Queue' }),
  ]);
  expect(report.result).toBe('PASSED');
  expect(statefulRiskFailure(report)).toBeUndefined();
});
