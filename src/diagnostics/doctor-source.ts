import * as fs from 'fs';
import * as path from 'path';
import type { DoctorExpectations } from './doctor-expectations';
import { generatedHeader } from '../core/generated-header';

/**
 * `templates/diagnostics/bitbucket-oidc-doctor.js` of this package: the
 * doctor's logic as plain JavaScript, shipped like the OIDC templates. The
 * component runs from `lib/diagnostics/` (or `src/diagnostics/` under
 * ts-jest), two levels below the package root.
 */
export const DOCTOR_TEMPLATE = path.join(__dirname, '..', '..', 'templates', 'diagnostics', 'bitbucket-oidc-doctor.js');

/** The template's placeholder line, replaced by the project's values. */
const EXPECTED_LINE = /^const EXPECTED = .*;$/;

/**
 * Lines of the generated doctor: the template verbatim, except its
 * `const EXPECTED = ...` line, which receives the project's values as JSON
 * (a valid JavaScript literal, readable by a reviewer).
 */
export function doctorSourceLines(expected: DoctorExpectations): string[] {
  const template = fs.readFileSync(DOCTOR_TEMPLATE, 'utf-8').replace(/\r\n/g, '\n').replace(/\n*$/, '\n').split('\n');
  const at = template.map((line, i) => (EXPECTED_LINE.test(line) ? i : -1)).filter((i) => i >= 0);
  if (at.length !== 1) {
    throw new Error(`${DOCTOR_TEMPLATE}: expected exactly one "const EXPECTED = ...;" line, found ${at.length}`);
  }
  const json = JSON.stringify(expected, undefined, 2).split('\n');
  // Cast like the placeholder, so the generated file type-checks as the template does (`// @ts-check`).
  const value = [`const EXPECTED = /** @type {Expected} */ (${json[0]}`, ...json.slice(1, -1), `${json[json.length - 1]});`];
  const header = generatedHeader('Bitbucket OIDC doctor: `npx projen bitbucket:oidc:doctor <env>`, or `node <this file> <env>` in a pipeline step.');
  return [...header, ...template.slice(0, at[0]), ...value, ...template.slice(at[0] + 1)];
}
