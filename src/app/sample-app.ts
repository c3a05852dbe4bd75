import * as path from 'path';
import { Component, SampleFile } from 'projen';
import type { awscdk } from 'projen';
import { TAG_STACKS_FUNCTION } from './deploy-environments-file';

/** Options of `SampleApp`. */
export interface SampleAppOptions {
  /** Path of the generated environments module (`DeployEnvironmentsFile.path`), relative to the project root. */
  readonly environmentsModule: string;
}

/**
 * The app's starting point, written once and then the user's:
 * - `app-stage.ts`: `AppStage`, the stacks of one deploy environment;
 * - `main.ts`: one `AppStage` per deploy environment (read from the
 *   generated `deploy-environments.ts`), then `app.synth()`;
 * - a test of `AppStage`.
 *
 * The test imports the stage, not `main.ts`: importing `main.ts` would
 * synthesise the whole app (and print its validation report) on every test run.
 */
export class SampleApp extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp, options: SampleAppOptions) {
    super(project);
    const environmentsModule = options.environmentsModule;
    const main = path.posix.join(project.srcdir, project.appEntrypoint);
    const stage = path.posix.join(project.srcdir, 'app-stage.ts');
    const test = path.posix.join(project.testdir, 'app-stage.test.ts');

    new SampleFile(project, stage, {
      contents: [
        "import { Stack, StackProps, Stage, StageProps } from 'aws-cdk-lib';",
        "import { Construct } from 'constructs';",
        '',
        'export class MyStack extends Stack {',
        '  constructor(scope: Construct, id: string, props: StackProps = {}) {',
        '    super(scope, id, props);',
        '',
        '    // define resources here...',
        '  }',
        '}',
        '',
        '/** The stacks of one deploy environment; main.ts adds one stage per environment. */',
        'export class AppStage extends Stage {',
        '  constructor(scope: Construct, id: string, props: StageProps = {}) {',
        '    super(scope, id, props);',
        "    new MyStack(this, 'MyStack');",
        '  }',
        '}',
        '',
      ].join('\n'),
    });

    new SampleFile(project, main, {
      contents: [
        "import { App } from 'aws-cdk-lib';",
        `import { AppStage } from '${importPath(main, stage)}';`,
        `import { DEPLOY_ENVIRONMENTS, ${TAG_STACKS_FUNCTION} } from '${importPath(main, environmentsModule)}';`,
        '',
        'const app = new App();',
        '',
        '// One stage per deploy environment (see deployEnvironments in .projenrc.ts):',
        '// `npx projen deploy:<name>` deploys the stacks of stage <name>.',
        'for (const env of DEPLOY_ENVIRONMENTS) {',
        '  new AppStage(app, env.name, { env: { account: env.account, region: env.region } });',
        '}',
        '',
        "// Marks the stacks as this app's: the read-only role of previews and drift reads no other stacks.",
        `${TAG_STACKS_FUNCTION}(app);`,
        '',
        'app.synth();',
        '',
      ].join('\n'),
    });

    new SampleFile(project, test, {
      contents: [
        "import { App } from 'aws-cdk-lib';",
        "import { Template } from 'aws-cdk-lib/assertions';",
        `import { AppStage, MyStack } from '${importPath(test, stage)}';`,
        `import { DEPLOY_ENVIRONMENTS } from '${importPath(test, environmentsModule)}';`,
        '',
        "test('every deploy environment gets MyStack in its own account and region', () => {",
        '  const app = new App();',
        '  for (const env of DEPLOY_ENVIRONMENTS) {',
        '    const stage = new AppStage(app, env.name, { env: { account: env.account, region: env.region } });',
        "    const stack = stage.node.findChild('MyStack') as MyStack;",
        '    expect(stack.account).toBe(env.account);',
        '    expect(stack.region).toBe(env.region);',
        '    expect(Template.fromStack(stack).toJSON()).toBeDefined();',
        '  }',
        '});',
        '',
      ].join('\n'),
    });
  }
}

/** The module specifier `from` uses to import `to` (both project-relative `.ts` paths). */
function importPath(from: string, to: string): string {
  const relative = path.posix.relative(path.posix.dirname(from), to).replace(/\.ts$/, '');
  return relative.startsWith('.') ? relative : `./${relative}`;
}
