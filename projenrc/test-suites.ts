import type { cdk } from 'projen';

/**
 * Two jest projects, so that the test a contributor runs after every change
 * stays fast and CI still runs everything:
 *
 * - `fast`: unit and component tests (`npx projen test`, with eslint).
 * - `slow`: suites that pack the package, create projects with `projen new
 *   --from`, install dependencies or compile a generated project
 *   (`npx projen test:slow`). The package is packed once per run, by the
 *   project's globalSetup, and handed to the suites in PACKAGE_TARBALL_ENV.
 *
 * `npx projen test:all` (what `scripts/test.sh` and CI run) runs both in one
 * jest run, so jest prints one summary for every suite.
 */

/** Folders of scenario suites that are slow as a whole; any other slow file is named `*.slow.test.ts`. */
const SLOW_FOLDERS = ['e2e', 'rehearsal'];
const IGNORED = ['/node_modules/', '/demo/', '/test/.work/'];

function project(displayName: string, settings: Record<string, unknown>): Record<string, unknown> {
  return {
    displayName,
    testEnvironment: 'node',
    clearMocks: true,
    testTimeout: 60_000,
    modulePathIgnorePatterns: ['/demo/'],
    coveragePathIgnorePatterns: IGNORED,
    transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
    setupFiles: ['<rootDir>/test/support/quiet-node-version-warning.ts'],
    ...settings,
  };
}

/** `jestOptions.jestConfig` of the repository. */
export const JEST_CONFIG = {
  // jest's default (cores - 1) is one worker on a 2-core machine, and its main process mostly waits.
  maxWorkers: '100%',
  testTimeout: 60_000,
  testPathIgnorePatterns: IGNORED,
  watchPathIgnorePatterns: IGNORED,
  modulePathIgnorePatterns: ['/demo/'],
  projects: [
    project('fast', {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [...IGNORED, ...SLOW_FOLDERS.map((f) => `<rootDir>/test/${f}/`), '\\.slow\\.test\\.ts$'],
    }),
    project('slow', {
      testMatch: [...SLOW_FOLDERS.map((f) => `<rootDir>/test/${f}/**/*.test.ts`), '<rootDir>/test/**/*.slow.test.ts'],
      testPathIgnorePatterns: IGNORED,
      globalSetup: '<rootDir>/test/support/pack-once.ts',
      globalTeardown: '<rootDir>/test/support/pack-once-teardown.ts',
    }),
  ],
};

/**
 * `test` (fast suites and eslint, no coverage), `test:slow` and `test:all`
 * (both projects in one jest run, with coverage, then eslint).
 */
export function configureTestTasks(repo: cdk.JsiiProject): void {
  const test = repo.tasks.tryFind('test')!;
  const eslint = repo.tasks.tryFind('eslint')!;
  test.reset();
  test.description = 'Fast tests (unit and component) and eslint, without coverage; the slow suites are test:slow, everything is test:all';
  // --selectProjects first: it takes every value up to the next option, so paths passed on must come after another option.
  test.exec('jest --selectProjects fast --passWithNoTests --ci --coverage=false', { receiveArgs: true });
  test.spawn(eslint);

  repo.addTask('test:slow', {
    description: 'Slow suites: end-to-end `projen new --from` of the packed package (packed once per run), the pipeline rehearsal, generated-project compilation',
    steps: [{ exec: 'jest --selectProjects slow --passWithNoTests --ci --coverage=false', receiveArgs: true }],
  });

  repo.addTask('loop-budget', {
    description: 'Times the fast loop (npx projen test) against its 150 s budget and lists the ten slowest suites; --slow adds the slow suites',
    steps: [{ exec: 'bash scripts/loop-budget.sh', receiveArgs: true }],
  });

  repo.addTask('test:all', {
    description: 'Every suite (fast and slow) in one jest run with coverage, then eslint; what scripts/test.sh and CI run',
    steps: [
      { exec: 'jest --passWithNoTests --ci', receiveArgs: true },
      { spawn: eslint.name },
    ],
  });
}
