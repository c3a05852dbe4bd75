import { ProjenStruct, Struct } from '@mrgrain/jsii-struct-builder';
import { cdk, javascript, release } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

import { configureBitbucketPipeline, RELEASE_PUSH_DEFERRED } from './projenrc/bitbucket-pipeline';
import { configureTestTasks, JEST_CONFIG } from './projenrc/test-suites';
import { MIN_NODE_VERSION, PROJEN_PEER_RANGE, PROJEN_VERSION } from './projenrc/versions';
import { DEFAULT_CDK_CLI_VERSION as CDK_CLI_VERSION, DEFAULT_CDK_VERSION as CDK_LIB_VERSION, PREVIEW_DEPENDENCIES } from './src/versions';

const project = new cdk.JsiiProject({
  name: 'projen-bitbucket-cdk',
  description:
    'projen project type for AWS CDK apps on Bitbucket Cloud: OIDC trust, deploy roles and bitbucket-pipelines.yml generated from one set of options',
  keywords: ['projen', 'aws-cdk', 'bitbucket', 'bitbucket-pipelines', 'oidc', 'jsii'],
  author: 'projen-bitbucket-cdk team',
  authorAddress: 'team@projen-bitbucket-cdk.dev',
  repositoryUrl: 'https://bitbucket.org/projen-bitbucket-cdk/projen-bitbucket-cdk.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',
  // Supported versions and the upgrade policy: projenrc/versions.ts.
  minNodeVersion: MIN_NODE_VERSION,

  // This repository is not on GitHub: CI is .ci/run.
  github: false,
  // Released by hand from the main branch's manual step (projenrc/bitbucket-pipeline.ts): version and
  // changelog from the commit history (conventional commits), published with the secured NPM_TOKEN.
  release: true,
  releaseTrigger: release.ReleaseTrigger.manual({ gitPushCommand: RELEASE_PUSH_DEFERRED }),
  depsUpgrade: false,

  // Open up to 1.0: a new projen minor must not break `npm install` of users' projects.
  peerDeps: [`projen@${PROJEN_PEER_RANGE}`, 'constructs@^10.5.0'],
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    `projen@${PROJEN_VERSION}`,
    'constructs@10.8.1',
    '@mrgrain/jsii-struct-builder@0.7.64',
    `aws-cdk-lib@${CDK_LIB_VERSION}`,
    // Locked here so test/versions.test.ts can hold DEFAULT_CDK_CLI_INTEGRITY to the registry's bytes.
    `aws-cdk@${CDK_CLI_VERSION}`,
    'cdk-nag@3.0.2',
    'yaml@2.9.1',
    'ajv@8.20.0',
    // AGPL-3.0: used by tests only, never shipped.
    '@cloud-copilot/iam-simulate@0.1.173',
    // Loaded by the preview and drift tools from the generated project, which declares them (src/versions.ts).
    ...Object.entries(PREVIEW_DEPENDENCIES).map(([name, version]) => `${name}@${version}`),
  ],
  // Run in the generated project's tasks and pipeline steps (README "Pull-request previews", "Drift").
  bin: {
    'bitbucket-cdk-preview': 'lib/preview/cli.js',
    'bitbucket-cdk-drift': 'lib/drift/cli.js',
  },

  jestOptions: {
    // A snapshot mismatch must fail, locally and in CI; update with `npx projen test:update`.
    updateSnapshot: UpdateSnapshot.NEVER,
    // Fast and slow suites are separate jest projects (projenrc/test-suites.ts).
    jestConfig: JEST_CONFIG,
  },
  tsconfigDev: {
    include: ['templates/**/*.ts'],
    compilerOptions: {},
  },
  eslintOptions: {
    dirs: ['src', 'templates', 'scripts'],
    devdirs: ['test', 'templates', 'scripts'],
  },
});

