import { isString, trimmed, WHERE } from './input';
import { Problems, show } from './problems';

/**
 * A 12-digit account ID. JSON and `.projenrc` numbers lose leading zeros, and
 * an 11-digit number may as well be a typo: only a 12-digit number is taken
 * (as its digits); a shorter one is refused with the padded value to write if
 * zeros were lost, never padded into an account nobody typed. The console's
 * "1234-5678-9012" is accepted too.
 */
export function accountId(option: string, value: unknown, problems: Problems): string | undefined {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1e11 && value < 1e12) return String(value);
    if (Number.isInteger(value) && value > 0 && value < 1e11) {
      problems.error(option, value, `An AWS account ID has 12 digits; the number ${value} has ${String(value).length}. Write it as a string: "${String(value).padStart(12, '0')}" if it lost leading zeros (${WHERE.account}).`);
      return undefined;
    }
    problems.error(option, value, `Not an AWS account ID: expected 12 digits, written as a string, e.g. "012345678901" (${WHERE.account}).`);
    return undefined;
  }
  if (!isString(option, value, problems, 'a 12-digit AWS account ID')) return undefined;
  const v = trimmed(option, value, problems);
  if (/^\d{4}-\d{4}-\d{4}$/.test(v)) {
    const joined = v.replace(/-/g, '');
    problems.warn(option, `removed the hyphens the AWS console shows in ${show(value)}; using "${joined}".`);
    return joined;
  }
  if (/^arn:/.test(v)) {
    const inArn = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(v);
    problems.error(option, value, `An ARN, not an account ID${inArn ? `: write "${inArn[1]}"` : ''}. Expected 12 digits (${WHERE.account}).`);
    return undefined;
  }
  if (!/^\d+$/.test(v)) {
    problems.error(option, value, `Not an AWS account ID: expected 12 digits and nothing else (${WHERE.account}).`);
    return undefined;
  }
  if (v.length !== 12) {
    const lost = v.length < 12 ? ` If it lost leading zeros, write "${v.padStart(12, '0')}".` : '';
    problems.error(option, value, `An AWS account ID has 12 digits; this has ${v.length}.${lost} (${WHERE.account})`);
    return undefined;
  }
  return v;
}

/**
 * Region codes by shape, not by a list, so regions AWS opens later work:
 * `<area>-<direction>-<n>`, with the partitions Bitbucket Cloud can reach.
 */
const AREAS = '(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)';
const DIRECTIONS = '(?:north|south|east|west|central|northeast|northwest|southeast|southwest)';
const REGION = new RegExp(`^${AREAS}-${DIRECTIONS}-\\d{1,2}$`);

export function region(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'an AWS region code')) return undefined;
  const v = trimmed(option, value, problems);
  const lower = v.toLowerCase();
  const expected = 'Expected a region code such as "eu-west-1", "us-east-1", "cn-north-1" or "us-gov-west-1"';
  if (/^(?:us|eu)-iso[a-z]?-|^eusc-/.test(lower)) {
    problems.error(option, value, 'A region of a partition this package does not support (aws-iso*, aws-eusc): Bitbucket Cloud cannot reach it. Supported: aws, aws-cn, aws-us-gov.');
    return undefined;
  }
  const az = new RegExp(`^(${AREAS}-${DIRECTIONS}-\\d{1,2})[a-z]$`).exec(lower);
  if (az) {
    problems.error(option, value, `An availability zone, not a region: write "${az[1]}".`);
    return undefined;
  }
  if (!REGION.test(lower)) {
    problems.error(option, value, `Not an AWS region code. ${expected} (the code in the console's region menu).`);
    return undefined;
  }
  if (lower !== v) problems.warn(option, `region codes are lower case; using "${lower}".`);
  return lower;
}
