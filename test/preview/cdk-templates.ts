/**
 * Real CloudFormation templates for the preview tests, synthesised by
 * aws-cdk-lib (as `cdk synth` does, with construct paths in the metadata).
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack, Stage, Tags } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { APP_TAG_KEY } from '../../src/core/naming';

export type Template = { [key: string]: any };

/** What differs between the versions of the sample app the tests deploy and change. */
export interface SampleAppVersion {
  /** `DBInstanceIdentifier` of the database: changing it replaces the database. */
  readonly databaseName?: string;
  /** Partition key of the table: changing it replaces the table. */
  readonly tablePartitionKey?: string;
  /** A bucket removed on deletion (RemovalPolicy.DESTROY). */
  readonly scratchBucket?: boolean;
  /** A bucket kept on deletion (the L2 default, RemovalPolicy.RETAIN). */
  readonly archiveBucket?: boolean;
  /** Actions the app role may perform on the archive bucket. */
  readonly roleActions?: string[];
  /** Ports the security group lets in from anywhere. */
  readonly openPorts?: number[];
  /** Adds a queue. */
  readonly queue?: boolean;
}

export const BASE_VERSION: SampleAppVersion = {
  databaseName: 'orders',
  tablePartitionKey: 'id',
  scratchBucket: true,
  archiveBucket: true,
  roleActions: ['s3:GetObject'],
  openPorts: [443],
};

function buildApp(stack: Stack, v: SampleAppVersion): void {
  if (v.databaseName) {
    new rds.CfnDBInstance(stack, 'Database', {
      dbInstanceIdentifier: v.databaseName,
      dbInstanceClass: 'db.t4g.micro',
      engine: 'postgres',
      allocatedStorage: '20',
      masterUsername: 'app',
      manageMasterUserPassword: true,
      storageEncrypted: true,
    });
  }
  if (v.tablePartitionKey) {
    new dynamodb.Table(stack, 'Table', { partitionKey: { name: v.tablePartitionKey, type: dynamodb.AttributeType.STRING } });
  }
  if (v.scratchBucket) new s3.Bucket(stack, 'Scratch', { removalPolicy: RemovalPolicy.DESTROY });
  const archive = v.archiveBucket ? new s3.Bucket(stack, 'Archive') : undefined;
  const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  if (archive && v.roleActions?.length) role.addToPolicy(new iam.PolicyStatement({ actions: v.roleActions, resources: [archive.arnForObjects('*')] }));
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'] });
  const sg = new ec2.SecurityGroup(stack, 'Web', { vpc, allowAllOutbound: false });
  for (const port of v.openPorts ?? []) sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port));
  if (v.queue) new sqs.Queue(stack, 'Jobs');
}

/** Template of stack `App` of stage `dev` built from `version`. */
export function sampleTemplate(version: SampleAppVersion): Template {
  const outdir = mkdtempSync(path.join(tmpdir(), 'preview-template-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const stage = new Stage(app, 'dev', { env: { account: '111111111111', region: 'eu-west-1' } });
  const stack = new Stack(stage, 'App');
  buildApp(stack, version);
  return stage.synth().getStackByName(stack.stackName).template;
}

/**
 * A cloud assembly in `outdir` with stage `environment` holding one stack per
 * entry of `stacks` (construct ID -> app version), as `cdk synth` writes it.
 */
export function synthAssembly(
  outdir: string, environment: string, stacks: Record<string, SampleAppVersion>, options: { tagged?: boolean } = {},
): void {
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const stage = new Stage(app, environment, { env: { account: '111111111111', region: 'eu-west-1' } });
  for (const [id, version] of Object.entries(stacks)) buildApp(new Stack(stage, id), version);
  if (options.tagged ?? true) tagAsApp(stage);
  app.synth();
}

/** What the generated `tagStacks(app)` does to each stage: the read role reads only stacks with this tag. */
export function tagAsApp(scope: IConstruct): void {
  Tags.of(scope).add(APP_TAG_KEY, APP_TAG_VALUE, { includeResourceTypes: ['aws:cdk:stack'] });
}

export const APP_TAG_VALUE = '3f0c9a42-5678-4e1f-8a3b-fedcba987654/demo';