const OPTIONS_WITHOUT_EFFECT_ON_BITBUCKET = [
  'github', 'githubOptions', 'projenCredentials', 'autoApproveOptions', 'autoApproveUpgrades', 'autoMerge', 'autoMergeOptions',
  'buildWorkflow', 'buildWorkflowOptions', 'postBuildSteps', 'workflowBootstrapSteps', 'workflowContainerImage', 'workflowGitIdentity',
  'workflowPackageCache', 'pullRequestTemplate', 'pullRequestTemplateContents', 'stale', 'staleOptions', 'dependabot',
  'dependabotOptions', 'codeCov', 'codeCovTokenSecret',
  'release', 'releaseToNpm', 'releaseTrigger', 'releaseWorkflowName', 'releaseWorkflowEnv', 'releaseWorkflowSetupSteps',
  'releaseFailureIssue', 'releaseFailureIssueLabel', 'releaseEnvironment', 'releaseBranches', 'releaseTagPrefix', 'releasableCommits',
  'publishTasks', 'publishDryRun', 'githubReleaseLatest', 'npmDistTag', 'npmTokenSecret', 'npmTrustedPublishing', 'npmProvenance',
  'jsiiReleaseVersion', 'prerelease', 'majorVersion', 'minMajorVersion', 'nextVersionCommand', 'bumpPackage', 'versionrcOptions',
  'packageManager', 'yarnBerryOptions', 'pnpmVersion', 'pnpmOptions', 'bunVersion',
];

// BitbucketCdkAppOptions inherits every AwsCdkTypeScriptAppOptions option; the
// ones this package defaults differently become optional here, since jsii does
// not allow re-declaring an inherited property.
new ProjenStruct(project, {
  name: 'CdkAppCommonOptions',
  filePath: 'src/cdk-app-common-options.ts',
  docs: {
    summary: 'The options of projen\'s `AwsCdkTypeScriptApp`, with the ones `BitbucketCdkApp` defaults made optional.',
  },
})
  .mixin(Struct.fromFqn('projen.awscdk.AwsCdkTypeScriptAppOptions'))
  .withoutDeprecated()
  .update('name', { optional: true, docs: { default: '$BASEDIR', custom: { pjnew: '$BASEDIR' } } })
  .update('defaultReleaseBranch', { optional: true, docs: { default: '"main"' } })
  .update('cdkVersion', { optional: true, docs: { default: `"${CDK_LIB_VERSION}"` } })
  .update('cdkCliVersion', { docs: { default: `"${CDK_CLI_VERSION}" (exact, so the pipeline's \`npx aws-cdk@<version>\` matches the lockfile)` } })
  // Options that do nothing on Bitbucket (GitHub workflows, mergify, auto-approve, release workflows) or that
  // the pipeline cannot honour (package managers other than npm): not offered at all (issue 13).
  .omit(...OPTIONS_WITHOUT_EFFECT_ON_BITBUCKET);

// Files the generated projects receive as source text (OIDC stack, entry point).
project.npmignore?.addPatterns('!/templates/', '/templates/**/*.test.ts', '/templates/bitbucket-oidc/config.ts', '/templates/bitbucket-oidc/provider-config.ts');
project.gitignore.exclude('/demo/', '/cdk.oidc.out/', '/test/.work/');
project.npmignore?.exclude('/demo/', '/.ci/', '/bench/', '/schemas/', '/scripts/', '/docs/');

project.addTask('demo', {
  description: 'Packs this package, creates a real BitbucketCdkApp project from it in demo/ and synthesises it',
  exec: 'bash scripts/demo.sh',
});

// jsii-docgen reads every .jsii below the repository: the demo's and the tests'
// installed copies of this package would shadow the fresh one.
project.tasks.tryFind('docgen')?.prependExec('rm -rf demo test/.work');

// `test` stays fast; `test:slow` and `test:all` (scripts/test.sh, CI) run the rest.
configureTestTasks(project);

project.addTask('bench', {
  description: 'Benchmark: npx projen vs a plain AwsCdkTypeScriptApp, pipeline work, deploy step set-up (BENCH_RUNS, default 5)',
  exec: 'ts-node --project projenrc/tsconfig.json bench/run.ts',
});

// This repository's own bitbucket-pipelines.yml, generated by this package (projenrc/bitbucket-pipeline.ts).
configureBitbucketPipeline(project, 'main');

project.synth();
