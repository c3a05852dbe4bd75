/** A POSIX shell word that expands to exactly `value`. */
export function shellQuote(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, '\'"\'"\'')}'`;
}
