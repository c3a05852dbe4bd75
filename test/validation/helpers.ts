import { BitbucketCdkApp, BitbucketCdkAppOptions } from '../../src';
import { BitbucketCdkOptionsError } from '../../src/validation/problems';
import { resolveSettings } from '../../src/validation/resolve-settings';
import { tempDir } from '../util';

/** The error constructing a project with these options throws (fails the test if none). */
export function optionsError(options: BitbucketCdkAppOptions): BitbucketCdkOptionsError {
  try {
    new BitbucketCdkApp({ outdir: tempDir(), ...options });
  } catch (e) {
    expect(e).toBeInstanceOf(BitbucketCdkOptionsError);
    return e as BitbucketCdkOptionsError;
  }
  throw new Error('expected BitbucketCdkApp to reject the options');
}

/** The one reported problem about `option`: its header line and explanation. */
export function problemAbout(error: BitbucketCdkOptionsError, option: string): string {
  const found = error.problems.filter((p) => p.startsWith(`  ${option}: `));
  expect(found).toHaveLength(1);
  return found[0];
}

/** Warnings of valid options, without constructing a project. */
export function warningsOf(options: BitbucketCdkAppOptions): string[] {
  return resolveSettings(options).warnings;
}
