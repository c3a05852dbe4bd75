import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { BitbucketCdkApp, BitbucketCdkAppOptions } from '../../src';
import { baseOptions, PRODUCTION_UUID, tasks, tempDir, twoEnvironmentOptions } from '../util';

/** A platform team's preset, as docs/platform-teams.md shows it. */
class AcmeApp extends BitbucketCdkApp {
  constructor(options: Partial<BitbucketCdkAppOptions>) {
    super({
      ...twoEnvironmentOptions({ oidcProviderExistsInAccounts: ['111111111111', '222222222222'] }),
      ...options,
    } as BitbucketCdkAppOptions);
  }
}

function readme(files: Record<string, any>): string {
  return files['README.md'];
}

/** `npx projen <task>` commands the README tells a reader to run. */
function projenCommands(text: string): string[] {
  return [...new Set([...text.matchAll(/npx projen ([a-z][\w:.-]*)/g)].map((m) => m[1]))];
}

describe('the README of a new repository', () => {
  const files = Testing.synth(new BitbucketCdkApp({ outdir: tempDir(), ...twoEnvironmentOptions() }));
  const text = readme(files);

  test('is not projen\'s placeholder; it names the project', () => {
    expect(text).not.toContain('# replace this');
    expect(text.split('\n')[0]).toBe('# my-app');
  });

  test('says what deploys where: environments, accounts, regions, Bitbucket deployments, approval gates, roles', () => {
    expect(text).toContain('| staging | `111111111111` | eu-west-1 | Staging | none: deploys after the previous step | `bitbucket-deploy-my-app-staging-3f0c9a42` |');
    expect(text).toContain('| production | `222222222222` | us-east-1 | Production | manual: someone runs the step (`trigger: manual`) | `bitbucket-deploy-my-app-production-3f0c9a42` |');
    expect(text).toContain('A push to `main` builds, tests and synthesises once');
  });

  test('lists the Bitbucket settings: deployment environments and permissions, their UUIDs, OpenID Connect', () => {
    expect(text).toContain('Repository settings → Deployments: the deployment environments `Staging`, `Production` exist');
    expect(text).toContain('deployment permissions');
    expect(text).toContain('Repository settings → Pipelines → OpenID Connect');
    expect(text).toContain('bitbucketDeploymentUuids');
    expect(text).toContain('audience `ari:cloud:bitbucket::workspace/7baee083-1b2c-4c8d-9d2e-0123456789ab`');
    // Both UUIDs are given in twoEnvironmentOptions.
    expect(text).toContain('All are given.');
  });

  test('gives the one-time AWS steps per account: bootstrap of each region, the deploy roles, the provider', () => {
    expect(text).toContain('`npx cdk bootstrap aws://111111111111/eu-west-1`');
    expect(text).toContain('`npx cdk bootstrap aws://222222222222/us-east-1`');
    expect(text).toContain('`npx projen bitbucket:oidc:deploy:111111111111`');
    expect(text).toContain('created by this repository\'s OIDC stack');
  });

  test('every `npx projen <task>` it mentions exists in the project', () => {
    const commands = projenCommands(text);
    expect(commands).toEqual(expect.arrayContaining(['build', 'deploy:staging', 'diff:production', 'bitbucket:oidc:doctor', 'upgrade']));
    for (const command of commands) expect(tasks(files)[command]).toBeDefined();
  });

  test('says what pull requests and the drift-detection pipeline do, and the local preview and drift tasks', () => {
    expect(text).toContain('each in its own step. Pull requests build, test and synthesise, and fail when generated files are out of date; then every environment is previewed at once with a read-only role');
    expect(text).toContain('Code Insights report per environment');
    expect(text).toContain('The custom pipeline `drift-detection`');
    expect(text).not.toContain('one step each');
    expect(text).toContain('`npx projen bitbucket:oidc:deploy:111111111111`: the deploy roles of this repository and the read-only role of its previews and drift checks (`bitbucket-preview-my-app-3f0c9a42`)');
    expect(projenCommands(text)).toEqual(expect.arrayContaining(['preview:staging', 'preview:production', 'drift:staging', 'drift:production']));
  });

  test('says where to look when a deploy step fails', () => {
    expect(text).toContain('## When a deploy step fails');
    expect(text).toContain('node .projen/bitbucket-oidc-doctor.js');
    expect(text).toContain('Not authorized to perform sts:AssumeRoleWithWebIdentity');
  });
});

