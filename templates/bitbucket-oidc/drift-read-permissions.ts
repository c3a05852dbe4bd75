/*
 * What CloudFormation drift detection reads, per resource type, with the
 * caller's credentials: one module for the read-only role (`preview-role.ts`
 * grants exactly these actions, only when CloudFormation makes the call) and
 * for the drift tool `bitbucket-cdk-drift`, which reports the resources of
 * every other type as not checked, never as in sync.
 *
 * Source: `handlers.read.permissions` of each type's CloudFormation resource
 * provider schema (the registry's schemas as vendored by
 * hashicorp/terraform-provider-awscc, internal/service/cloudformation/schemas,
 * August 2026), copied as they are, service prefixes in lower case, except
 * `iam:PassRole` (AWS::Events::Rule lists it; IAM checks it only for a call
 * that hands a role to a service, which no read does). A type is granted only
 * when its read handler reads configuration and never data: `s3:ListBucket`
 * of AWS::S3::Bucket is there because the bucket read (HeadBucket) needs it,
 * and that read returns no object; `rds:DescribeDBInstances` of
 * AWS::RDS::DBInstance returns the configuration and the ARN of the managed
 * master secret, never a password. `apigateway:GET` is one action for all of
 * API Gateway; its API keys and usage plan keys are denied by resource in
 * `preview-role.ts`.
 *
 * The three constants are plain data in a JSON-like form (single-quoted strings
 * without quotes or backslashes inside, trailing commas allowed) because the
 * drift tool reads them from this file as shipped: keep them so.
 */

