/** globalTeardown of the slow jest project: removes the folder pack-once.ts created (never a tarball the caller gave). */
import * as fs from 'fs';
import { PACKED_HERE_ENV } from './pack-once';
import { PACKAGE_TARBALL_ENV } from '../../scripts/project-factory';

export default function removePackedPackage(): void {
  const dir = process.env[PACKED_HERE_ENV];
  if (!dir) return;
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env[PACKED_HERE_ENV];
  delete process.env[PACKAGE_TARBALL_ENV];
}
