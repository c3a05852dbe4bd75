import * as path from 'path';
import { Component, SampleFile } from 'projen';
import type { awscdk } from 'projen';

/**
 * The app's starting point, written once and then the user's: `main.ts` with
 * one CDK stage per deploy environment (read from the generated
 * `deploy-environments.ts`) and a test.
 */
export class SampleApp extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp, environmentsModule: string) {
    super(project);
    const main = path.posix.join(project.srcdir, project.appEntrypoint);
    const fromMain = `./${path.posix.relative(path.posix.dirname(main), environmentsModule).replace(/\.ts$/, '')}`;
    new SampleFile(project, main, {
      contents: [
        "import { App, Stack, StackProps, Stage } from 'aws-cdk-lib';",
        "import { Construct } from 'constructs';",
        `import { DEPLOY_ENVIRONMENTS } from '${fromMain}';`,
        '',
        'export class MyStack extends Stack {',
        '  constructor(scope: Construct, id: string, props: StackProps = {}) {',
        '    super(scope, id, props);',
        '',
        '    // define resources here...',
        '  }',
        '}',
        '',
        'const app = new App();',
        '',
        '// One stage per deploy environment (see deployEnvironments in .projenrc.ts):',
        '// `npx projen deploy:<name>` deploys the stacks of stage <name>.',
        'for (const env of DEPLOY_ENVIRONMENTS) {',
        '  const stage = new Stage(app, env.name, { env: { account: env.account, region: env.region } });',
        "  new MyStack(stage, 'MyStack');",
        '}',
        '',
        'app.synth();',
        '',
      ].join('\n'),
    });

    const test = path.posix.join(project.testdir, 'main.test.ts');
    const fromTest = path.posix.relative(project.testdir, main).replace(/\.ts$/, '');
    const envFromTest = path.posix.relative(project.testdir, environmentsModule).replace(/\.ts$/, '');
    new SampleFile(project, test, {
      contents: [
        "import { App, Stage } from 'aws-cdk-lib';",
        "import { Template } from 'aws-cdk-lib/assertions';",
        `import { DEPLOY_ENVIRONMENTS } from '${envFromTest}';`,
        `import { MyStack } from '${fromTest}';`,
        '',
        "test('MyStack synthesises in every deploy environment', () => {",
        '  const app = new App();',
        '  for (const env of DEPLOY_ENVIRONMENTS) {',
        '    const stage = new Stage(app, env.name, { env: { account: env.account, region: env.region } });',
        "    const stack = new MyStack(stage, 'MyStack');",
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