/** Resource types drift detection may check with the read-only role, and the exact actions of their read handlers. */
export const DRIFT_READ_PERMISSIONS: Readonly<Record<string, readonly string[]>> = /* JSON BEGIN DRIFT_READ_PERMISSIONS */ {
  'AWS::IAM::Role': ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy'],
  'AWS::IAM::ManagedPolicy': ['iam:GetPolicy', 'iam:ListEntitiesForPolicy', 'iam:GetPolicyVersion'],
  'AWS::IAM::InstanceProfile': ['iam:GetInstanceProfile'],
  'AWS::IAM::RolePolicy': ['iam:GetRolePolicy'],
  'AWS::S3::Bucket': ['s3:GetAccelerateConfiguration', 's3:GetLifecycleConfiguration', 's3:GetBucketPublicAccessBlock',
    's3:GetAnalyticsConfiguration', 's3:GetBucketCORS', 's3:GetEncryptionConfiguration', 's3:GetInventoryConfiguration',
    's3:GetBucketLogging', 's3:GetMetricsConfiguration', 's3:GetBucketNotification', 's3:GetBucketVersioning',
    's3:GetReplicationConfiguration', 's3:GetBucketWebsite', 's3:GetBucketObjectLockConfiguration', 's3:GetBucketTagging',
    's3:GetBucketOwnershipControls', 's3:GetIntelligentTieringConfiguration', 's3:GetBucketMetadataTableConfiguration', 's3:ListBucket'],
  'AWS::S3::BucketPolicy': ['s3:GetBucketPolicy'],
  'AWS::DynamoDB::Table': ['dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups', 'dynamodb:DescribeContributorInsights',
    'dynamodb:DescribeKinesisStreamingDestination', 'dynamodb:ListTagsOfResource', 'dynamodb:GetResourcePolicy',
    'dynamodb:DescribeTimeToLive'],
  'AWS::SQS::Queue': ['sqs:GetQueueAttributes', 'sqs:ListQueueTags'],
  'AWS::RDS::DBInstance': ['ec2:DescribeAccountAttributes', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways',
    'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcAttribute', 'ec2:DescribeVpcs', 'rds:DescribeDBInstances'],
  'AWS::SNS::Topic': ['sns:GetTopicAttributes', 'sns:ListTagsForResource', 'sns:ListSubscriptionsByTopic', 'sns:GetDataProtectionPolicy'],
  'AWS::SNS::Subscription': ['sns:GetSubscriptionAttributes'],
  'AWS::Logs::LogGroup': ['logs:DescribeLogGroups', 'logs:ListTagsForResource', 'logs:GetDataProtectionPolicy'],
  'AWS::Logs::LogStream': ['logs:DescribeLogStreams'],
  'AWS::Logs::MetricFilter': ['logs:DescribeMetricFilters'],
  'AWS::Logs::SubscriptionFilter': ['logs:DescribeSubscriptionFilters'],
  'AWS::Events::Rule': ['events:DescribeRule', 'events:ListTargetsByRule', 'events:ListTagsForResource'],
  'AWS::Events::EventBus': ['events:DescribeEventBus', 'events:ListTagsForResource'],
  'AWS::Events::ApiDestination': ['events:DescribeApiDestination'],
  'AWS::KMS::Key': ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
  'AWS::KMS::Alias': ['kms:ListAliases'],
  'AWS::EC2::VPC': ['ec2:DescribeNetworkAcls', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcAttribute', 'ec2:DescribeVpcEncryptionControls',
    'ec2:DescribeVpcs'],
  'AWS::EC2::Subnet': ['ec2:DescribeSubnets', 'ec2:DescribeNetworkAcls'],
  'AWS::EC2::SecurityGroup': ['ec2:DescribeSecurityGroups'],
  'AWS::EC2::SecurityGroupIngress': ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'],
  'AWS::EC2::SecurityGroupEgress': ['ec2:DescribeSecurityGroupRules'],
  'AWS::EC2::RouteTable': ['ec2:DescribeRouteTables'],
  'AWS::EC2::Route': ['ec2:DescribeRouteTables'],
  'AWS::EC2::SubnetRouteTableAssociation': ['ec2:DescribeRouteTables'],
  'AWS::EC2::InternetGateway': ['ec2:DescribeInternetGateways'],
  'AWS::EC2::VPCGatewayAttachment': ['ec2:DescribeInternetGateways', 'ec2:DescribeVpnGateways'],
  'AWS::EC2::NatGateway': ['ec2:DescribeNatGateways'],
  'AWS::EC2::EIP': ['ec2:DescribeAddresses'],
  'AWS::EC2::FlowLog': ['ec2:DescribeFlowLogs'],
  'AWS::EC2::NetworkAcl': ['ec2:DescribeNetworkAcls', 'ec2:DescribeTags'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeCapacityReservation',
    'elasticloadbalancing:DescribeTags'],
  'AWS::ElasticLoadBalancingV2::Listener': ['elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerAttributes',
    'elasticloadbalancing:DescribeTags'],
  'AWS::ElasticLoadBalancingV2::ListenerRule': ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTags'],
  'AWS::ElasticLoadBalancingV2::TargetGroup': ['elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTags'],
  'AWS::ECS::Cluster': ['ecs:DescribeClusters', 'kms:DescribeKey'],
  'AWS::ECS::ClusterCapacityProviderAssociations': ['ecs:DescribeClusters'],
  'AWS::ECS::CapacityProvider': ['ecs:DescribeCapacityProviders'],
  'AWS::ECS::Service': ['ecs:DescribeServices'],
  'AWS::ECR::Repository': ['ecr:DescribeRepositories', 'ecr:GetLifecyclePolicy', 'ecr:GetRepositoryPolicy', 'ecr:ListTagsForResource'],
  'AWS::ApiGateway::Account': ['apigateway:GET'],
  'AWS::ApiGateway::Authorizer': ['apigateway:GET'],
  'AWS::ApiGateway::BasePathMapping': ['apigateway:GET'],
  'AWS::ApiGateway::Deployment': ['apigateway:GET'],
  'AWS::ApiGateway::DomainName': ['apigateway:GET'],
  'AWS::ApiGateway::GatewayResponse': ['apigateway:GET'],
  'AWS::ApiGateway::Method': ['apigateway:GET'],
  'AWS::ApiGateway::Model': ['apigateway:GET'],
  'AWS::ApiGateway::RequestValidator': ['apigateway:GET'],
  'AWS::ApiGateway::Resource': ['apigateway:GET'],
  'AWS::ApiGateway::RestApi': ['apigateway:GET'],
  'AWS::ApiGateway::Stage': ['apigateway:GET'],
  'AWS::ApiGateway::UsagePlan': ['apigateway:GET'],
  'AWS::CloudFront::CachePolicy': ['cloudfront:GetCachePolicy'],
  'AWS::CloudFront::CloudFrontOriginAccessIdentity': ['cloudfront:GetCloudFrontOriginAccessIdentity'],
  'AWS::CloudFront::Distribution': ['cloudfront:GetDistribution', 'cloudfront:GetDistributionConfig', 'cloudfront:ListTagsForResource'],
  'AWS::CloudFront::Function': ['cloudfront:DescribeFunction', 'cloudfront:GetFunction', 'cloudfront:ListTagsForResource'],
  'AWS::CloudFront::OriginAccessControl': ['cloudfront:GetOriginAccessControl'],
  'AWS::CloudFront::ResponseHeadersPolicy': ['cloudfront:GetResponseHeadersPolicy'],
  'AWS::StepFunctions::Activity': ['states:DescribeActivity', 'states:ListTagsForResource'],
  'AWS::StepFunctions::StateMachine': ['states:DescribeStateMachine', 'states:ListTagsForResource'],
  'AWS::CloudWatch::Alarm': ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'],
  'AWS::CloudWatch::CompositeAlarm': ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'],
  'AWS::CloudWatch::Dashboard': ['cloudwatch:GetDashboard', 'cloudwatch:ListTagsForResource'],
  'AWS::Route53::HostedZone': ['route53:GetHostedZone', 'route53:ListTagsForResource', 'route53:ListQueryLoggingConfigs'],
  'AWS::SecretsManager::RotationSchedule': ['secretsmanager:DescribeSecret'],
  'AWS::CertificateManager::Certificate': ['acm:DescribeCertificate', 'acm:ListTagsForCertificate'],
  'AWS::Lambda::Alias': ['lambda:GetAlias', 'lambda:GetProvisionedConcurrencyConfig'],
  'AWS::Lambda::EventInvokeConfig': ['lambda:GetFunctionEventInvokeConfig'],
  'AWS::Lambda::Permission': ['lambda:GetPolicy'],
  'AWS::Lambda::Url': ['lambda:GetFunctionUrlConfig'],
  'AWS::Cognito::IdentityPool': ['cognito-identity:DescribeIdentityPool', 'cognito-identity:ListTagsForResource'],
  'AWS::Scheduler::Schedule': ['scheduler:GetSchedule'],
  'AWS::ApplicationAutoScaling::ScalableTarget': ['application-autoscaling:DescribeScalableTargets',
    'application-autoscaling:DescribeScheduledActions'],
  'AWS::ApplicationAutoScaling::ScalingPolicy': ['application-autoscaling:DescribeScalingPolicies'],
  'AWS::Kinesis::Stream': ['kinesis:DescribeStreamSummary', 'kinesis:ListTagsForStream', 'kinesis:ListTagsForResource'],
  'AWS::KinesisFirehose::DeliveryStream': ['firehose:DescribeDeliveryStream', 'firehose:ListTagsForDeliveryStream'],
  'AWS::WAFv2::WebACL': ['wafv2:GetWebACL', 'wafv2:ListTagsForResource'],
  'AWS::CloudTrail::Trail': ['cloudtrail:GetTrail', 'cloudtrail:GetTrailStatus', 'cloudtrail:ListTags', 'cloudtrail:GetEventSelectors',
    'cloudtrail:GetInsightSelectors', 'cloudtrail:GetEventConfiguration', 'cloudtrail:DescribeTrails'],
} /* JSON END */;

