/**
 * The administrator's path for an OIDC change not merged yet runs no code of
 * the project: in a checkout whose `.projenrc.ts`, `node_modules` (projen,
 * cdk, ts-node, aws-cdk, a dependency the OIDC sources require) and
 * `cdk.json` plugin all write a marker when run, the documented command
 * against the pull request's `cdk.oidc.out` artifact deploys it and leaves
 * no marker, while the command the lifecycle gave before
 * (`npx projen bitbucket:oidc:deploy:<account>`) runs them.
 *
 * The artifact is the real synthesis of the project's generated OIDC
 * source; the pre-flight is the generated one; npm is a stand-in whose
 * `ci` "installs" a CLI stand-in that records its calls (no registry, no
 * AWS: the template's checks and order of work are in
 * test/templates/admin/bitbucket-oidc-deploy-reviewed.test.ts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'projen/lib/testing';
import { OidcReviewedDeploy } from '../../src/oidc/oidc-reviewed-deploy';
import { DeployPreflight } from '../../src/pipeline/deploy-preflight';
import { projectLockfile } from '../pipeline/deploy-step-fixture';
import { removeWorkDirs } from '../support/generated-oidc-app';
import { oidcArtifact } from '../support/oidc-assembly';
import { newProject, tempDir, twoEnvironmentOptions } from '../util';

const ACCOUNT = '111111111111';
const OPTIONS = twoEnvironmentOptions();
const project = newProject(OPTIONS);
const files = Testing.synth(project);
// The checkout: the generated files, committed.
const dir = tempDir('pbc-checkout-');
for (const [file, content] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content, undefined, 2));
}
const work = tempDir('pbc-admin-');
const markers = path.join(work, 'markers');
const record = path.join(work, 'record');
const bin = path.join(work, 'bin');
for (const d of [markers, record, bin, path.join(work, 'home')]) fs.mkdirSync(d, { recursive: true });
afterAll(() => {
  removeWorkDirs();
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** JavaScript that leaves a marker named `name` when run. */
const mark = (name: string) => `require('fs').writeFileSync(require('path').join(process.env.MARKER_DIR, ${JSON.stringify(name)}), '');`;
function write(file: string, text: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  if (fs.existsSync(path.join(dir, file))) fs.chmodSync(path.join(dir, file), 0o644);
  fs.writeFileSync(path.join(dir, file), text, { mode });
}

// The checkout, made hostile: everything of the project that could run, runs a marker.
write('.projenrc.ts', `${mark('projenrc')}\n`);
for (const tool of ['projen', 'cdk', 'ts-node']) write(`node_modules/.bin/${tool}`, `#!/usr/bin/env node\n${mark(`bin-${tool}`)}\n`, 0o755);
write('node_modules/aws-cdk/package.json', JSON.stringify({ name: 'aws-cdk', version: project.settings.cdkCliVersion, bin: { cdk: 'bin/cdk' } }));
write('node_modules/aws-cdk/bin/cdk', `#!/usr/bin/env node\n${mark('project-aws-cdk')}\n`, 0o755);
write('node_modules/hostile-dep/package.json', JSON.stringify({ name: 'hostile-dep', version: '1.0.0', main: 'index.js' }));
write('node_modules/hostile-dep/index.js', `${mark('dependency')}\n`);
write('src/bitbucket-oidc/main.ts', `import 'hostile-dep';\n${files['src/bitbucket-oidc/main.ts']}`);
write('cdk.json', JSON.stringify({ ...files['cdk.json'], app: `node -e ${JSON.stringify(mark('cdk-json-app'))}`, plugin: ['hostile-dep'] }));
write('package-lock.json', projectLockfile(project.settings.cdkCliVersion));
// The pull request's artifact, downloaded and unpacked into the checkout.
oidcArtifact(OPTIONS, path.join(dir, 'cdk.oidc.out'));

// npm ci "installs" a CLI stand-in that records each call.
fs.writeFileSync(path.join(work, 'fake-cdk.js'), [
  '#!/usr/bin/env node',
  `require('fs').appendFileSync(${JSON.stringify(path.join(record, 'cdk.jsonl'))}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }) + '\\n');`,
].join('\n'));
fs.writeFileSync(path.join(bin, 'npm'), [
  '#!/bin/sh',
  '[ "$1" = ci ] || exit 1',
  'v="$(node -p \'require("./package.json").dependencies["aws-cdk"]\')" || exit 1',
  'mkdir -p node_modules/aws-cdk/bin',
  'printf \'{"name":"aws-cdk","version":"%s"}\' "$v" > node_modules/aws-cdk/package.json',
  `cp ${JSON.stringify(path.join(work, 'fake-cdk.js'))} node_modules/aws-cdk/bin/cdk`,
].join('\n'), { mode: 0o755 });

function runInCheckout(command: string) {
  for (const f of fs.readdirSync(markers)) fs.rmSync(path.join(markers, f));
  fs.rmSync(path.join(record, 'cdk.jsonl'), { force: true });
  const r = spawnSync('bash', ['-c', command], {
    cwd: dir,
    encoding: 'utf-8',
    timeout: 60_000,
    env: {
      PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: path.join(work, 'home'),
      MARKER_DIR: markers,
      npm_config_yes: 'false',
      npm_config_offline: 'true',
    },
  });
  const calls = fs.existsSync(path.join(record, 'cdk.jsonl'))
    ? fs.readFileSync(path.join(record, 'cdk.jsonl'), 'utf-8').trim().split('\n').map((l) => JSON.parse(l)) : [];
  return { ...r, markers: fs.readdirSync(markers).sort(), calls };
}

test('the generated script is committed beside the pre-flight and expects the project\'s OIDC stack name and CLI version', () => {
  expect(files[DeployPreflight.FILE_PATH]).toBeDefined();
  const generated = files[OidcReviewedDeploy.FILE_PATH];
  // The same CLI bytes as the deploy steps require (the integrity shipped for the default version).
  expect(project.settings.cdkCliIntegrity).toMatch(/^sha512-/);
  expect(generated).toContain('const GENERATED = {"stackNames":["bitbucket-oidc-my-app-3f0c9a42"],'
    + `"cliVersion":"${project.settings.cdkCliVersion}","cliIntegrity":"${project.settings.cdkCliIntegrity}"};`);
  expect(files['.gitattributes']).toContain(`/${OidcReviewedDeploy.FILE_PATH} linguist-generated`);
});

test('the threat is real: the command the lifecycle gave before runs the checkout\'s code', () => {
  const r = runInCheckout(`npx projen bitbucket:oidc:deploy:${ACCOUNT}`);
  expect(r.markers).toContain('bin-projen');
});

test('the documented command deploys the artifact and runs nothing of the project: no marker', () => {
  const command = OidcReviewedDeploy.command(ACCOUNT, 'cdk.oidc.out');
  expect(command).toBe(`node .projen/bitbucket-oidc-deploy-reviewed.js --account ${ACCOUNT} --assembly cdk.oidc.out`);
  const r = runInCheckout(command);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.markers).toEqual([]);
  const assembly = path.join(dir, 'cdk.oidc.out');
  expect(r.calls.map((c) => c.args)).toEqual([
    ['diff', '--app', assembly, '--build', '', `BitbucketOidc-${ACCOUNT}`],
    ['deploy', '--app', assembly, '--build', '', '--require-approval', 'broadening', `BitbucketOidc-${ACCOUNT}`],
  ]);
});
