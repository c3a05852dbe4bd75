/** A POSIX shell word that expands to exactly `value` (`''` for the empty string). */
export function shellQuote(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, '\'"\'"\'')}'`;
}

/** A command line that runs exactly these arguments: each quoted on its own, joined by spaces. */
export function shellCommand(args: string[]): string {
  return args.map(shellQuote).join(' ');
}
