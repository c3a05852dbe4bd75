import { tsString } from '../core/generated-header';

/**
 * Renders plain data (strings, numbers, booleans, arrays, objects) as a
 * TypeScript literal in the style projen's eslint rules demand: single
 * quotes, one element per line, trailing commas. Object keys with an
 * `undefined` value are left out, so optional fields stay absent.
 */
export function tsLiteral(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${tsLiteral(v, inner)},\n`).join('')}${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${tsLiteral(v, inner)},\n`).join('')}${indent}}`;
  }
  throw new Error(`cannot render ${String(value)} as a TypeScript literal`);
}

function key(name: string): string {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) {
    // quote-props "consistent-as-needed" would then ask to quote every key of the object.
    throw new Error(`object key ${name} is not an identifier`);
  }
  return name;
}