describe('made from a preset', () => {
  const files = Testing.synth(new AcmeApp({
    outdir: tempDir(),
    bitbucketDeploymentUuids: undefined,
    deployEnvironments: [
      { name: 'staging', account: '111111111111', region: 'eu-west-1', bitbucketDeployment: 'Staging' },
      { name: 'production', account: '222222222222', region: 'eu-west-1', bitbucketDeployment: 'Production', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true },
    ],
  }));
  const text = readme(files);

  test('says the defaults come from the preset\'s project type', () => {
    expect(text).toContain('This repository was made from `AcmeApp`, your platform team\'s preset');
    expect(text).not.toContain('Every option is in `.projenrc.ts` (`BitbucketCdkApp`)');
  });

  test('the provider comes from the platform team\'s task, which the project has', () => {
    expect(text).toContain('created once per account by the platform team (`npx projen bitbucket:oidc:provider:deploy:111111111111`)');
    for (const command of projenCommands(text)) expect(tasks(files)[command]).toBeDefined();
  });

  test('names the environments whose UUID is still missing', () => {
    expect(text).toContain('Not given yet for `staging`: until then any pipeline step of this repository can assume its role');
  });
});

test('waves: the environments of a wave deploy at the same time', () => {
  const text = readme(Testing.synth(new BitbucketCdkApp({
    outdir: tempDir(),
    ...baseOptions({
      deployAccount: undefined,
      deployRegion: undefined,
      deployEnvironments: [
        { name: 'eu', account: '111111111111', region: 'eu-west-1', wave: 'edge' },
        { name: 'us', account: '111111111111', region: 'us-east-1', wave: 'edge' },
      ],
    }),
  })));
  expect(text).toContain('each in its own step (the environments of a wave at the same time, in one parallel set)');
});

test('previews and drift detection off: neither is mentioned, and every command it names exists', () => {
  const options = twoEnvironmentOptions({ pullRequestPreview: false, driftDetection: false });
  const files = Testing.synth(new BitbucketCdkApp({ outdir: tempDir(), ...options }));
  const text = readme(files);
  expect(text).toContain('Pull requests build, test and synthesise, and fail when generated files are out of date.');
  expect(text).not.toMatch(/preview|drift/i);
  for (const command of projenCommands(text)) expect(tasks(files)[command]).toBeDefined();
});

test('a custom bootstrap qualifier is in the bootstrap command', () => {
  const text = readme(Testing.synth(new BitbucketCdkApp({ outdir: tempDir(), ...baseOptions({ cdkBootstrapQualifier: 'acme12345' } as any) })));
  expect(text).toContain('`npx cdk bootstrap aws://012345678901/eu-west-1 --qualifier acme12345`');
});

test('written once: the second synthesis keeps the team\'s edits', () => {
  const outdir = tempDir();
  // Synthesised in place, twice, as two `npx projen` runs (no install).
  const synthInPlace = (options: BitbucketCdkAppOptions) => {
    const saved = process.env.PROJEN_DISABLE_POST;
    process.env.PROJEN_DISABLE_POST = 'true';
    try {
      new BitbucketCdkApp({ outdir, ...options }).synth();
    } finally {
      if (saved === undefined) delete process.env.PROJEN_DISABLE_POST;
      else process.env.PROJEN_DISABLE_POST = saved;
    }
  };
  synthInPlace(baseOptions());
  const file = path.join(outdir, 'README.md');
  expect(fs.readFileSync(file, 'utf-8')).toContain('## What it deploys where');
  fs.writeFileSync(file, '# orders\n\nOur own words.\n');
  synthInPlace(baseOptions({ deployRegion: 'us-east-1' }));
  expect(fs.readFileSync(file, 'utf-8')).toBe('# orders\n\nOur own words.\n');
  // The other files did follow the change.
  expect(fs.readFileSync(path.join(outdir, 'src', 'deploy-environments.ts'), 'utf-8')).toContain('us-east-1');
});

test('the readme option still wins', () => {
  const files = Testing.synth(new BitbucketCdkApp({ outdir: tempDir(), ...baseOptions({ readme: { contents: '# ours' } }) }));
  expect(readme(files)).toBe('# ours');
});
