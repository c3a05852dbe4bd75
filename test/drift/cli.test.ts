import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/drift/cli';
import { FAKE_SESSION_KEY_ID, FakeAwsEndpoint, FakeAwsEndpointOptions, FakeResourceDrift, FakeStack } from '../support/fake-aws-endpoint';

const ACCOUNT = '123456789012';
const KEY = 'AKIAFAKEDRIFTKEY0001';
const SECRET = 'fake/secret/key/never/printed/0000000000';
const FAST = { firstDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const ARGS = ['--environment', 'production', '--account', ACCOUNT, '--region', 'eu-west-1'];

/** A deployed stack with every resource's drift; `run` names it. */
type Deployed = Omit<FakeStack, 'name'> & { readonly resources: FakeResourceDrift[] };

/** A cloud assembly whose stage `production` holds `stacks` (CloudFormation names), with a template of `resources` (logical ID → type) each, when given. */
function writeAssembly(dir: string, stacks: string[], resources: Record<string, Record<string, string>> = {}): void {
  const nested = 'assembly-production';
  fs.mkdirSync(path.join(dir, nested), { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    version: '48.0.0',
    artifacts: { [nested]: { type: 'cdk:cloud-assembly', properties: { directoryName: nested, displayName: 'production' } } },
  }));
  fs.writeFileSync(path.join(dir, nested, 'manifest.json'), JSON.stringify({
    version: '48.0.0',
    artifacts: Object.fromEntries(stacks.map((name) => [name, {
      type: 'aws:cloudformation:stack',
      environment: `aws://${ACCOUNT}/eu-west-1`,
      displayName: `production/${name.replace(/^production-/, '')}`,
      properties: { templateFile: `${name}.template.json`, stackName: name },
    }])),
  }));
  for (const [name, types] of Object.entries(resources)) {
    const template = { Resources: Object.fromEntries(Object.entries(types).map(([id, Type]) => [id, { Type, Properties: {} }])) };
    fs.writeFileSync(path.join(dir, nested, `${name}.template.json`), JSON.stringify(template));
  }
}

const IN_SYNC: Deployed = {
  resources: [{ LogicalResourceId: 'Queue', ResourceType: 'AWS::SQS::Queue', StackResourceDriftStatus: 'IN_SYNC' }],
};

const DRIFTED: Deployed = {
  resources: [
    {
      LogicalResourceId: 'Bucket83908E77',
      ResourceType: 'AWS::S3::Bucket',
      PhysicalResourceId: 'production-data-bucket',
      StackResourceDriftStatus: 'MODIFIED',
      PropertyDifferences: [
        { PropertyPath: '/VersioningConfiguration/Status', ExpectedValue: 'Enabled', ActualValue: 'Suspended', DifferenceType: 'NOT_EQUAL' },
        { PropertyPath: '/Tags/1', ExpectedValue: 'null', ActualValue: `{"Key":"owner","Value":"${'x'.repeat(300)}"}`, DifferenceType: 'ADD' },
      ],
    },
    { LogicalResourceId: 'Table', ResourceType: 'AWS::DynamoDB::Table', StackResourceDriftStatus: 'IN_SYNC' },
    { LogicalResourceId: 'Topic', ResourceType: 'AWS::SNS::Topic', PhysicalResourceId: 'arn:aws:sns:eu-west-1:123456789012:t', StackResourceDriftStatus: 'DELETED' },
    { LogicalResourceId: 'Role', ResourceType: 'AWS::IAM::Role', StackResourceDriftStatus: 'IN_SYNC' },
    {
      LogicalResourceId: 'Function',
      ResourceType: 'AWS::Lambda::Function',
      StackResourceDriftStatus: 'MODIFIED',
      PropertyDifferences: [{ PropertyPath: '/Timeout', ExpectedValue: '30', ActualValue: '900', DifferenceType: 'NOT_EQUAL' }],
    },
  ],
};

