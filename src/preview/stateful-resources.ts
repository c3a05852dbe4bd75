/**
 * Resource types that hold data (or key material) which is lost, or no longer
 * reachable by the app, when the resource is replaced or deleted. A preview
 * that would replace or delete one of them fails its report.
 *
 * The first group is the CDK's own list: the resource types the AWS service
 * spec (`@aws-cdk/aws-service-spec`, which `@aws-cdk/cloudformation-diff`
 * uses) marks `isStateful`; a test checks that every one of them is here, so
 * an upgrade that adds one is noticed. The second group adds data stores the
 * spec does not mark. Deliberately left out: resources whose replacement
 * loses configuration but no data (functions, roles, topics, parameters,
 * VPCs), which a reviewer sees in the list of replacements anyway.
 */
const CDK_STATEFUL_TYPES = [
  'AWS::Backup::BackupVault',
  'AWS::CloudFormation::Stack', // a nested stack: replacing it replaces everything in it
  'AWS::Cognito::UserPool', // the users and their passwords
  'AWS::DocDB::DBCluster',
  'AWS::DocDB::DBInstance',
  'AWS::DynamoDB::GlobalTable',
  'AWS::DynamoDB::Table',
  'AWS::EC2::Volume',
  'AWS::EFS::FileSystem',
  'AWS::EMR::Cluster',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::Elasticsearch::Domain',
  'AWS::FSx::FileSystem',
  'AWS::KMS::Key', // data encrypted under the key becomes unreadable once it is deleted
  'AWS::Kinesis::Stream',
  'AWS::Logs::LogGroup', // the log history
  'AWS::Neptune::DBCluster',
  'AWS::Neptune::DBInstance',
  'AWS::OpenSearchService::Domain',
  'AWS::Organizations::Account',
  'AWS::QLDB::Ledger',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::Redshift::Cluster',
  'AWS::S3::Bucket',
  'AWS::SDB::Domain',
  'AWS::SQS::Queue', // the messages waiting in it
  'AWS::SecretsManager::Secret', // a replaced secret gets a new value
];

const MORE_STATEFUL_TYPES = [
  'AWS::AmazonMQ::Broker',
  'AWS::Cassandra::Table',
  'AWS::DocDBElastic::Cluster',
  'AWS::ECR::Repository', // the images
  'AWS::ElastiCache::ServerlessCache',
  'AWS::KMS::ReplicaKey',
  'AWS::MSK::Cluster',
  'AWS::MemoryDB::Cluster',
  'AWS::OpenSearchServerless::Collection',
  'AWS::RDS::GlobalCluster',
  'AWS::RedshiftServerless::Namespace',
  'AWS::S3Express::DirectoryBucket',
  'AWS::Timestream::Table',
];

/** Every stateful resource type, sorted. */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [...new Set([...CDK_STATEFUL_TYPES, ...MORE_STATEFUL_TYPES])].sort();

const STATEFUL = new Set(STATEFUL_RESOURCE_TYPES);

export function isStatefulType(type: string | undefined): boolean {
  return type !== undefined && STATEFUL.has(type);
}
