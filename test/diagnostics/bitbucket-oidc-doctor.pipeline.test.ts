import * as fs from 'fs';
import * as path from 'path';
import { awscdk } from 'projen';
import { Testing } from 'projen/lib/testing';
import { DeployTasks } from '../../src/app/deploy-tasks';
import { BitbucketOidcDoctor } from '../../src/diagnostics/bitbucket-oidc-doctor';
import { MAX_SCRIPT_LINE_LENGTH } from '../../src/pipeline/bitbucket-limits';
import { BitbucketPipelines } from '../../src/pipeline/bitbucket-pipelines';
import { resolveSettings } from '../../src/validation/resolve-settings';
import { writeAssembly } from '../pipeline/deploy-step-fixture';
import { parsePipelines, schemaErrors } from '../pipeline/pipeline-helpers';
import { runLikeBitbucket } from '../pipeline/script-runner';
import { stepToken, secretPieces } from '../support/bitbucket-token';
import { STAGING_UUID, tempDir, twoEnvironmentOptions } from '../util';

/** The components on a plain AwsCdkTypeScriptApp, wired as the project class would wire them. */
function standaloneProject(withDoctor: boolean) {
  const settings = resolveSettings(twoEnvironmentOptions());
  const project = new awscdk.AwsCdkTypeScriptApp({
    name: 'my-app', defaultReleaseBranch: 'main', cdkVersion: '2.276.0', github: false, outdir: tempDir(),
  });
  const deployTasks = new DeployTasks(project, { environments: settings.environments });
  const diagnostics = withDoctor ? new BitbucketOidcDoctor(project, settings) : undefined;
  new BitbucketPipelines(project, { environments: settings.environments, cdkCliVersion: settings.cdkCliVersion, deployTasks, diagnostics });
  return { settings, files: Testing.synth(project) };
}

describe('deploy steps run the doctor in after-script when they fail', () => {
  const { settings, files } = standaloneProject(true);
  const doc = parsePipelines(files['bitbucket-pipelines.yml']);
  const deploySteps = doc.pipelines.branches.main.map((i: any) => i.step).filter((s: any) => s.deployment);

  test('each deploy step has an after-script for its own environment; the file stays schema-valid', () => {
    expect(schemaErrors(doc)).toEqual([]);
    expect(deploySteps.map((s: any) => s['after-script'])).toEqual(settings.environments.map((env) => [
      `node "\${BITBUCKET_CLONE_DIR:-.}"/.projen/bitbucket-oidc-doctor.js ${env.name} --after-script --assembly cdk.out`,
    ]));
    expect(doc.pipelines.branches.main[0].step['after-script']).toBeUndefined();
  });

  /** Runs the production step's after-script with bash in a clone that holds the generated doctor. */
  function afterScript(stepIndex: number, exitCode: string, token: string, o: { assembly?: boolean; sharedShell?: boolean } = {}) {
    const root = tempDir('pbc-after-');
    const clone = path.join(root, 'build');
    fs.mkdirSync(path.join(clone, '.projen'), { recursive: true });
    fs.writeFileSync(path.join(clone, BitbucketOidcDoctor.FILE_PATH), files[BitbucketOidcDoctor.FILE_PATH]);
    if (o.assembly ?? true) writeAssembly(path.join(clone, 'cdk.out'), 'staging');
    const env: Record<string, string> = {
      PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
      BITBUCKET_CLONE_DIR: clone,
      BITBUCKET_EXIT_CODE: exitCode,
      // Bitbucket's token: the step runner keeps it out of its command only, never out of the step's shell.
      BITBUCKET_STEP_OIDC_TOKEN: token,
    };
    // What the step's own script exported, when the after-script shares its shell.
    const stepEnv = settings.environments[stepIndex];
    if (o.sharedShell) Object.assign(env, { AWS_REGION: stepEnv.region, AWS_ROLE_ARN: stepEnv.deployRoleArn });
    // after-script runs in the clone directory; here from elsewhere, to prove the path does not depend on it.
    return runLikeBitbucket(deploySteps[stepIndex]['after-script'], root, env);
  }

  test('after a failure: diagnoses the step\'s environment, never prints the token', () => {
    const { jwt } = stepToken({ deploymentUuid: STAGING_UUID });
    const r = afterScript(1, '1', jwt);
    expect(r.stdout).toContain("Bitbucket OIDC doctor: my-app, environment 'production'");
    expect(r.stdout).toContain('The step failed (exit code 1)');
    expect(r.stdout).toMatch(/MISMATCH deploymentEnvironmentUuid \{a1b2c3d4-0000-4000-8000-000000000001\} ≠ deployEnvironments\[1\]\.bitbucketDeploymentUuid/);
    for (const piece of secretPieces(jwt)) expect(`${r.stdout}${r.stderr}`).not.toContain(piece);

    const ok = afterScript(0, '2', jwt);
    expect(ok.stdout).toContain("environment 'staging'");
    expect(ok.stdout).toContain("Verdict: OK for 'staging'");
  });

  test('after a failure in a shell the step\'s script shares: checks the role and region the step exported', () => {
    const { jwt } = stepToken({ deploymentUuid: STAGING_UUID });
    const r = afterScript(0, '1', jwt, { sharedShell: true });
    expect(r.stdout).toContain("AWS_ROLE_ARN is the deploy role of 'staging'");
    expect(r.stdout).toContain('AWS_REGION is eu-west-1');
    expect(r.stdout).toContain("Verdict: OK for 'staging'");
    for (const piece of secretPieces(jwt)) expect(`${r.stdout}${r.stderr}`).not.toContain(piece);
  });

  test('every after-script line is short', () => {
    for (const s of deploySteps) for (const line of s['after-script']) expect(line.length).toBeLessThanOrEqual(MAX_SCRIPT_LINE_LENGTH);
  });

  test('after a failure without cdk.out (expired artifact): does not blame OIDC', () => {
    const r = afterScript(1, '1', stepToken({ deploymentUuid: STAGING_UUID }).jwt, { assembly: false });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('OIDC doctor skipped: cdk.out is missing, so the step stopped before any AWS call (see above); not an OIDC problem.');
    expect(r.stdout).not.toContain('MISMATCH');
    expect(r.stdout).not.toContain('Bitbucket OIDC doctor:');
  });

  test('after a success: does not run', () => {
    const r = afterScript(0, '0', stepToken({ deploymentUuid: STAGING_UUID }).jwt);
    expect(r.stdout).not.toContain('Bitbucket OIDC doctor');
    expect(r.status).toBe(0);
  });

  test('without the doctor, deploy steps have no after-script and no script is written', () => {
    const plain = standaloneProject(false);
    const steps = parsePipelines(plain.files['bitbucket-pipelines.yml']).pipelines.branches.main.map((i: any) => i.step);
    expect(steps.filter((s: any) => s['after-script'])).toEqual([]);
    expect(plain.files[BitbucketOidcDoctor.FILE_PATH]).toBeUndefined();
  });
});
