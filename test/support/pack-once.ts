/**
 * globalSetup of the slow jest project: compiles and packs the package once
 * per run into a fresh temporary folder and hands the tarball to every slow
 * suite in PACKAGE_TARBALL_ENV (jest starts its workers after this, so they
 * inherit the variable). A tarball given by the caller is reused as it is.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PACKAGE_TARBALL_ENV, packPackage } from '../../scripts/project-factory';

export default function packOnce(): void {
  const given = process.env[PACKAGE_TARBALL_ENV];
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`${PACKAGE_TARBALL_ENV}=${given}: no such file`);
    return;
  }
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbc-package-'));
  process.env[PACKAGE_TARBALL_ENV] = packPackage(dir);
  process.env[PACKED_HERE_ENV] = dir;
  console.log(`\npacked ${process.env[PACKAGE_TARBALL_ENV]} once for the slow suites in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Set when packOnce created the folder, so that the teardown removes only what it made. */
export const PACKED_HERE_ENV = 'PBC_PACKED_HERE';
