/**
 * The drift tool reads which resource types the read-only role may read from
 * the very module the role is built from (shipped in templates/), so the
 * two cannot disagree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DRIFT_READ_PERMISSIONS_FILE, loadDriftReadCoverage } from '../../src/drift/read-permissions';
import { DRIFT_READ_PERMISSIONS, NOT_A_RESOURCE, NOT_DRIFT_CHECKED } from '../../templates/bitbucket-oidc/drift-read-permissions';

test('the shipped module\'s data, as the role\'s source compiles it', () => {
  const coverage = loadDriftReadCoverage();
  expect([...coverage.checked].sort()).toEqual(Object.keys(DRIFT_READ_PERMISSIONS).sort());
  expect(coverage.notChecked).toEqual(NOT_DRIFT_CHECKED);
  expect([...coverage.notAResource]).toEqual([...NOT_A_RESOURCE]);
  expect(coverage.checked.has('AWS::SQS::Queue')).toBe(true);
  expect(coverage.notChecked['AWS::Lambda::Function']).toMatch(/environment variables/);
});

test('a module without its data blocks is an error naming the file and what to do', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-read-'));
  try {
    const file = path.join(dir, 'drift-read-permissions.ts');
    fs.writeFileSync(file, fs.readFileSync(DRIFT_READ_PERMISSIONS_FILE, 'utf-8').replace('JSON BEGIN NOT_DRIFT_CHECKED', 'JSON BEGIN X'));
    expect(() => loadDriftReadCoverage(file)).toThrow(`${file} has no data block NOT_DRIFT_CHECKED: reinstall this package`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
