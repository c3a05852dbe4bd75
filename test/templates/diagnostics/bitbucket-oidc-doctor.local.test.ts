import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BitbucketCdkApp } from '../../../src';
import { secretPieces, stepToken } from '../../support/bitbucket-token';
import { DoctorRun, generateDoctor, runDoctor, tokenFile } from '../../support/doctor-runner';
import { PRODUCTION_UUID, STAGING_UUID, tempDir, twoEnvironmentOptions } from '../../util';

describe('the doctor on a workstation (--local): the token against the trust, nothing a pipeline step sets', () => {
  const { file } = generateDoctor(twoEnvironmentOptions());

  /** A developer's shell: the token in the variable, and none of the AWS_* variables a deploy step exports. */
  function local(jwt: string, args: string[] = ['production', '--local'], env: Record<string, string> = {}): DoctorRun {
    const run = runDoctor(file, args, { BITBUCKET_STEP_OIDC_TOKEN: jwt, ...env });
    for (const piece of secretPieces(jwt)) expect(run.output).not.toContain(piece);
    return run;
  }

  test('a good token passes: no complaint about AWS_ROLE_ARN, AWS_REGION or the token file', () => {
    const r = local(stepToken({ deploymentUuid: PRODUCTION_UUID }).jwt);
    expect(r.mismatches).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.output).not.toMatch(/MISMATCH.*(AWS_ROLE_ARN|AWS_REGION|AWS_WEB_IDENTITY_TOKEN_FILE)/);
    expect(r.output).toContain('skipped  AWS_ROLE_ARN, AWS_REGION, AWS_WEB_IDENTITY_TOKEN_FILE and static keys: set by the pipeline step, not checked locally (--local)');
    expect(r.verdict).toMatch(/^Verdict: OK for 'production': the token's claims match the trust of arn:aws:iam::222222222222:role\//);
  });

  test('the same good token without --local fails on the variables (why the local mode exists)', () => {
    const r = local(stepToken({ deploymentUuid: PRODUCTION_UUID }).jwt, ['production']);
    expect(r.status).toBe(1);
    expect(r.mismatches.map((m) => m.split(' ')[0])).toEqual(['AWS_ROLE_ARN', 'AWS_REGION', 'AWS_WEB_IDENTITY_TOKEN_FILE']);
  });

  test('a bad token still fails locally, on its claims', () => {
    const r = local(stepToken({ deploymentUuid: STAGING_UUID }).jwt);
    expect(r.status).toBe(1);
    expect(r.mismatches).toEqual([expect.stringContaining(`deploymentEnvironmentUuid {${STAGING_UUID}} ≠ deployEnvironments[1].bitbucketDeploymentUuid`)]);
  });

  test('an expired token (the usual case for a copied one) is checked, with a warning instead of a failure', () => {
    const r = local(stepToken({ deploymentUuid: PRODUCTION_UUID, expiresIn: -600 }).jwt);
    expect(r.status).toBe(0);
    expect(r.warnings).toEqual([expect.stringMatching(/^exp .* is in the past: the token expired 1[01] min ago; STS would refuse it now, but its claims were checked all the same$/)]);
  });

  test('no token: says how to give one locally', () => {
    const r = local('');
    expect(r.status).toBe(1);
    expect(r.mismatches).toEqual([expect.stringContaining('BITBUCKET_STEP_OIDC_TOKEN is empty: set it to the token to check')]);
  });

  test('an unknown option or --local with --after-script is a usage error, not silently ignored', () => {
    expect(local('x', ['production', '--locl']).status).toBe(2);
    expect(local('x', ['production', '--local', '--after-script']).status).toBe(2);
  });
});

describe('branchName is compared with the branch that deploys', () => {
  const { file, project } = generateDoctor(twoEnvironmentOptions());
  const production = project.settings.environments[1];

  function inStep(branchName: string | undefined): DoctorRun {
    const { jwt } = stepToken({ deploymentUuid: PRODUCTION_UUID, branchName, extra: branchName === undefined ? { branchName: undefined } : {} });
    return runDoctor(file, ['production'], {
      BITBUCKET_STEP_OIDC_TOKEN: jwt,
      AWS_ROLE_ARN: production.deployRoleArn,
      AWS_REGION: production.region,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile(jwt),
      BITBUCKET_CLONE_DIR: tempDir('pbc-clone-'),
    });
  }

  test('the main branch: ok', () => {
    const r = inStep('main');
    expect(r.output).toContain("ok       branchName is 'main' (defaultReleaseBranch), the branch whose pipeline deploys");
    expect(r.warnings).toEqual([]);
  });

  test('a deploy token from another branch: a warning naming both branches and where to restrict them, not a failure (AWS cannot check the branch)', () => {
    const r = inStep('feature/widen');
    expect(r.warnings).toEqual([
      "branchName 'feature/widen' ≠ 'main' (defaultReleaseBranch): the generated pipeline deploys 'production' from 'main' only, and AWS cannot check the branch; "
      + "unless this is intended, restrict the branches that may deploy to 'Production' (Repository settings → Deployments)",
    ]);
    expect(r.status).toBe(0);
  });

  test('the branch that deploys is defaultReleaseBranch', () => {
    const trunk = generateDoctor(twoEnvironmentOptions({ defaultReleaseBranch: 'trunk' }));
    const { jwt } = stepToken({ deploymentUuid: PRODUCTION_UUID, branchName: 'main' });
    const r = runDoctor(trunk.file, ['production', '--local'], { BITBUCKET_STEP_OIDC_TOKEN: jwt });
    expect(r.warnings).toEqual([expect.stringContaining("branchName 'main' ≠ 'trunk' (defaultReleaseBranch)")]);
  });

  test('no branchName (a tag pipeline): not compared, said so', () => {
    const r = inStep(undefined);
    expect(r.output).toContain("skipped  branchName is absent (a tag or custom pipeline?): not compared with 'main'");
    expect(r.warnings).toEqual([]);
  });
});

describe('npx projen bitbucket:oidc:doctor <env> --local, as the README says', () => {
  test('the task passes --local through to the script', () => {
    const dir = tempDir('pbc-doctor-task-');
    const env = process.env.PROJEN_DISABLE_POST;
    process.env.PROJEN_DISABLE_POST = 'true';
    try {
      new BitbucketCdkApp({ ...twoEnvironmentOptions(), outdir: dir }).synth();
    } finally {
      if (env === undefined) delete process.env.PROJEN_DISABLE_POST;
      else process.env.PROJEN_DISABLE_POST = env;
    }
    const { jwt } = stepToken({ deploymentUuid: PRODUCTION_UUID });
    const projen = path.join(path.dirname(require.resolve('projen/package.json')), 'bin', 'projen');
    const clean: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, BITBUCKET_STEP_OIDC_TOKEN: jwt };
    const r = spawnSync(process.execPath, [projen, 'bitbucket:oidc:doctor', 'production', '--local'], { cwd: dir, env: clean, encoding: 'utf-8', timeout: 60_000 });
    const output = `${r.stdout}${r.stderr}`;
    expect(output).toContain('Local run: checking the token\'s claims against the trust only.');
    expect(output).toMatch(/Verdict: OK for 'production'/);
    expect(r.status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 90_000);
});
