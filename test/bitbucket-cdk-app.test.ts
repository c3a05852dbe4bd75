import { PRODUCTION_UUID, REPOSITORY_UUID, baseOptions, newProject, synth, tasks, twoEnvironmentOptions } from './util';

describe('BitbucketCdkApp defaults', () => {
  const files = synth(baseOptions());

  test('no GitHub artefacts: workflows, mergify, PR template', () => {
    const paths = Object.keys(files);
    expect(paths.filter((p) => p.startsWith('.github/'))).toEqual([]);
    expect(paths).not.toContain('.mergify.yml');
    expect(paths).not.toContain('.github/pull_request_template.md');
  });

  test('npm, a current aws-cdk-lib and an exact CDK CLI', () => {
    const pkg = files['package.json'];
    expect(pkg.dependencies['aws-cdk-lib']).toMatch(/^\^?2\.276\.0$/);
    expect(pkg.devDependencies['aws-cdk']).toBe('2.1148.1');
    expect(files['.projen/deps.json'].dependencies.find((d: any) => d.name === 'aws-cdk-lib').version).toMatch(/2\.276\.0/);
    expect(Object.keys(files)).not.toContain('yarn.lock');
  });

  test('jest never updates snapshots in the test task', () => {
    const test = tasks(files).test.steps.map((s: any) => s.exec).join(' ');
    expect(test).not.toContain('--updateSnapshot');
    expect(tasks(files)['test:update']).toBeDefined();
  });

  test('the single environment from deployAccount/deployRegion is named production', () => {
    expect(files['src/deploy-environments.ts']).toContain("{ name: 'production', account: '012345678901', region: 'eu-west-1' },");
  });

  test('main.ts is a sample that builds one stage per environment from the generated module', () => {
    expect(files['src/main.ts']).toContain("import { DEPLOY_ENVIRONMENTS, tagStacks } from './deploy-environments';");
    // Before app.synth(): the read-only role reads only the stacks tagStacks marks as this app's.
    expect(files['src/main.ts']).toMatch(/tagStacks\(app\);\n\napp\.synth\(\);/);
    expect(files['src/main.ts']).toContain('new AppStage(app, env.name, { env: { account: env.account, region: env.region } })');
  });

  test('defaultReleaseBranch defaults to main', () => {
    expect(newProject(baseOptions()).settings.mainBranch).toBe('main');
    expect(newProject(baseOptions({ defaultReleaseBranch: 'trunk' })).settings.mainBranch).toBe('trunk');
  });
});

describe('deploy tasks', () => {
  const files = synth(twoEnvironmentOptions());

  test('one deploy and one diff task per environment, on the synthesised assembly only', () => {
    const t = tasks(files);
    // The first step checks that cdk.out exists (test/app/deploy-tasks.test.ts runs it).
    expect(t['deploy:staging'].steps.slice(1)).toEqual([{ exec: "cdk deploy --app cdk.out --build '' --require-approval never --progress events 'staging/*'", receiveArgs: true }]);
    expect(t['diff:production'].steps.slice(1)).toEqual([{ exec: "cdk diff --app cdk.out --build '' 'production/*'", receiveArgs: true }]);
    expect(t['deploy:staging'].description).toContain('111111111111');
  });

  test('environments module lists both in order', () => {
    const src: string = files['src/deploy-environments.ts'];
    expect(src.indexOf("'staging'")).toBeLessThan(src.indexOf("'production'"));
    expect(src).toContain("account: '222222222222', region: 'us-east-1'");
  });

  test('settings carry deterministic role ARNs', () => {
    const project = newProject(twoEnvironmentOptions());
    expect(project.settings.environments.map((e) => e.deployRoleArn)).toEqual([
      `arn:aws:iam::111111111111:role/bitbucket-deploy-my-app-staging-${REPOSITORY_UUID.slice(0, 8)}`,
      `arn:aws:iam::222222222222:role/bitbucket-deploy-my-app-production-${REPOSITORY_UUID.slice(0, 8)}`,
    ]);
  });
});

describe('the deploy role and the app agree on the CDK bootstrap', () => {
  test('a custom qualifier reaches cdk.json, so the app targets the bootstrap roles the deploy role may assume', () => {
    const files = synth(baseOptions({ cdkBootstrapQualifier: 'acme' }));
    expect(files['cdk.json'].context['@aws-cdk/core:bootstrapQualifier']).toBe('acme');
    expect(files['src/bitbucket-oidc/config.ts']).toContain('role/cdk-acme-deploy-role-012345678901-eu-west-1');
  });

  test('the default qualifier adds no context', () => {
    expect(synth(baseOptions())['cdk.json'].context?.['@aws-cdk/core:bootstrapQualifier']).toBeUndefined();
  });
});

describe('the command-line shortcut (deployAccount, deployRegion, deployBitbucketDeploymentUuid)', () => {
  test('scopes the production role to its Bitbucket environment and gates it', () => {
    const project = newProject(baseOptions({ deployBitbucketDeploymentUuid: `{${PRODUCTION_UUID}}` }));
    expect(project.settings.environments).toEqual([expect.objectContaining({
      name: 'production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true,
    })]);
    expect(project.settings.warnings.join('\n')).not.toContain('bitbucketDeploymentUuid');
  });

  test('without the UUID it warns that every step of the repository can assume the role', () => {
    expect(newProject(baseOptions()).settings.warnings.join('\n')).toContain('deployBitbucketDeploymentUuid');
  });
});

test('only npm is supported: the pipeline runs npm ci', () => {
  expect(() => newProject(baseOptions({ packageManager: 'pnpm' } as any))).toThrow(/packageManager: "pnpm"[\s\S]*Only npm/);
});
