import * as fs from 'fs';
import * as path from 'path';
import { stepToken, secretPieces } from '../../support/bitbucket-token';
import { DoctorRun, generateDoctor, runDoctor, tokenFile } from '../../support/doctor-runner';
import { PRODUCTION_UUID, tempDir, twoEnvironmentOptions } from '../../util';

const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('generated doctor, run with node in a clean environment: AWS variables', () => {
  const { file, project } = generateDoctor(twoEnvironmentOptions());
  const [staging, production] = project.settings.environments;
  const { jwt } = stepToken({ deploymentUuid: PRODUCTION_UUID });
  const right = () => ({
    BITBUCKET_STEP_OIDC_TOKEN: jwt,
    AWS_ROLE_ARN: production.deployRoleArn,
    AWS_REGION: production.region,
    AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile(jwt),
    BITBUCKET_CLONE_DIR: tempDir('pbc-clone-'),
  });

  function diagnose(env: Record<string, string | undefined>, args: string[] = ['production']): DoctorRun {
    const run = runDoctor(file, args, { ...right(), ...env });
    for (const piece of secretPieces(jwt)) expect(run.output).not.toContain(piece);
    return run;
  }

  test('the role of another environment in AWS_ROLE_ARN: names both ARNs and the environment it belongs to', () => {
    const r = diagnose({ AWS_ROLE_ARN: staging.deployRoleArn });
    expect(r.mismatches).toEqual([
      `AWS_ROLE_ARN ${staging.deployRoleArn} ≠ the deploy role of 'production' ${production.deployRoleArn}: that is the role of 'staging'; export AWS_ROLE_ARN=${production.deployRoleArn}, or diagnose the environment this step deploys`,
    ]);
    expect(r.status).toBe(1);
  });

  test('a role this project does not create', () => {
    const r = diagnose({ AWS_ROLE_ARN: 'arn:aws:iam::222222222222:role/hand-made' });
    expect(r.mismatches).toEqual([expect.stringContaining('AWS_ROLE_ARN arn:aws:iam::222222222222:role/hand-made ≠ the deploy role of \'production\'')]);
    expect(r.mismatches[0]).toContain('not a role this project creates');
  });

  test('leftover static keys: named, values never shown, a mismatch when run by hand', () => {
    const r = diagnose({ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET_KEY });
    expect(r.mismatches).toEqual([
      'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY are set: the AWS SDK uses them instead of AWS_ROLE_ARN and the token, silently skipping the role; remove them from Repository, Workspace and Deployment variables',
    ]);
    expect(r.output).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(r.output).not.toContain(SECRET_KEY);
    expect(r.status).toBe(1);
  });

  test('after-script: leftover keys are a warning (the generated step unsets them) and the variables its script exported may be absent', () => {
    const r = diagnose({ AWS_PROFILE: 'old-profile', AWS_ROLE_ARN: undefined, AWS_REGION: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: undefined, BITBUCKET_EXIT_CODE: '1' }, ['production', '--after-script']);
    expect(r.mismatches).toEqual([]);
    expect(r.warnings).toEqual([expect.stringMatching(/^AWS_PROFILE is set: .*\(the generated step ignores them\)$/)]);
    expect(r.output).toContain('The step failed (exit code 1)');
    expect(r.output.match(/skipped {2}AWS_(ROLE_ARN|REGION|WEB_IDENTITY_TOKEN_FILE) is not set: the generated step's script sets it/g)).toHaveLength(3);
    expect(r.status).toBe(0);
  });

  test('after-script still checks the variables that are there', () => {
    const r = diagnose({ AWS_ROLE_ARN: staging.deployRoleArn }, ['production', '--after-script']);
    expect(r.mismatches).toEqual([expect.stringContaining(`AWS_ROLE_ARN ${staging.deployRoleArn} ≠`)]);
  });

  test('by hand, missing variables are mismatches that say what to export', () => {
    const r = diagnose({ AWS_ROLE_ARN: undefined, AWS_REGION: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: undefined });
    expect(r.mismatches).toEqual([
      `AWS_ROLE_ARN is not set: export AWS_ROLE_ARN=${production.deployRoleArn} (the deploy role of 'production') before the CDK CLI runs`,
      'AWS_REGION is not set: export AWS_REGION=us-east-1; the SDK needs a region for STS',
      expect.stringMatching(/^AWS_WEB_IDENTITY_TOKEN_FILE is not set: write \$BITBUCKET_STEP_OIDC_TOKEN to a file outside the clone directory/),
    ]);
  });

  test('another region: a warning only', () => {
    const r = diagnose({ AWS_REGION: 'eu-central-1' });
    expect(r.mismatches).toEqual([]);
    expect(r.warnings).toEqual([expect.stringContaining("AWS_REGION eu-central-1 ≠ the region of 'production' us-east-1")]);
    expect(r.status).toBe(0);
  });

  test('token file missing, empty, or holding another token', () => {
    const missing = diagnose({ AWS_WEB_IDENTITY_TOKEN_FILE: '/nonexistent/web-identity-token' });
    expect(missing.mismatches).toEqual(['AWS_WEB_IDENTITY_TOKEN_FILE /nonexistent/web-identity-token is not readable: write $BITBUCKET_STEP_OIDC_TOKEN to it in this step (each step has its own token)']);
    const emptyFile = tokenFile('');
    expect(diagnose({ AWS_WEB_IDENTITY_TOKEN_FILE: emptyFile }).mismatches).toEqual([`AWS_WEB_IDENTITY_TOKEN_FILE ${emptyFile} is empty: write $BITBUCKET_STEP_OIDC_TOKEN to it`]);
    const other = stepToken({ deploymentUuid: PRODUCTION_UUID }).jwt;
    const stale = diagnose({ AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile(other) });
    expect(stale.mismatches).toEqual([expect.stringContaining('holds another token than $BITBUCKET_STEP_OIDC_TOKEN')]);
    for (const piece of secretPieces(other)) expect(stale.output).not.toContain(piece);
  });

  test('a token file inside the clone directory, where an artifact glob could pick it up', () => {
    const clone = tempDir('pbc-clone-');
    const inside = path.join(clone, 'token');
    fs.writeFileSync(inside, jwt);
    const r = diagnose({ BITBUCKET_CLONE_DIR: clone, AWS_WEB_IDENTITY_TOKEN_FILE: inside });
    expect(r.mismatches).toEqual([`AWS_WEB_IDENTITY_TOKEN_FILE ${inside} is inside BITBUCKET_CLONE_DIR: an artifact glob could upload the token; put it under $(mktemp -d)`]);
  });

  test('writes no file: the working and temporary directories stay as they were', () => {
    const cwd = tempDir('pbc-doctor-cwd-');
    const tmp = tempDir('pbc-doctor-tmp-');
    const home = tempDir('pbc-doctor-home-');
    const r = runDoctor(file, ['production'], { ...right(), TMPDIR: tmp, HOME: home }, cwd);
    expect(r.status).toBe(0);
    expect([...fs.readdirSync(cwd), ...fs.readdirSync(tmp), ...fs.readdirSync(home)]).toEqual([]);
  });

  describe('usage', () => {
    test('an unknown environment: exit 2 and the known names', () => {
      const r = diagnose({}, ['prod']);
      expect(r.output).toContain("Unknown environment 'prod'; environments: staging, production");
      expect(r.status).toBe(2);
    });

    test('a pasted token as argument is not echoed', () => {
      const r = diagnose({}, [jwt]);
      expect(r.output).toContain('Unknown environment (argument not shown)');
      expect(r.status).toBe(2);
    });

    test('no environment with several to choose from: usage, exit 2', () => {
      const r = diagnose({}, []);
      expect(r.output).toMatch(/^Usage: node <this file> <environment> \[--after-script \[--assembly <dir>\] \| --local\]; environments: staging, production/);
      expect(r.status).toBe(2);
    });
  });
});
