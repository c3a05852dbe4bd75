/**
 * Records the current generated shape of the reference project
 * (test/fixtures/v0/options.json) as the "previous published shape" that
 * test/team/upgrade-compat.test.ts holds every later version to.
 *
 * Run it deliberately, only when a release is meant to change deployed
 * names (with a migration path for users), or to record a new baseline
 * right after a release:
 *
 *     npx ts-node --project projenrc/tsconfig.json scripts/refresh-fixture.ts
 *
 * Never in CI: a refreshed fixture would hide exactly the change it guards.
 */
import * as fs from 'fs';
import { generatedOidcApp, removeWorkDirs } from '../test/support/generated-oidc-app';
import { CONFIG_FILE, NAMES_FILE, oidcNames, PIPELINE_FILE, referenceOptions } from '../test/team/published-shape';

if (process.env.CI) {
  console.error('refresh-fixture: refusing to run in CI (CI is set); the fixture must only change on purpose.');
  process.exit(1);
}

try {
  const app = generatedOidcApp(referenceOptions());
  fs.writeFileSync(CONFIG_FILE, app.files['src/bitbucket-oidc/config.ts']);
  fs.writeFileSync(PIPELINE_FILE, app.files['bitbucket-pipelines.yml']);
  fs.writeFileSync(NAMES_FILE, `${JSON.stringify(oidcNames(app), null, 2)}\n`);
  console.log(`refresh-fixture: wrote ${[CONFIG_FILE, PIPELINE_FILE, NAMES_FILE].join(', ')}; review the diff before committing.`);
} finally {
  removeWorkDirs();
}
