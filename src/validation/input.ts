import { Problems, show } from './problems';

/** Where users find the values this package asks for. */
export const WHERE = {
  oidc: 'Repository settings → Pipelines → OpenID Connect',
  deployments: 'Repository settings → Deployments',
  account: 'AWS console → account menu (top right) → Account ID',
} as const;

/** Records an error and returns false unless the value is a string. */
export function isString(option: string, value: unknown, problems: Problems, what: string): value is string {
  if (typeof value === 'string') return true;
  problems.error(option, value, `Expected ${what} as a string.`);
  return false;
}

/** Surrounding whitespace is never meaningful: drop it, and say so. */
export function trimmed(option: string, value: string, problems: Problems): string {
  const t = value.trim();
  if (t !== value) problems.warn(option, `removed surrounding whitespace from ${show(value)}.`);
  return t;
}
