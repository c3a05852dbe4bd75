import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadDriftReadCoverage } from '../../src/drift/read-permissions';
import { unreadableResources } from '../../src/drift/unreadable-resources';

const coverage = loadDriftReadCoverage();
let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unreadable-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function template(resources: Record<string, string>): string {
  const file = path.join(dir, 'stack.template.json');
  const entries = Object.entries(resources).map(([id, Type]) => [id, { Type, Properties: {} }]);
  fs.writeFileSync(file, JSON.stringify({ Resources: Object.fromEntries(entries) }));
  return file;
}

test('the resources of types the role may not read, by type, with the reason; checked types and CDK metadata are left out', () => {
  const file = template({
    Queue: 'AWS::SQS::Queue',
    Handler: 'AWS::Lambda::Function',
    HandlerRole: 'AWS::IAM::Role',
    Other: 'AWS::Lambda::Function',
    AutoDelete: 'Custom::S3AutoDeleteObjects',
    Secret: 'AWS::SecretsManager::Secret',
    Notebook: 'AWS::SageMaker::NotebookInstance',
    CDKMetadata: 'AWS::CDK::Metadata',
  });
  expect(unreadableResources(file, coverage)).toEqual([
    { type: 'AWS::Lambda::Function', logicalIds: ['Handler', 'Other'], reason: coverage.notChecked['AWS::Lambda::Function'] },
    { type: 'Custom::S3AutoDeleteObjects', logicalIds: ['AutoDelete'], reason: 'CloudFormation cannot detect drift of a custom resource' },
    { type: 'AWS::SecretsManager::Secret', logicalIds: ['Secret'], reason: expect.stringContaining('secretsmanager:GetSecretValue') },
    { type: 'AWS::SageMaker::NotebookInstance', logicalIds: ['Notebook'], reason: 'the read-only role is not granted the reads of this type' },
  ]);
});

test('only checked types: nothing to report', () => {
  expect(unreadableResources(template({ Queue: 'AWS::SQS::Queue', Bucket: 'AWS::S3::Bucket', CDKMetadata: 'AWS::CDK::Metadata' }), coverage)).toEqual([]);
});

test('no template, or one that is not JSON: nothing is claimed', () => {
  expect(unreadableResources(undefined, coverage)).toEqual([]);
  expect(unreadableResources(path.join(dir, 'missing.json'), coverage)).toEqual([]);
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, 'Resources: {}');
  expect(unreadableResources(bad, coverage)).toEqual([]);
});
