import { isString, trimmed } from './input';
import { Problems } from './problems';

/** Parsers for IAM and CDK bootstrap values; same contract as the others. */

const IAM_NAME_CHARS = 'letters, digits and + = , . @ _ -';

export function roleName(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'an IAM role name')) return undefined;
  const v = trimmed(option, value, problems);
  if (v.startsWith('arn:')) {
    problems.error(option, value, `A role ARN, not a role name: write "${v.split('/').pop()}".`);
    return undefined;
  }
  if (!/^[\w+=,.@-]{1,64}$/.test(v)) {
    const why = v.length > 64 ? `is ${v.length} characters long` : v.length === 0 ? 'is empty' : 'has characters IAM does not allow';
    problems.error(option, value, `Not an IAM role name: it ${why}. IAM allows 1 to 64 ${IAM_NAME_CHARS}.`);
    return undefined;
  }
  return v;
}

export function sessionHours(option: string, value: unknown, problems: Problems): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 12) {
    const seconds = typeof value === 'number' && value >= 3600 && value <= 43200 && value % 3600 === 0 ? ` This is in hours: write ${value / 3600}.` : '';
    problems.error(option, value, `IAM allows a maximum session duration of 1 to 12 whole hours.${seconds}`);
    return undefined;
  }
  return value;
}

/**
 * The CDK bootstrap template allows `[A-Za-z0-9_-]{1,10}` (CloudFormation
 * parameter `Qualifier`), and the qualifier is part of the role names the
 * deploy roles may assume. Upper case and "_" pass that rule but break the
 * default bucket and ECR repository names, so they only warn.
 */
export function bootstrapQualifier(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a CDK bootstrap qualifier')) return undefined;
  const v = trimmed(option, value, problems);
  if (!/^[A-Za-z0-9_-]{1,10}$/.test(v)) {
    problems.error(option, value, 'The CDK accepts a qualifier of 1 to 10 letters, digits, "_" or "-". It is the --qualifier given to `cdk bootstrap` (default "hnb659fds"; see the CDKToolkit stack\'s Qualifier parameter).');
    return undefined;
  }
  if (/[A-Z_]/.test(v)) {
    problems.warn(option, `"${v}" has upper case or "_": the default bootstrap bucket (cdk-${v}-assets-...) cannot be created with it; fine only if the account was bootstrapped with a custom bucket name.`);
  }
  return v;
}

export type PolicyKind = 'aws' | 'customer';

/**
 * A managed policy name, optionally with its path (`service-role/X`).
 * `aws`: AWS managed policies; `customer`: a customer managed policy in each
 * target account. An ARN is explained with the name to write instead.
 */
export function managedPolicyName(option: string, value: unknown, problems: Problems, kind: PolicyKind): string | undefined {
  if (!isString(option, value, problems, 'a managed policy name')) return undefined;
  const v = trimmed(option, value, problems);
  const arn = /^arn:aws[a-z-]*:iam::([^:]*):policy\/(.+)$/.exec(v);
  if (arn) {
    const isAws = arn[1] === 'aws';
    const name = isAws ? arn[2] : arn[2].split('/').pop();
    let fix: string;
    if (kind === 'aws' && !isAws) {
      fix = `This option takes AWS managed policies only; "${name}" is customer managed: use deployRolePermissionsBoundary or attach it with an escape hatch.`;
    } else if (kind === 'customer' && isAws) {
      fix = `This option takes the name of a customer managed policy that exists in every target account; "${name}" is AWS managed.`;
    } else {
      fix = `Write "${name}".`;
    }
    problems.error(option, value, `A policy ARN, not a policy name. ${fix}`);
    return undefined;
  }
  if (!/^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/.test(v)) {
    problems.error(option, value, `Not a managed policy name: IAM allows 1 to 128 ${IAM_NAME_CHARS}, e.g. "ReadOnlyAccess".`);
    return undefined;
  }
  return v;
}

export function thumbprint(option: string, value: unknown, problems: Problems): string | undefined {
  if (!isString(option, value, problems, 'a certificate thumbprint')) return undefined;
  const v = trimmed(option, value, problems).replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(v)) {
    problems.error(option, value, 'Not a thumbprint: expected the 40-hex-digit SHA-1 fingerprint of a certificate.');
    return undefined;
  }
  return v;
}
