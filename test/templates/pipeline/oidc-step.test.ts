/**
 * The step runner template called in-process: its argument and environment
 * rules, the command's environment, and its lists kept equal to the
 * TypeScript side's (the generated steps run it in test/pipeline/oidc-step-runner*.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CREDENTIAL_FILE_VARIABLES, LEFTOVER_CREDENTIAL_VARIABLES } from '../../../src/pipeline/credential-sources';
import { tempDir } from '../../util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const runner = require('../../../templates/pipeline/oidc-step.js');

const ROLE = 'arn:aws:iam::111111111111:role/bitbucket-deploy-my-app-staging-3f0c9a42';
const ENV = { AWS_REGION: 'eu-west-1', AWS_ROLE_ARN: ROLE };

test('its credential lists are the ones the doctor and the tests use', () => {
  expect(runner.LEFTOVER_CREDENTIAL_VARIABLES).toEqual(LEFTOVER_CREDENTIAL_VARIABLES);
  expect(runner.CREDENTIAL_FILE_VARIABLES).toEqual(CREDENTIAL_FILE_VARIABLES);
});

describe('arguments', () => {
  test('deploy <env> -- <args>, with region and role from the step', () => {
    expect(runner.parseArgs(['deploy', 'staging', '--', 'deploy', 'staging/*'], ENV)).toEqual({
      action: 'deploy', environment: 'staging', region: 'eu-west-1', roleArn: ROLE, command: ['deploy', 'staging/*'],
    });
  });

  test.each([
    [['destroy', 'staging', '--', 'x'], ENV, 'unknown action destroy'],
    [['deploy', 'staging', 'deploy'], ENV, 'missing -- <command>'],
    [['deploy', 'staging', '--'], ENV, 'missing -- <command>'],
    [['deploy', 'bad/name', '--', 'x'], ENV, 'missing or invalid <environment>'],
    [['preview', 'staging', '--', 'npx'], { AWS_ROLE_ARN: ROLE }, 'AWS_REGION is not set: export AWS_REGION=<region>'],
    [['drift', 'staging', '--', 'npx'], { AWS_REGION: 'eu-west-1' }, 'AWS_ROLE_ARN is not set: export AWS_ROLE_ARN=<role ARN>'],
    [['drift', 'staging', '--', 'npx'], { AWS_REGION: 'eu-west-1', AWS_ROLE_ARN: 'arn:aws:iam::111:user/x' }, 'AWS_ROLE_ARN is not an IAM role ARN'],
  ])('%j refused: the message names what is missing', (args, env, message) => {
    expect(runner.parseArgs(args, env)).toContain(message);
  });

  test('a usage error exits 2 before anything is created or run', async () => {
    const err: string[] = [];
    let ran = false;
    const tmp = tempDir('pbc-runner-usage-');
    const code = await runner.main(['deploy', 'staging', '--', 'x'], { AWS_REGION: 'eu-west-1', TMPDIR: tmp }, { out: () => {}, err: (l: string) => err.push(l) }, {
      run: async () => { ran = true; return 0; },
    });
    expect(code).toBe(2);
    expect(ran).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(err[0]).toBe('oidc-step: AWS_ROLE_ARN is not set: export AWS_ROLE_ARN=<role ARN> on the line before');
  });
});

describe('the command\'s environment', () => {
  const step = { action: 'preview', environment: 'staging', region: 'eu-west-1', roleArn: ROLE, command: ['npx'] };
  const stepEnv = {
    PATH: '/bin',
    BITBUCKET_STEP_OIDC_TOKEN: 'token',
    AWS_ACCESS_KEY_ID: 'AKIA',
    AWS_CONFIG_FILE: '/etc/aws',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    BITBUCKET_BUILD_NUMBER: '7',
    AWS_REGION: 'us-east-1',
  };
  const env = runner.tokenlessEnvironment(step, stepEnv, '/private');

  test('is the step\'s, without the token and other credentials, with the web identity settings', () => {
    expect(env).toEqual({
      PATH: '/bin',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      BITBUCKET_BUILD_NUMBER: '7',
      AWS_SHARED_CREDENTIALS_FILE: path.join('/private', 'aws-credentials'),
      AWS_CONFIG_FILE: path.join('/private', 'aws-config'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'eu-west-1',
      AWS_ROLE_ARN: ROLE,
      AWS_ROLE_SESSION_NAME: 'bitbucket-preview-staging-7',
      npm_config_yes: 'false',
    });
  });

  test('session names keep to STS\'s characters and 64 characters', () => {
    expect(runner.sessionName('bitbucket-staging', '12 34/"$x"')).toBe('bitbucket-staging-12_34___x_');
    expect(runner.sessionName(`bitbucket-${'x'.repeat(60)}`, '9'.repeat(40))).toHaveLength(64);
    expect(runner.sessionName('bitbucket-staging', undefined)).toBe('bitbucket-staging-0');
  });
});
