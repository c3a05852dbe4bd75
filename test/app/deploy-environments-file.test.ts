/**
 * The generated `src/deploy-environments.ts`: its `tagStacks(app)` marks
 * every stack of every stage as this app's (the stack tag the read-only
 * role requires), without changing a template; and `npx projen` warns when
 * the app's entry point (the user's) does not call it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as naming from '../../src/core/naming';
import { projectDir, projen, removeProjectDirs } from '../support/lifecycle-project';
import { REPOSITORY_UUID, twoEnvironmentOptions } from '../util';

afterAll(removeProjectDirs);

const TAG_WARNING = /src\/main\.ts does not call tagStacks\(app\), so previews and drift detection cannot read its stacks/;

/** The stage manifests' stacks of an assembly: display name → stack tags, and the templates' resources. */
function stacksOf(outdir: string): Record<string, { tags: unknown; resources: any }> {
  const result: Record<string, { tags: unknown; resources: any }> = {};
  const root = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
  for (const stage of Object.values<any>(root.artifacts).filter((a) => a.type === 'cdk:cloud-assembly')) {
    const dir = path.join(outdir, stage.properties.directoryName);
    const nested = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'));
    for (const a of Object.values<any>(nested.artifacts).filter((x) => x.type === 'aws:cloudformation:stack')) {
      const template = JSON.parse(fs.readFileSync(path.join(dir, a.properties.templateFile), 'utf-8'));
      result[a.displayName] = { tags: a.properties.tags, resources: template.Resources };
    }
  }
  return result;
}

test('tagStacks(app) gives every stack of every stage the app tag, as a stack tag only', () => {
  const dir = projectDir();
  projen(dir, twoEnvironmentOptions());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const generated = require(path.join(dir, 'src', 'deploy-environments.ts'));
  const value = naming.appTagValue('my-app', REPOSITORY_UUID);
  expect(generated.STACK_TAGS).toEqual({ [naming.APP_TAG_KEY]: value });

  const outdir = path.join(dir, 'cdk.out');
  const app = new App({ outdir });
  for (const env of generated.DEPLOY_ENVIRONMENTS) {
    const stage = new Stage(app, env.name, { env: { account: env.account, region: env.region } });
    new sqs.Queue(new Stack(stage, 'Service'), 'Queue');
    // A resource each: an empty stack makes aws-cdk-lib print a validation report.
    new sqs.Queue(new Stack(stage, 'Data'), 'Queue');
  }
  generated.tagStacks(app);
  app.synth();

  const stacks = stacksOf(outdir);
  expect(Object.keys(stacks).sort()).toEqual(['production/Data', 'production/Service', 'staging/Data', 'staging/Service']);
  for (const stack of Object.values(stacks)) expect(stack.tags).toEqual({ [naming.APP_TAG_KEY]: value });
  // Stack tags only: the templates (what a preview compares) do not change.
  expect(stacks['staging/Service'].resources.Queue4A7E3555.Properties?.Tags).toBeUndefined();
});

test('npx projen warns, naming the import and the call, when the app entry point does not tag its stacks; not once it does', () => {
  const dir = projectDir();
  expect(projen(dir, twoEnvironmentOptions()).warnings.filter((w) => TAG_WARNING.test(w))).toEqual([]);

  // A main.ts written by an earlier version of this package (the sample is the user's from then on).
  const main = path.join(dir, 'src', 'main.ts');
  const sample = fs.readFileSync(main, 'utf-8');
  expect(sample).toContain('tagStacks(app);');
  fs.writeFileSync(main, sample.replace(/\n.*\ntagStacks\(app\);\n/, '\n').replace(', tagStacks }', ' }'));
  const warned = projen(dir, twoEnvironmentOptions()).warnings.filter((w) => TAG_WARNING.test(w));
  expect(warned).toHaveLength(1);
  expect(warned[0]).toContain("import { tagStacks } from './deploy-environments';");
  expect(warned[0]).toContain('bitbucket-cdk:app');

  // With previews and drift off, nothing reads the tag: no warning.
  const off = projen(dir, twoEnvironmentOptions({ pullRequestPreview: false, driftDetection: false }));
  expect(off.warnings.filter((w) => TAG_WARNING.test(w))).toEqual([]);
});
