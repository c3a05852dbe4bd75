import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AssemblyError, readAssemblyStacks } from '../../src/preview/assembly-stacks';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'assembly-stacks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function synth(): string {
  const outdir = path.join(dir, 'cdk.out');
  const app = new App({ outdir });
  const dev = new Stage(app, 'dev', { env: { account: '111111111111', region: 'eu-west-1' } });
  const data = new Stack(dev, 'Data');
  new sqs.Queue(data, 'Jobs');
  const api = new Stack(dev, 'Api', { env: { region: 'us-east-1' } });
  api.addStackDependency(data);
  new sqs.Queue(api, 'Events');
  // A resource each: an empty stack makes aws-cdk-lib print a validation report on every run.
  new sqs.Queue(new Stack(new Stage(app, 'prod'), 'Data'), 'Jobs');
  app.synth();
  return outdir;
}

test('the stacks of one stage with their synthesised templates and where they deploy', () => {
  const stacks = readAssemblyStacks(synth(), 'dev', '111111111111', 'eu-west-1');
  expect(stacks.map((s) => [s.displayName, s.stackName, s.account, s.region])).toEqual([
    ['dev/Data', 'dev-Data', '111111111111', 'eu-west-1'],
    ['dev/Api', 'dev-Api', '111111111111', 'us-east-1'],
  ]);
  expect(Object.values(stacks[0].template.Resources).map((r: any) => r.Type)).toContain('AWS::SQS::Queue');
  expect(stacks[0].requiresBootstrapStackVersion).toBe(6);
});

test('an environment-agnostic stack deploys to the environment given on the command line', () => {
  const [stack] = readAssemblyStacks(synth(), 'prod', '222222222222', 'eu-central-1');
  expect([stack.account, stack.region]).toEqual(['222222222222', 'eu-central-1']);
});

test('no assembly, or no such stage: an error that says how to build it', () => {
  expect(() => readAssemblyStacks(path.join(dir, 'nothing'), 'dev', '111111111111', 'eu-west-1')).toThrow(/No cloud assembly at .*nothing: synthesise the app first/);
  expect(() => readAssemblyStacks(synth(), 'staging', '111111111111', 'eu-west-1')).toThrow(/has no stacks of stage staging/);
});

test('a manifest naming a template outside the assembly is refused, not read', () => {
  const outdir = synth();
  const manifestFile = path.join(outdir, 'assembly-dev', 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf-8'));
  const artifact = Object.values<any>(manifest.artifacts).find((a) => a.displayName === 'dev/Data');
  artifact.properties.templateFile = '../../outside.template.json';
  writeFileSync(manifestFile, JSON.stringify(manifest));
  expect(() => readAssemblyStacks(outdir, 'dev', '111111111111', 'eu-west-1')).toThrow(AssemblyError);
  expect(() => readAssemblyStacks(outdir, 'dev', '111111111111', 'eu-west-1')).toThrow(/names no template file for stack dev\/Data/);
});

test('a template that is not JSON: an error naming the file', () => {
  const outdir = synth();
  const [data] = readAssemblyStacks(outdir, 'dev', '111111111111', 'eu-west-1');
  writeFileSync(data.templateFile!, 'Resources: {}');
  expect(() => readAssemblyStacks(outdir, 'dev', '111111111111', 'eu-west-1')).toThrow(/Cannot read the template of stack dev\/Data \(.*devData.*\.template\.json\)/);
});