let tmp: string;
let fake: FakeAwsEndpoint | undefined;
const savedEnv = { ...process.env };

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-cli-'));
  // The SDK's Node-version warning switch (test/support/quiet-node-version-warning.ts) is not AWS setup.
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_') && !k.startsWith('AWS_SDK_JS_')) delete process.env[k];
  // Nothing of this machine's own AWS setup may take part, and never the instance-metadata address.
  Object.assign(process.env, {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'no-credentials'),
    AWS_CONFIG_FILE: path.join(tmp, 'no-config'),
    AWS_ACCESS_KEY_ID: KEY,
    AWS_SECRET_ACCESS_KEY: SECRET,
  });
});

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs the tool on an assembly of `stacks`, against AWS where `options.stacks` are deployed. */
async function run(
  stacks: string[], options: Omit<FakeAwsEndpointOptions, 'stacks'> & { stacks: Record<string, Deployed>; templates?: Record<string, Record<string, string>> }, timing = FAST,
) {
  await fake?.stop();
  fake = new FakeAwsEndpoint({ ...options, stacks: Object.entries(options.stacks).map(([name, stack]) => ({ name, ...stack })) });
  process.env.AWS_ENDPOINT_URL = await fake.start();
  const assembly = path.join(tmp, 'cdk.out');
  writeAssembly(assembly, stacks, options.templates);
  let stdout = '';
  let stderr = '';
  const code = await main([...ARGS, '--assembly', assembly], process.env, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    timing,
  });
  const output = stdout + stderr;
  expect(output).not.toContain(SECRET);
  // Every CloudFormation call is signed with the credentials given: the keys, or the role's session.
  const signer = process.env.AWS_ROLE_ARN ? FAKE_SESSION_KEY_ID : KEY;
  expect(fake.calls.filter((c) => c.service === 'cloudformation' && c.accessKeyId !== signer)).toEqual([]);
  return { code, stdout, stderr, output, fake: fake! };
}

