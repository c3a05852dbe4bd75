import { Problems } from './problems';

/** Reads top-level options by name and hands them to a parser under their path. */

export type Parser<T> = (option: string, value: unknown) => T | undefined;

export function required<T>(p: Problems, o: Record<string, unknown>, key: string, hint: string, parser: Parser<T>): T | undefined {
  if (o[key] === undefined || o[key] === null) {
    p.error(key, undefined, `Required. ${hint}`);
    return undefined;
  }
  return parser(key, o[key]);
}

export function optional<T>(o: Record<string, unknown>, key: string, parser: Parser<T>): T | undefined {
  return o[key] === undefined ? undefined : parser(key, o[key]);
}

/** A list option: each entry parsed under its own path, e.g. `oidcThumbprints[2]`. */
export function parseList<T>(p: Problems, key: string, value: unknown, parser: Parser<T>): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    p.error(key, value, 'Expected a list, e.g. ["..."].');
    return [];
  }
  return value.map((v, i) => parser(`${key}[${i}]`, v)).filter((v): v is T => v !== undefined);
}
