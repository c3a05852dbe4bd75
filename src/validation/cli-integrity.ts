import { optional } from './option-readers';
import { Problems } from './problems';
import * as parse from './values';
import { DEFAULT_CDK_CLI_INTEGRITY, DEFAULT_CDK_CLI_VERSION } from '../versions';

/**
 * The integrity the deploy steps require of the locked CDK CLI: the one this
 * package ships for its default `cdkCliVersion`, or `cdkCliIntegrity` for an
 * overridden version; undefined (with a warning) for an overridden version
 * without one, where the steps verify only the lockfile's own integrity.
 */
export function resolveCliIntegrity(p: Problems, o: Record<string, unknown>, cdkCliVersion: string): string | undefined {
  const given = optional(o, 'cdkCliIntegrity', (opt, v) => parse.sha512Integrity(opt, v, p));
  if (cdkCliVersion === DEFAULT_CDK_CLI_VERSION) {
    if (given !== undefined && given !== DEFAULT_CDK_CLI_INTEGRITY) {
      p.error('cdkCliIntegrity', o.cdkCliIntegrity, `Differs from the integrity this package ships for its default cdkCliVersion ${DEFAULT_CDK_CLI_VERSION} (${DEFAULT_CDK_CLI_INTEGRITY}). cdkCliIntegrity is for an overridden cdkCliVersion: set cdkCliVersion to the version it is the integrity of, or remove cdkCliIntegrity.`);
    }
    return DEFAULT_CDK_CLI_INTEGRITY;
  }
  if (given === undefined && o.cdkCliIntegrity === undefined) {
    p.warn('cdkCliVersion', `${cdkCliVersion} is not this package's default (${DEFAULT_CDK_CLI_VERSION}) and cdkCliIntegrity is not set: the deploy steps verify the CLI only against the integrity package-lock.json states. Set cdkCliIntegrity to the output of npm view aws-cdk@${cdkCliVersion} dist.integrity.`);
  }
  return given;
}
