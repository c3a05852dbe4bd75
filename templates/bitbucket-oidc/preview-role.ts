import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { PreviewRoleConfig } from './bitbucket-oidc-config';

/**
 * Reads of resource configuration, by service: what CloudFormation drift
 * detection reads with the caller's credentials. IAM has no wildcard for the
 * service part of an action, so the services a CDK app usually holds are
 * listed; a resource of another service is reported as not checked.
 */
export const RESOURCE_READ_ACTIONS: readonly string[] = [
  'acm:Describe*', 'acm:Get*', 'acm:List*',
  'apigateway:GET',
  'application-autoscaling:Describe*', 'application-autoscaling:List*',
  'appsync:Get*', 'appsync:List*',
  'autoscaling:Describe*',
  'backup:Describe*', 'backup:Get*', 'backup:List*',
  'batch:Describe*', 'batch:List*',
  'cloudfront:Describe*', 'cloudfront:Get*', 'cloudfront:List*',
  'cloudtrail:Describe*', 'cloudtrail:Get*', 'cloudtrail:List*',
  'cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*',
  'codebuild:BatchGetProjects', 'codebuild:List*',
  'codepipeline:Get*', 'codepipeline:List*',
  'cognito-identity:Describe*', 'cognito-identity:Get*', 'cognito-identity:List*',
  'cognito-idp:Describe*', 'cognito-idp:Get*', 'cognito-idp:List*',
  'dynamodb:Describe*', 'dynamodb:List*',
  'ec2:Describe*', 'ec2:Get*',
  'ecr:Describe*', 'ecr:GetLifecyclePolicy', 'ecr:GetRepositoryPolicy', 'ecr:List*',
  'ecs:Describe*', 'ecs:List*',
  'eks:Describe*', 'eks:List*',
  'elasticache:Describe*', 'elasticache:List*',
  'elasticfilesystem:Describe*', 'elasticfilesystem:List*',
  'elasticloadbalancing:Describe*',
  'es:Describe*', 'es:Get*', 'es:List*',
  'events:Describe*', 'events:List*',
  'firehose:Describe*', 'firehose:List*',
  'glue:Get*', 'glue:List*',
  'iam:Get*', 'iam:List*',
  'kinesis:Describe*', 'kinesis:List*',
  'kms:Describe*', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:List*',
  'lambda:Get*', 'lambda:List*',
  'logs:Describe*', 'logs:GetDataProtectionPolicy', 'logs:List*',
  'pipes:Describe*', 'pipes:List*',
  'rds:Describe*', 'rds:List*',
  'route53:Get*', 'route53:List*',
  's3:GetAccelerateConfiguration', 's3:GetAnalyticsConfiguration', 's3:GetBucket*', 's3:GetEncryptionConfiguration', 's3:GetIntelligentTieringConfiguration',
  's3:GetInventoryConfiguration', 's3:GetLifecycleConfiguration', 's3:GetMetricsConfiguration', 's3:GetReplicationConfiguration', 's3:List*',
  'scheduler:Get*', 'scheduler:List*',
  'secretsmanager:Describe*', 'secretsmanager:GetResourcePolicy', 'secretsmanager:List*',
  'servicediscovery:Get*', 'servicediscovery:List*',
  'ses:Describe*', 'ses:Get*', 'ses:List*',
  'sns:Get*', 'sns:List*',
  'sqs:Get*', 'sqs:List*',
  'ssm:Describe*', 'ssm:GetDocument', 'ssm:List*',
  'states:DescribeActivity', 'states:DescribeStateMachine*', 'states:List*',
  'wafv2:Get*', 'wafv2:List*',
];

/**
 * Reads of data and uses of keys, denied even when CloudFormation asks on
 * the role's behalf: objects, items and streams, secrets, messages, log
 * events and query results, images, execution history, key decryption.
 * Parameters are denied apart from the bootstrap version (see below).
 */
export const DATA_READ_ACTIONS: readonly string[] = [
  's3:GetObject*',
  'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:GetRecords', 'dynamodb:PartiQLSelect', 'dynamodb:Query', 'dynamodb:Scan',
  'kinesis:GetRecords', 'kinesis:SubscribeToShard',
  'secretsmanager:BatchGetSecretValue', 'secretsmanager:GetSecretValue',
  'sqs:ReceiveMessage',
  'logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:GetLogRecord', 'logs:GetQueryResults', 'logs:StartLiveTail', 'logs:StartQuery',
  'athena:GetQueryResults', 'athena:GetQueryResultsStream',
  'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
  'ec2:GetConsoleOutput', 'ec2:GetConsoleScreenshot', 'ec2:GetPasswordData',
  'ssm:GetCommandInvocation',
  'states:DescribeExecution', 'states:GetExecutionHistory',
  'kms:Decrypt', 'kms:ReEncrypt*',
];

/** What `PreviewRole` is made from. */
export interface PreviewRoleProps {
  /** The identity provider the role trusts. */
  readonly provider: iam.IOidcProvider;
  /** Issuer without `https://`: the prefix of the condition keys. */
  readonly issuerHost: string;
  /** Audience of the workspace's tokens. */
  readonly audience: string;
  /** The role's name, trust subject, stacks and parameters. */
  readonly config: PreviewRoleConfig;
  /** The deploy roles' permissions boundary, applied to this role too. */
  readonly permissionsBoundary?: iam.IManagedPolicy;
  /** Maximum session duration, in hours (as the deploy roles). */
  readonly maxSessionHours: number;
}

