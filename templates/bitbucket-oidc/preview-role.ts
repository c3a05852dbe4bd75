import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { PreviewRoleConfig } from './bitbucket-oidc-config';
import { driftReadActions } from './drift-read-permissions';

/**
 * Reads of resource configuration: exactly what CloudFormation drift
 * detection's read handlers need for the resource types of
 * `drift-read-permissions.ts`, and nothing else. A resource of another type
 * is reported as not checked.
 */
export const RESOURCE_READ_ACTIONS: readonly string[] = driftReadActions();

/**
 * Reads of data and uses of keys, denied even when CloudFormation asks on
 * the role's behalf: objects, items and streams, secrets, messages, log
 * events and query results, images, execution history and task input, key
 * decryption; and configuration that holds secrets or data: functions' and
 * builds' environment variables, task definitions, instances' user data,
 * app client and identity provider secrets, user directories, identity
 * tokens, connection passwords, command output, sampled requests, the
 * account's whole IAM configuration. Parameters are denied apart from the
 * bootstrap version, and API keys by resource (see below).
 */
export const DATA_READ_ACTIONS: readonly string[] = [
  's3:GetObject*',
  'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:GetRecords', 'dynamodb:PartiQLSelect', 'dynamodb:Query', 'dynamodb:Scan',
  'kinesis:GetRecords', 'kinesis:SubscribeToShard',
  'secretsmanager:BatchGetSecretValue', 'secretsmanager:GetSecretValue',
  'sqs:ReceiveMessage',
  'logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:GetLogRecord', 'logs:GetQueryResults', 'logs:StartLiveTail', 'logs:StartQuery', 'logs:Unmask',
  'athena:GetQueryResults', 'athena:GetQueryResultsStream',
  'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
  'ec2:GetConsoleOutput', 'ec2:GetConsoleScreenshot', 'ec2:GetPasswordData',
  'ec2:DescribeInstanceAttribute', 'ec2:DescribeLaunchTemplateVersions', 'ec2:GetLaunchTemplateData',
  'ssm:GetCommandInvocation', 'ssm:ListCommandInvocations',
  'states:DescribeExecution', 'states:GetActivityTask', 'states:GetExecutionHistory',
  'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*',
  'lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:GetLayerVersion',
  'ecs:DescribeTaskDefinition', 'ecs:DescribeTasks',
  'codebuild:BatchGetBuildBatches', 'codebuild:BatchGetBuilds', 'codebuild:BatchGetProjects',
  'cognito-idp:AdminGetUser', 'cognito-idp:DescribeIdentityProvider', 'cognito-idp:DescribeUserPoolClient', 'cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup',
  'cognito-identity:GetCredentialsForIdentity', 'cognito-identity:GetOpenIdToken', 'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
  'cognito-identity:LookupDeveloperIdentity',
  'glue:GetConnection', 'glue:GetConnections',
  'wafv2:GetSampledRequests',
  'cloudtrail:GetQueryResults', 'cloudtrail:LookupEvents',
  'iam:GetAccountAuthorizationDetails', 'iam:GetCredentialReport',
  'rds:DownloadDBLogFilePortion',
];

/**
 * API Gateway has one read action, `apigateway:GET`, for everything: API
 * keys and usage plan keys, whose reads return the key's value, are denied
 * by resource (API Gateway's resource ARNs are its REST paths).
 */
export const API_KEY_RESOURCES: readonly string[] = ['arn:*:apigateway:*::/apikeys', 'arn:*:apigateway:*::/apikeys/*', 'arn:*:apigateway:*::/usageplans/*/keys', 'arn:*:apigateway:*::/usageplans/*/keys/*'];

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
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['apigateway:GET'], resources: [...API_KEY_RESOURCES] }),
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
        // Drift detection reads each resource with the caller's credentials; this role may use the
        // exact reads of the supported types only then, when CloudFormation makes the call for it, never directly.
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
    // The resource reads are exact actions (drift-read-permissions.ts): no action wildcard to acknowledge.
  }
  role.node.addMetadata('aws:cdk:acknowledged-rules', reasons);
}