test('every deployed stack in sync: exit 0, each stack listed, counts on the last line', async () => {
  const r = await run(['production-Api', 'production-Data'], { stacks: { 'production-Api': IN_SYNC, 'production-Data': IN_SYNC } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('  production-Api: in sync\n');
  expect(r.stdout).toContain('  production-Data: in sync\n');
  expect(r.stdout.trimEnd().split('\n').pop()).toBe('Drift: 0 drifted, 2 in sync, 0 not deployed, 0 not checked (2 stacks).');
  expect(r.fake.actions).toEqual(expect.arrayContaining(['DetectStackDrift production-Api', 'DetectStackDrift production-Data']));
  // In sync needs no resource listing.
  expect(r.fake.actions.filter((a) => a.startsWith('DescribeStackResourceDrifts'))).toEqual([]);
});

test('a stack CloudFormation finds in sync that holds types the read-only role may not read is not checked in full, never in sync: exit 3', async () => {
  const r = await run(['production-Api', 'production-Data'], {
    stacks: { 'production-Api': IN_SYNC, 'production-Data': IN_SYNC },
    templates: {
      'production-Api': { Queue: 'AWS::SQS::Queue', Handler: 'AWS::Lambda::Function', Task: 'AWS::ECS::TaskDefinition', CDKMetadata: 'AWS::CDK::Metadata' },
      'production-Data': { Queue: 'AWS::SQS::Queue', Bucket: 'AWS::S3::Bucket', CDKMetadata: 'AWS::CDK::Metadata' },
    },
  });
  expect(r.code).toBe(3);
  expect(r.stdout).not.toContain('production-Api: in sync');
  expect(r.stdout).toContain('  production-Api: NOT CHECKED in full (no drift in what was checked)\n'
    + '    not checked: 2 resources of 2 types the read-only role may not read');
  expect(r.stdout).toContain('      AWS::Lambda::Function (Handler): its read (lambda:GetFunction) returns the environment variables');
  expect(r.stdout).toContain('      AWS::ECS::TaskDefinition (Task): its read (ecs:DescribeTaskDefinition) returns');
  expect(r.stdout).toContain('  production-Data: in sync\n');
  expect(r.stdout.trimEnd().split('\n').pop()).toBe('Drift: 0 drifted, 1 in sync, 0 not deployed, 1 not checked (2 stacks).');
});

test('a drifted stack: exit 1; modified properties with expected and actual values (long ones cut), deleted resources, across pages', async () => {
  const r = await run(['production-Api', 'production-Data'], { stacks: { 'production-Api': IN_SYNC, 'production-Data': DRIFTED } });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain([
    '  production-Data: DRIFTED (3 resources)',
    '    Bucket83908E77 (AWS::S3::Bucket, production-data-bucket): MODIFIED',
    '      /VersioningConfiguration/Status: changed',
    '        expected: Enabled',
    '        actual:   Suspended',
    '      /Tags/1: set outside CloudFormation',
  ].join('\n'));
  expect(r.stdout).toMatch(/ {8}actual: {3}\{"Key":"owner","Value":"x+\.\.\. \(\d+ more characters\)\n/);
  expect(r.stdout).not.toContain('x'.repeat(200));
  expect(r.stdout).toContain('    Topic (AWS::SNS::Topic, arn:aws:sns:eu-west-1:123456789012:t): DELETED outside CloudFormation\n');
  // The third page holds the Lambda function: every page is read.
  expect(r.stdout).toContain('    Function (AWS::Lambda::Function): MODIFIED\n      /Timeout: changed\n        expected: 30\n        actual:   900\n');
  expect(r.stdout).not.toContain('Table');
  expect(r.stdout).toContain('Drift: 1 drifted, 1 in sync, 0 not deployed, 0 not checked (2 stacks).');
  const listing = r.fake.calls.filter((c) => c.action === 'DescribeStackResourceDrifts');
  expect(listing.length).toBe(2);
  expect(listing[0].params).toMatchObject({ 'StackResourceDriftStatusFilters.member.1': 'MODIFIED', 'StackResourceDriftStatusFilters.member.2': 'DELETED' });
});

test('a stack that is not deployed is listed as such, not checked for drift, and is no failure', async () => {
  // A stack created by a change set that was never executed holds nothing yet.
  const review = { ...IN_SYNC, status: 'REVIEW_IN_PROGRESS' };
  const r = await run(['production-Api', 'production-New', 'production-Review'], { stacks: { 'production-Api': IN_SYNC, 'production-Review': review } });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('  production-New: not deployed\n  production-Review: not deployed\n');
  expect(r.stdout).toContain('Drift: 0 drifted, 1 in sync, 2 not deployed, 0 not checked (3 stacks).');
  expect(r.fake.actions).not.toContain('DetectStackDrift production-New');
  expect(r.fake.actions).not.toContain('DetectStackDrift production-Review');
});

test('a detection still in progress is polled until it completes', async () => {
  const r = await run(['production-Data'], { stacks: { 'production-Data': { ...DRIFTED, checksInProgress: 3 } } });
  expect(r.code).toBe(1);
  expect(r.fake.actions.filter((a) => a.startsWith('DescribeStackDriftDetectionStatus'))).toHaveLength(4);
  expect(r.stdout).toContain('production-Data: DRIFTED (3 resources)');
});

test('a detection that never finishes ends as not checked when the time is up: exit 3', async () => {
  const r = await run(['production-Data'], { stacks: { 'production-Data': { ...IN_SYNC, checksInProgress: Infinity } } }, { ...FAST, timeoutMs: 300 });
  expect(r.code).toBe(3);
  expect(r.stdout).toMatch(/production-Data: NOT CHECKED: drift detection \S+ did not finish within 300 ms; its result will be in the CloudFormation console/);
  expect(r.fake.actions.filter((a) => a.startsWith('DescribeStackDriftDetectionStatus')).length).toBeGreaterThan(3);
});

test('DETECTION_FAILED with partial results: what was checked, what was not and why; exit 3 (or 1 when something drifted)', async () => {
  const reason = 'Failed to detect drift on resource [Secret]: Access Denied when reading the resource';
  const partial: Deployed = {
    detectionStatus: 'DETECTION_FAILED',
    detectionStatusReason: reason,
    resources: [
      { LogicalResourceId: 'Queue', ResourceType: 'AWS::SQS::Queue', StackResourceDriftStatus: 'IN_SYNC' },
      { LogicalResourceId: 'Bucket', ResourceType: 'AWS::S3::Bucket', StackResourceDriftStatus: 'IN_SYNC' },
      { LogicalResourceId: 'Secret', ResourceType: 'AWS::SecretsManager::Secret', StackResourceDriftStatus: 'NOT_CHECKED' },
    ],
  };
  const r = await run(['production-Data'], { stacks: { 'production-Data': partial } });
  expect(r.code).toBe(3);
  expect(r.stdout).toContain([
    '  production-Data: NOT CHECKED in full (no drift in what was checked)',
    '    not checked: 1 resource (Secret); 2 resources checked',
    `    CloudFormation: ${reason}`,
  ].join('\n'));
  expect(r.stdout).toContain('Drift: 0 drifted, 0 in sync, 0 not deployed, 1 not checked (1 stack).');

  const drifted = await run(['production-Data'], {
    stacks: { 'production-Data': { ...partial, resources: [...partial.resources, DRIFTED.resources[0]] } },
  });
  expect(drifted.code).toBe(1);
  expect(drifted.stdout).toContain('production-Data: DRIFTED (1 resource)');
  expect(drifted.stdout).toContain('    not checked: 1 resource (Secret); 3 resources checked');
});

test('access denied for a stack: that stack is not checked, with the reason and what to do; exit 3', async () => {
  const r = await run(['production-Api', 'production-Data'], {
    stacks: { 'production-Api': IN_SYNC, 'production-Data': IN_SYNC },
    deny: ['DetectStackDrift production-Data'],
  });
  expect(r.code).toBe(3);
  expect(r.stdout).toContain('  production-Api: in sync\n');
  expect(r.stdout).toMatch(/ {2}production-Data: NOT CHECKED: DetectStackDrift \(stack status UPDATE_COMPLETE\): AccessDenied: User: .* is not authorized to perform: cloudformation:DetectStackDrift/);
  expect(r.stdout).toContain(`npx projen bitbucket:oidc:deploy:${ACCOUNT}`);
});

test('a stack CloudFormation cannot check (e.g. mid-rollback) is not checked, with CloudFormation\'s reason', async () => {
  const r = await run(['production-Data'], { stacks: { 'production-Data': { ...IN_SYNC, status: 'UPDATE_ROLLBACK_IN_PROGRESS' } } });
  expect(r.code).toBe(3);
  expect(r.stdout).toContain('production-Data: NOT CHECKED: DetectStackDrift (stack status UPDATE_ROLLBACK_IN_PROGRESS): ValidationError: Drift detection cannot be performed');
});

describe('with the read role (web identity)', () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/bitbucket-preview-app-1234abcd`;
  const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ7cmVwb30ifQ.c2lnbmF0dXJlLW5ldmVyLXByaW50ZWQ';

  beforeEach(() => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const tokenFile = path.join(tmp, 'oidc-token');
    fs.writeFileSync(tokenFile, TOKEN);
    Object.assign(process.env, { AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_REGION: 'eu-west-1' });
  });

  test('checks the stacks with the role\'s session; the token is never printed', async () => {
    const r = await run(['production-Data'], { stacks: { 'production-Data': DRIFTED } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`with role ${ROLE}`);
    expect(r.fake.actions[0]).toBe('AssumeRoleWithWebIdentity');
    expect(r.output).not.toContain(TOKEN);
    expect(r.output).not.toContain('c2lnbmF0dXJlLW5ldmVyLXByaW50ZWQ');
  });

  test('role not deployed (STS refuses the token): exit 3, says to deploy the role of the account', async () => {
    const r = await run(['production-Data'], { stacks: { 'production-Data': IN_SYNC }, webIdentity: 'deny' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Drift of production could not be checked: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect(r.stderr).toContain(`npx projen bitbucket:oidc:deploy:${ACCOUNT}`);
    expect(r.output).not.toContain(TOKEN);
    expect(r.fake.actions).not.toContain('DetectStackDrift production-Data');
  });

  test('a session of another account (e.g. the wrong role ARN) is refused before any stack is read: exit 3', async () => {
    process.env.AWS_ROLE_ARN = 'arn:aws:iam::210987654321:role/other';
    const r = await run(['production-Data'], { stacks: { 'production-Data': IN_SYNC } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`the credentials are for account 210987654321, the environment is in account ${ACCOUNT}`);
    expect(r.fake.actions).toEqual(['AssumeRoleWithWebIdentity']);
  });

  test('no OIDC token (a step without oidc: true): exit 3, says so', async () => {
    delete process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
    const r = await run(['production-Data'], { stacks: { 'production-Data': IN_SYNC } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('could not be checked');
    expect(r.stderr).toContain('No OIDC token');
    expect(r.fake.calls).toEqual([]);
  });
});

test('no credentials at all: exit 3 with what to set up, no call to CloudFormation', async () => {
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  const r = await run(['production-Data'], { stacks: { 'production-Data': IN_SYNC } });
  expect(r.code).toBe(3);
  expect(r.stderr).toContain('No AWS credentials were found');
  expect(r.fake.calls).toEqual([]);
});

describe('usage', () => {
  async function usage(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, process.env, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
    return { code, stdout, stderr };
  }

  test('--help prints the usage and exits 0', async () => {
    const r = await usage(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: bitbucket-cdk-drift --environment <env> --account <12 digits> --region <region> [--assembly cdk.out]');
  });

  test.each([
    [['--environment', 'production', '--account', ACCOUNT, '--region', 'eu-west-1', '--report'], 'Unknown option --report.'],
    [['--environment', 'production', '--region', 'eu-west-1'], 'Missing --account.'],
    [['--environment', 'production', '--account', '12345', '--region', 'eu-west-1'], '--account "12345": An AWS account ID has 12 digits'],
    [['--environment', 'production', '--account', ACCOUNT, '--region', 'eu-west-1a'], '--region "eu-west-1a": An availability zone, not a region: write "eu-west-1".'],
    [['--environment', 'production', '--account'], '--account needs a value.'],
    [['production'], 'Unexpected argument "production"'],
  ])('%j is a usage error (exit 2): %s', async (argv, message) => {
    const r = await usage(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('Usage: bitbucket-cdk-drift');
  });

  test('an assembly without the stage, or no assembly, is a usage error naming what to do', async () => {
    const missing = await usage([...ARGS, '--assembly', path.join(tmp, 'nothing')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No cloud assembly at');
    writeAssembly(path.join(tmp, 'cdk.out'), ['production-Api']);
    const other = await usage(['--environment', 'staging', '--account', ACCOUNT, '--region', 'eu-west-1', `--assembly=${path.join(tmp, 'cdk.out')}`]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('has no stacks of stage staging');
  });
});

test('the README\'s sample summary is what the tool prints for that account', async () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const sample = /```text\n(Drift detection of production[^\n]*\n[\s\S]*?)```/.exec(readme)?.[1];
  expect(sample).toBeDefined();
  const data: Deployed = {
    resources: [
      { ...DRIFTED.resources[0], PropertyDifferences: DRIFTED.resources[0].PropertyDifferences!.slice(0, 1) },
      { LogicalResourceId: 'Topic', ResourceType: 'AWS::SNS::Topic', PhysicalResourceId: 'arn:aws:sns:eu-west-1:123456789012:alerts', StackResourceDriftStatus: 'DELETED' },
    ],
  };
  const r = await run(['production-Api', 'production-Data', 'production-Search'], { stacks: { 'production-Api': IN_SYNC, 'production-Data': data } });
  const body = (text: string) => text.split('\n').slice(1).join('\n');
  expect(body(r.stdout)).toBe(body(sample!));
});