/**
 * The read-only role of pull-request previews and drift detection: trusted
 * by every step of the repository (a pull-request step has no deployment
 * environment, and anyone who can push a branch can already run a step with
 * a token), so it may only read what a preview needs: the status and
 * deployed template of this app's stacks and the CDK bootstrap version.
 * With drift detection it may also start drift detection on those stacks,
 * and read their resources' configuration when CloudFormation reads it on
 * its behalf. It can never change anything, read data, or assume a role
 * (the CDK lookup role, for one, reads everything).
 */
export function addPreviewRole(stack: Stack, props: PreviewRoleProps): iam.Role {
  const config = props.config;
  const stacks = [...config.stackArnPatterns];
  // Only this app's stacks: a stack it has not tagged (another team's, or one deployed before the tag) is unreadable.
  const ownStacks = { StringEquals: { [`aws:ResourceTag/${config.stackTag.key}`]: config.stackTag.value } };
  const policies: Record<string, iam.PolicyDocument> = {
    ReadAppStacks: new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate'], resources: stacks, conditions: ownStacks }),
        new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [...config.bootstrapVersionParameterArns] }),
      ],
    }),
    // Explicit denials win over any Allow, a permissions boundary's or a future policy's included.
    NeverReadDataNorAssumeRoles: new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['sts:AssumeRole*', 'sts:AssumeRoot'], resources: ['*'] }),
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: [...DATA_READ_ACTIONS], resources: ['*'] }),
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['ssm:GetParameter*'], notResources: [...config.bootstrapVersionParameterArns] }),
      ],
    }),
  };
  if (config.driftDetection) {
    policies.DetectDrift = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          actions: ['cloudformation:DetectStackDrift', 'cloudformation:DetectStackResourceDrift', 'cloudformation:DescribeStackResourceDrifts'],
          resources: stacks,
          conditions: ownStacks,
        }),
        // Takes a detection ID, not a stack: IAM offers no resource to scope it to.
        new iam.PolicyStatement({ actions: ['cloudformation:DescribeStackDriftDetectionStatus'], resources: ['*'] }),
        // Drift detection reads each resource with the caller's credentials; this role may read
        // only then, when CloudFormation makes the call for it, never directly.
        new iam.PolicyStatement({
          actions: [...RESOURCE_READ_ACTIONS],
          resources: ['*'],
          conditions: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['cloudformation.amazonaws.com'] } },
        }),
      ],
    });
  }

  const role = new iam.Role(stack, config.logicalId, {
    roleName: config.roleName,
    description: `Bitbucket Pipelines read-only role of pull-request previews${config.driftDetection ? ' and drift detection' : ''} (any step of the repository): `
      + `reads this app's stacks (tagged ${config.stackTag.key}) and the CDK bootstrap version, nothing else`,
    // OpenIdConnectPrincipal renders sts:AssumeRoleWithWebIdentity (FederatedPrincipal would default to sts:AssumeRole).
    assumedBy: new iam.OpenIdConnectPrincipal(props.provider, {
      StringEquals: { [`${props.issuerHost}:aud`]: props.audience },
      StringLike: { [`${props.issuerHost}:sub`]: config.subjectPattern },
    }),
    inlinePolicies: policies,
    permissionsBoundary: props.permissionsBoundary,
    maxSessionDuration: Duration.hours(props.maxSessionHours),
  });
  (role.node.defaultChild as iam.CfnRole).overrideLogicalId(config.logicalId);
  acknowledgeWildcards(role, stacks, config.driftDetection);

  const output = new CfnOutput(stack, `${config.logicalId}Arn`, {
    value: role.roleArn,
    description: 'Read-only role of pull-request previews and drift detection',
  });
  output.overrideLogicalId(`${config.logicalId}Arn`);
  return role;
}

/**
 * cdk-nag's AwsSolutions-IAM5 reports every wildcard of an Allow; these are
 * deliberate: stack names carry the stack's unique ID, the drift status
 * lookup has no resource, and resource reads are limited to CloudFormation's
 * calls. Recorded in the construct metadata that cdk-nag reads for
 * acknowledgements (what `Validations.of(scope).acknowledge()` of newer
 * aws-cdk-lib versions writes), so that any aws-cdk-lib version compiles it.
 */
function acknowledgeWildcards(role: iam.Role, stacks: string[], driftDetection: boolean): void {
  const reasons: Record<string, string> = {};
  for (const arn of stacks) {
    reasons[`AwsSolutions-IAM5[Resource::${arn}]`] = 'The stacks of one CDK stage: <stage>-<stack id>, and the unique ID CloudFormation appends';
  }
  if (driftDetection) {
    reasons['AwsSolutions-IAM5[Resource::*]'] = 'DescribeStackDriftDetectionStatus has no resource type; '
      + 'the resource reads of drift detection are allowed only when CloudFormation makes them (aws:CalledVia)';
    for (const action of RESOURCE_READ_ACTIONS.filter((a) => a.includes('*'))) {
      reasons[`AwsSolutions-IAM5[Action::${action}]`] = 'Read-only actions, allowed only when CloudFormation drift detection makes the call (aws:CalledVia)';
    }
  }
  role.node.addMetadata('aws:cdk:acknowledged-rules', reasons);
}
