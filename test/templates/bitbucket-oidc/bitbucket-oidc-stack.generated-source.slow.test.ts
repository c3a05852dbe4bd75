import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { WORK_ROOT } from '../../support/generated-oidc-app';
import { synth, twoEnvironmentOptions } from '../../util';

const REPO = path.join(__dirname, '..', '..', '..');
let projectDir: string;

/**
 * The generated project's own tsconfig.json, .eslintrc.json and package.json
 * with its `src/bitbucket-oidc/`, in a folder under test/.work whose
 * node_modules is this repository's: the checks a user's build runs.
 */
beforeAll(() => {
  const files = synth(twoEnvironmentOptions({ deployRolePermissionsBoundary: 'deploy-boundary', deployRoleManagedPolicies: ['ReadOnlyAccess'] }));
  fs.mkdirSync(WORK_ROOT, { recursive: true });
  projectDir = fs.mkdtempSync(path.join(WORK_ROOT, 'project-'));
  for (const file of ['tsconfig.json', '.eslintrc.json', 'package.json', ...Object.keys(files).filter((f) => f.startsWith('src/bitbucket-oidc/'))]) {
    const target = path.join(projectDir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const content = files[file];
    fs.writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(projectDir, 'node_modules'), 'dir');
});

afterAll(() => fs.rmSync(projectDir, { recursive: true, force: true }));

function run(script: string, args: string[], env: Record<string, string> = {}): string {
  try {
    return execFileSync(process.execPath, [path.join(REPO, 'node_modules', script), ...args], {
      cwd: projectDir, encoding: 'utf-8', env: { ...process.env, ...env }, stdio: 'pipe',
    });
  } catch (e: any) {
    throw new Error(`${script} failed:\n${e.stdout}\n${e.stderr}`);
  }
}

test('type-checks with the project\'s tsconfig.json', () => {
  expect(() => run('typescript/bin/tsc', ['--noEmit', '-p', 'tsconfig.json'])).not.toThrow();
});

test('passes the project\'s eslint rules without fixes or warnings', () => {
  // No --fix: the files are read-only in a project, so anything eslint would fix fails the user's build.
  expect(() => run('eslint/bin/eslint.js', ['--ext', '.ts', '--max-warnings', '0', '--resolve-plugins-relative-to', REPO, 'src/bitbucket-oidc'], {
    ESLINT_USE_FLAT_CONFIG: 'false',
  })).not.toThrow();
});
