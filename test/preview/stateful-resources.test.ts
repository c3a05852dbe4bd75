import * as path from 'path';
import { isStatefulType, STATEFUL_RESOURCE_TYPES } from '../../src/preview/stateful-resources';

/** The service spec `@aws-cdk/cloudformation-diff` itself loads (its dependency, not ours). */
function serviceSpec(): { loadAwsServiceSpecSync: () => any } {
  const diffDir = path.dirname(require.resolve('@aws-cdk/cloudformation-diff/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('@aws-cdk/aws-service-spec', { paths: [diffDir] }));
}

test('every type the CDK\'s own service spec marks stateful is in the list (an upgrade that adds one fails here)', () => {
  const db = serviceSpec().loadAwsServiceSpecSync();
  const cdkStateful: string[] = db.all('resource').filter((r: any) => r.isStateful).map((r: any) => r.cloudFormationType);
  expect(cdkStateful.length).toBeGreaterThan(20);
  expect(cdkStateful.filter((t) => !isStatefulType(t))).toEqual([]);
});

test('the data stores the brief names are stateful; resources without data are not', () => {
  for (const t of ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable',
    'AWS::EFS::FileSystem', 'AWS::FSx::FileSystem', 'AWS::KMS::Key', 'AWS::ElastiCache::ReplicationGroup', 'AWS::OpenSearchService::Domain',
    'AWS::Elasticsearch::Domain', 'AWS::Neptune::DBCluster', 'AWS::DocDB::DBCluster', 'AWS::Kinesis::Stream', 'AWS::Cognito::UserPool',
    'AWS::ECR::Repository', 'AWS::Backup::BackupVault']) {
    expect(isStatefulType(t)).toBe(true);
  }
  for (const t of ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::SNS::Topic', 'AWS::EC2::SecurityGroup', undefined]) expect(isStatefulType(t)).toBe(false);
  expect([...STATEFUL_RESOURCE_TYPES]).toEqual([...STATEFUL_RESOURCE_TYPES].sort());
});
