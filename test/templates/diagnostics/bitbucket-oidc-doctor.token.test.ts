import { stepToken, rawToken, secretPieces } from '../../support/bitbucket-token';
import { DoctorRun, generateDoctor, runDoctor, tokenFile } from '../../support/doctor-runner';
import { PRODUCTION_UUID, REPOSITORY_UUID, STAGING_UUID, WORKSPACE_UUID, tempDir, twoEnvironmentOptions } from '../../util';

const OTHER_UUID = '99999999-aaaa-4bbb-8ccc-dddddddddddd';

describe('generated doctor, run with node in a clean environment: token claims', () => {
  const { file, project } = generateDoctor(twoEnvironmentOptions());
  const [staging, production] = project.settings.environments;

  /** Runs the doctor for production with everything else right, as the production step would. */
  function diagnose(jwt: string, env: Record<string, string | undefined> = {}, args: string[] = ['production']): DoctorRun {
    const run = runDoctor(file, args, {
      BITBUCKET_STEP_OIDC_TOKEN: jwt,
      AWS_ROLE_ARN: production.deployRoleArn,
      AWS_REGION: production.region,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile(jwt),
      BITBUCKET_CLONE_DIR: tempDir('pbc-clone-'),
      ...env,
    });
    for (const piece of secretPieces(jwt)) expect(run.output).not.toContain(piece);
    return run;
  }

  test('the right token: every check passes, verdict OK, exit 0, claims shown', () => {
    const { jwt } = stepToken({ deploymentUuid: PRODUCTION_UUID });
    const r = diagnose(jwt);
    expect(r.mismatches).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.verdict).toMatch(/^Verdict: OK for 'production'/);
    expect(r.output).toContain(`repositoryUuid             {${REPOSITORY_UUID}}`);
    expect(r.output).toContain(`deploymentEnvironmentUuid  {${PRODUCTION_UUID}}`);
    expect(r.output).toContain('branchName                 main');
    expect(r.output).toContain(`sub matches StringLike '{${REPOSITORY_UUID}}*{${PRODUCTION_UUID}}:*'`);
  });

  test('the sub variant without a colon between repository and environment also passes', () => {
    const r = diagnose(stepToken({ deploymentUuid: PRODUCTION_UUID, separator: '' }).jwt);
    expect(r.mismatches).toEqual([]);
    expect(r.status).toBe(0);
  });

  test('another repository: names repositoryUuid, both UUIDs and bitbucketRepositoryUuid', () => {
    const r = diagnose(stepToken({ repositoryUuid: OTHER_UUID, deploymentUuid: PRODUCTION_UUID }).jwt);
    expect(r.mismatches).toEqual([
      expect.stringContaining(`repositoryUuid {${OTHER_UUID}} ≠ bitbucketRepositoryUuid {${REPOSITORY_UUID}}: the token comes from another repository`),
    ]);
    expect(r.mismatches[0]).toContain(`set bitbucketRepositoryUuid: '{${OTHER_UUID}}'`);
    expect(r.status).toBe(1);
    expect(r.verdict).toBe('Verdict: FAIL for \'production\': 1 mismatch; fix the lines marked MISMATCH.');
  });

  test('another environment: the token of the staging deployment in the production step', () => {
    const r = diagnose(stepToken({ deploymentUuid: STAGING_UUID }).jwt);
    expect(r.mismatches).toHaveLength(1);
    expect(r.mismatches[0]).toContain(`deploymentEnvironmentUuid {${STAGING_UUID}} ≠ deployEnvironments[1].bitbucketDeploymentUuid {${PRODUCTION_UUID}}`);
    expect(r.mismatches[0]).toContain(`is deployEnvironments[0] ('${staging.name}', deployment 'Staging')`);
    expect(r.mismatches[0]).toContain('`deployment: Production`');
    expect(r.status).toBe(1);
  });

  test('an unknown deployment environment: tells which option to set to which value', () => {
    const r = diagnose(stepToken({ deploymentUuid: OTHER_UUID }).jwt);
    expect(r.mismatches).toEqual([
      expect.stringContaining(`deploymentEnvironmentUuid {${OTHER_UUID}} ≠ deployEnvironments[1].bitbucketDeploymentUuid {${PRODUCTION_UUID}}: set it to '{${OTHER_UUID}}'`),
    ]);
  });

  test('a step without deployment: sub carries no deployment environment', () => {
    const { jwt, claims } = stepToken();
    const r = diagnose(jwt);
    expect(r.mismatches).toEqual([
      expect.stringContaining(`sub ${claims.sub} carries no deployment environment: the step has no \`deployment:\``),
    ]);
    expect(r.mismatches[0]).toContain('add `deployment: Production` to the step');
    expect(r.mismatches[0]).toContain('deployEnvironments[1].bitbucketDeploymentUuid');
    expect(r.status).toBe(1);
  });

  test('a step without deployment passes for an environment that trusts every step, with a warning', () => {
    const single = generateDoctor(twoEnvironmentOptions({
      deployEnvironments: [{ name: 'dev', account: '333333333333', region: 'eu-west-1' }],
    }));
    const { jwt } = stepToken();
    const dev = single.project.settings.environments[0];
    // With a single environment the name may be left out.
    const r = runDoctor(single.file, [], {
      BITBUCKET_STEP_OIDC_TOKEN: jwt, AWS_ROLE_ARN: dev.deployRoleArn, AWS_REGION: dev.region, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile(jwt),
    });
    expect(r.mismatches).toEqual([]);
    expect(r.warnings).toEqual([expect.stringContaining("deployEnvironments[0].bitbucketDeploymentUuid is not set: the role of 'dev' trusts every step")]);
    expect(r.status).toBe(0);
  });

  test('wrong audience: bitbucketWorkspaceUuid is wrong', () => {
    const r = diagnose(stepToken({ deploymentUuid: PRODUCTION_UUID, audience: `ari:cloud:bitbucket::workspace/${OTHER_UUID}` }).jwt);
    expect(r.mismatches).toEqual([
      `aud 'ari:cloud:bitbucket::workspace/${OTHER_UUID}' ≠ 'ari:cloud:bitbucket::workspace/${WORKSPACE_UUID}': bitbucketWorkspaceUuid is wrong (STS answers "Incorrect token audience"); set bitbucketWorkspaceUuid: '{${OTHER_UUID}}' and run npx projen, then npx projen bitbucket:oidc:deploy`,
    ]);
    expect(r.status).toBe(1);
  });

  test('a custom audience: tells to remove it from the step', () => {
    const r = diagnose(stepToken({ deploymentUuid: PRODUCTION_UUID, audience: 'my-custom-audience' }).jwt);
    expect(r.mismatches).toEqual([expect.stringMatching(/^aud 'my-custom-audience' is not the workspace audience .*remove custom 'oidc: audiences'/)]);
  });

  test('wrong workspace in the issuer: names both slugs and bitbucketWorkspace', () => {
    const r = diagnose(stepToken({ deploymentUuid: PRODUCTION_UUID, workspace: 'foo' }).jwt);
    expect(r.mismatches).toEqual([expect.stringMatching(/^iss workspace 'foo' ≠ bitbucketWorkspace 'acme': .*set bitbucketWorkspace: 'foo'/)]);
    expect(r.status).toBe(1);
  });

  test('an issuer that is not Bitbucket', () => {
    const r = diagnose(stepToken({ deploymentUuid: PRODUCTION_UUID, extra: { iss: 'https://token.actions.githubusercontent.com' } }).jwt);
    expect(r.mismatches).toEqual([expect.stringContaining("iss 'https://token.actions.githubusercontent.com' ≠ https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc")]);
  });

  test('UUIDs in upper case: equal UUIDs, but IAM StringLike is case-sensitive', () => {
    const { jwt, claims } = stepToken({ repositoryUuid: REPOSITORY_UUID.toUpperCase(), deploymentUuid: PRODUCTION_UUID });
    const r = diagnose(jwt);
    expect(r.mismatches).toEqual([expect.stringContaining(`sub ${claims.sub} ≠ StringLike '{${REPOSITORY_UUID}}*{${PRODUCTION_UUID}}:*' of ${production.deployRoleArn} (IAM compares case-sensitively)`)]);
  });

  test('an expired token', () => {
    // 11 when the clock passes a second boundary between creating the token and the check (the doctor rounds up).
    const r = diagnose(stepToken({ deploymentUuid: PRODUCTION_UUID, expiresIn: -600 }).jwt);
    expect(r.mismatches).toEqual([expect.stringMatching(/^exp \d{4}-\d\d-\d\dT.* is in the past: the token expired 1[01] min ago/)]);
  });

  test('several faults: one line each', () => {
    const r = diagnose(stepToken({ workspace: 'foo', workspaceUuid: OTHER_UUID, deploymentUuid: STAGING_UUID }).jwt);
    expect(r.mismatches.map((l) => l.split(' ')[0])).toEqual(['iss', 'aud', 'deploymentEnvironmentUuid']);
    expect(r.verdict).toContain('3 mismatches');
  });

  describe('malformed and empty tokens', () => {
    test.each([
      ['two parts', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0', /is not a JWT: it has 2 part\(s\) separated by '\.', a JWT has 3/],
      ['a payload that is not JSON (and would be quoted by JSON.parse)', rawToken('{"alg":"RS256"}', 'SECRET-PAYLOAD-TEXT-7f3a9c not json'), /is not a JWT: its payload \(part 2\) is not JSON/],
      ['a JSON array payload', rawToken('{"alg":"RS256"}', '["SECRET-PAYLOAD-TEXT-7f3a9c"]'), /is not a JWT: .*payload \(part 2\) is not a JSON object/],
      ['characters outside base64url', 'abc.d$f.ghi', /is not a JWT: .*payload \(part 2\) is not base64url/],
    ])('%s: one line, nothing of the token', (_name, jwt, message) => {
      const r = diagnose(jwt);
      expect(r.mismatches).toEqual([expect.stringMatching(message)]);
      expect(r.output).not.toContain('SECRET-PAYLOAD-TEXT');
      expect(r.output).not.toContain(jwt);
      expect(r.status).toBe(1);
    });

    test('an empty token: the step needs oidc: true', () => {
      const r = diagnose('', { AWS_WEB_IDENTITY_TOKEN_FILE: undefined });
      expect(r.mismatches[0]).toMatch(/^BITBUCKET_STEP_OIDC_TOKEN is empty: the step needs `oidc: true`/);
      expect(r.output).not.toContain('Token claims');
      expect(r.status).toBe(1);
    });
  });
});
