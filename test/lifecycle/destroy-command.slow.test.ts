import { spawnSync } from 'child_process';
import { buildApp, projectDir, projen, removeProjectDirs } from '../support/lifecycle-project';
import { PRODUCTION_UUID, twoEnvironmentOptions } from '../util';

/**
 * The command printed for a removed environment's stacks, run with the CDK
 * CLI the project pins, in a terminal (`script` gives it one) where the
 * administrator answers "n": it must select exactly that stage's stacks and
 * ask before deleting anything. AWS is unreachable (a closed local port), so
 * nothing could be deleted even if it did not ask.
 */
afterAll(removeProjectDirs);

const ENVIRONMENTS = [
  { name: 'dev', account: '111111111111', region: 'eu-west-1' },
  { name: 'staging', account: '111111111111', region: 'eu-west-1' },
];

function hasScript(): boolean {
  return spawnSync('script', ['--version'], { encoding: 'utf-8' }).status === 0;
}

(hasScript() ? test : test.skip)('npx cdk destroy of a removed stage lists its stacks only and asks first (real CDK CLI)', () => {
  const dir = projectDir();
  const before = twoEnvironmentOptions({
    deployEnvironments: [
      ...ENVIRONMENTS,
      { name: 'production', account: '222222222222', region: 'us-east-1', bitbucketDeploymentUuid: PRODUCTION_UUID, manualApproval: true },
    ],
  });
  projen(dir, before);
  buildApp(dir, ENVIRONMENTS);
  const after = projen(dir, twoEnvironmentOptions({ deployEnvironments: before.deployEnvironments!.slice(1) }));
  const line = after.lifecycle.join('\n').split('\n').find((l) => l.includes('npx cdk destroy'));
  expect(line).toBeDefined();
  const command = line!.trim().replace(/\s+\(lists them.*$/, '');
  expect(command).toBe("npx cdk destroy --app cdk.out --build '' 'dev/*'");

  // The project's own CLI version, as its devDependency would run it.
  const cli = command.replace(/^npx cdk /, `npx -y aws-cdk@${after.project.settings.cdkCliVersion} `);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
  };
  // `script` gives the CLI a terminal; the answer arrives once the CLI asks.
  const r = spawnSync('sh', ['-c', `(sleep 20; echo n) | script -qec ${JSON.stringify(cli)} /dev/null`], { cwd: dir, env, encoding: 'utf-8', timeout: 170_000 });
  // eslint-disable-next-line no-control-regex
  const output = `${r.stdout}${r.stderr}`.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  expect(output).toContain('Are you sure you want to delete: dev/Database, dev/Service (y/n)');
  expect(output).not.toContain('staging/');
  expect(output).toContain('Deletion cancelled');
}, 180_000);