/**
 * Resource types drift detection cannot check with the read-only role, and
 * why: their read handlers read data or secrets (which the role is denied),
 * change something, list permissions by wildcard, or their schemas list no
 * read permissions to grant. Any type in neither object is not checked
 * either: the role is not granted its reads.
 */
export const NOT_DRIFT_CHECKED: Readonly<Record<string, string>> = /* JSON BEGIN NOT_DRIFT_CHECKED */ {
  'AWS::Lambda::Function': 'its read (lambda:GetFunction) returns the environment variables and a link to the code, and needs kms:Decrypt',
  'AWS::Lambda::Version': 'its read (lambda:GetFunctionConfiguration) returns the environment variables',
  'AWS::Lambda::LayerVersion': 'its read (lambda:GetLayerVersion) returns a link to download the code of the layer',
  'AWS::Lambda::EventSourceMapping': 'its read needs kms:Decrypt',
  'AWS::ECS::TaskDefinition': 'its read (ecs:DescribeTaskDefinition) returns the environment variables',
  'AWS::EC2::LaunchTemplate': 'its configuration holds the user data of the instances (ec2:GetLaunchTemplateData, DescribeLaunchTemplateVersions)',
  'AWS::EC2::Instance': 'its read (ec2:DescribeInstanceAttribute) returns the user data',
  'AWS::EC2::VPCEndpoint': 'its read handler lists vpc-lattice:DescribeServiceNetworkVpcEndpointAssociation, an action IAM does not know',
  'AWS::AutoScaling::AutoScalingGroup': 'its read handler lists autoscaling:Describe* and managed-fleets:Get* by wildcard, not exact actions',
  'AWS::Cognito::UserPool': 'its read needs kms:Decrypt',
  'AWS::Cognito::UserPoolClient': 'its read (cognito-idp:DescribeUserPoolClient) returns the client secret',
  'AWS::Cognito::UserPoolDomain': 'its read handler lists KMS key uses (kms:Decrypt, kms:Encrypt, kms:CreateGrant)',
  'AWS::CodeBuild::Project': 'codebuild:BatchGetProjects returns the environment variables (no resource schema with a read handler found)',
  'AWS::Glue::Connection': 'glue:GetConnection returns the password of the connection (no resource schema with a read handler found)',
  'AWS::Glue::Database': 'its read needs glue:GetConnection, which returns connection passwords',
  'AWS::ApiGateway::ApiKey': 'its read returns the value of the key',
  'AWS::ApiGateway::UsagePlanKey': 'its read returns the value of the key',
  'AWS::ApiGatewayV2::Api': 'its read needs s3:GetObject',
  'AWS::SecretsManager::Secret': 'its read needs secretsmanager:GetSecretValue, the secret itself',
  'AWS::SecretsManager::SecretTargetAttachment': 'its read needs secretsmanager:GetSecretValue, the secret itself',
  'AWS::SSM::Parameter': 'its read (ssm:GetParameters) returns the value of the parameter',
  'AWS::Events::Connection': 'its read needs kms:Decrypt',
  'AWS::Events::Archive': 'its read needs kms:Decrypt',
  'AWS::Pipes::Pipe': 'its read needs kms:Decrypt',
  'AWS::DynamoDB::GlobalTable': 'its read handler lists cloudwatch:PutMetricData, a write, and dynamodb:Describe* by wildcard',
  'AWS::WAFv2::WebACLAssociation': 'its read handler lists writes (wafv2:AssociateWebACL, DisassociateWebACL)',
  'AWS::IAM::Policy': 'its resource schema has no read handler',
  'AWS::SQS::QueuePolicy': 'its resource schema has no read handler',
  'AWS::SNS::TopicPolicy': 'its resource schema lists no read permissions',
  'AWS::Route53::RecordSet': 'its resource schema has no read handler',
  'AWS::CloudFormation::CustomResource': 'CloudFormation cannot detect drift of a custom resource',
} /* JSON END */;

/** Types that are no AWS resource: the CDK's metadata, which CloudFormation never reads. */
export const NOT_A_RESOURCE: readonly string[] = /* JSON BEGIN NOT_A_RESOURCE */ ['AWS::CDK::Metadata'] /* JSON END */;

/** Every action the read-only role may use when CloudFormation reads a resource for it, sorted, once each. */
export function driftReadActions(): string[] {
  return [...new Set(Object.values(DRIFT_READ_PERMISSIONS).flat())].sort();
}
