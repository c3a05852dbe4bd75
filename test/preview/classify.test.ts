import { BASE_VERSION, sampleTemplate, SampleAppVersion } from './cdk-templates';
import { classifyChanges, isDangerous, ResourceChange } from '../../src/preview/classify';
import { diffTemplates } from '../../src/preview/template-diff';

const base = sampleTemplate(BASE_VERSION);

function changesTo(version: Partial<SampleAppVersion>) {
  return classifyChanges(diffTemplates(base, sampleTemplate({ ...BASE_VERSION, ...version })));
}

function resource(changes: { resources: ResourceChange[] }, id: string): ResourceChange {
  const found = changes.resources.find((r) => r.logicalId.startsWith(id));
  if (!found) throw new Error(`no change of ${id}: ${changes.resources.map((r) => r.logicalId).join(', ')}`);
  return found;
}

test('no change: nothing to report', () => {
  const changes = changesTo({});
  expect(changes).toEqual({ resources: [], iam: [], permissionsBroadened: false, securityGroups: [], otherChanges: [] });
});

test('a database replaced through a property that forces replacement: replace, stateful, dangerous, naming the property', () => {
  const db = resource(changesTo({ databaseName: 'orders-v2' }), 'Database');
  expect(db).toMatchObject({ type: 'AWS::RDS::DBInstance', action: 'replace', stateful: true, replacingProperties: ['DBInstanceIdentifier'], oldResourcePolicy: undefined });
  expect(db.constructPath).toBe('dev/App/Database');
  expect(isDangerous(db)).toBe(true);
});

test('a DynamoDB table whose key changes is replaced (stateful)', () => {
  const table = resource(changesTo({ tablePartitionKey: 'orderId' }), 'Table');
  expect(table).toMatchObject({ type: 'AWS::DynamoDB::Table', action: 'replace', stateful: true });
  expect(table.replacingProperties).toContain('KeySchema');
  expect(isDangerous(table)).toBe(true);
});

test('a bucket removed (DESTROY): remove, stateful, dangerous', () => {
  const bucket = resource(changesTo({ scratchBucket: false }), 'Scratch');
  expect(bucket).toMatchObject({ type: 'AWS::S3::Bucket', action: 'remove', stateful: true, oldResourcePolicy: 'Delete' });
  expect(isDangerous(bucket)).toBe(true);
});

test('a retained bucket removed: orphan (kept in the account), not dangerous', () => {
  const changes = changesTo({ archiveBucket: false, roleActions: [] });
  const bucket = resource(changes, 'Archive');
  expect(bucket).toMatchObject({ type: 'AWS::S3::Bucket', action: 'orphan', stateful: true, oldResourcePolicy: 'Retain' });
  expect(isDangerous(bucket)).toBe(false);
});

test('an IAM policy change: the statement added, permissions broadened; the policy resource updated in place', () => {
  const changes = changesTo({ roleActions: ['s3:GetObject', 's3:DeleteObject'] });
  expect(changes.permissionsBroadened).toBe(true);
  expect(changes.iam).toEqual([
    expect.objectContaining({ change: 'added', kind: 'statement', description: expect.stringMatching(/^Allow .*s3:DeleteObject.* on \$\{Archive.*Arn\}\/\* for AWS:\$\{AppRole.*\}$/) }),
    expect.objectContaining({ change: 'removed', kind: 'statement' }),
  ]);
  const policy = resource(changes, 'AppRoleDefaultPolicy');
  expect(policy).toMatchObject({ type: 'AWS::IAM::Policy', action: 'update', stateful: false, changedProperties: ['PolicyDocument'] });
  expect(changes.resources.some(isDangerous)).toBe(false);
});

test('a security-group ingress change: the rule open to the world is called out', () => {
  const changes = changesTo({ openPorts: [443, 22] });
  expect(changes.securityGroups).toEqual([
    { change: 'added', direction: 'ingress', description: expect.stringMatching(/^TCP 22 from Everyone \(IPv4\) on \$\{Web.*GroupId\}$/), openToWorld: true },
  ]);
  // A rule added is a security-group change, not an IAM broadening.
  expect(changes.iam).toEqual([]);
  expect(changes.permissionsBroadened).toBe(false);
});

test('a resource added: add, not stateful for a queue? (queues are stateful, but adding is never dangerous)', () => {
  const queue = resource(changesTo({ queue: true }), 'Jobs');
  expect(queue).toMatchObject({ type: 'AWS::SQS::Queue', action: 'add', stateful: true, changedProperties: [], replacingProperties: [] });
  expect(isDangerous(queue)).toBe(false);
});

test('first deployment (nothing deployed): every resource is an addition', () => {
  const changes = classifyChanges(diffTemplates(undefined, base));
  expect(changes.resources.length).toBeGreaterThan(5);
  expect(new Set(changes.resources.map((r) => r.action))).toEqual(new Set(['add']));
  expect(changes.resources.some(isDangerous)).toBe(false);
});
