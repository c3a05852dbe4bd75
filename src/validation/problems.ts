/**
 * Collects every problem in the options so that one run reports them all,
 * before any file is written.
 */
export class Problems {
  public readonly errors: string[] = [];
  public readonly warnings: string[] = [];

  /**
   * @param option path of the option, e.g. `deployEnvironments[1].account`
   * @param value the value as given
   * @param message what is wrong and how to fix it
   */
  public error(option: string, value: unknown, message: string): void {
    this.errors.push(`${option}: ${message} (got ${show(value)})`);
  }

  public warn(option: string, message: string): void {
    this.warnings.push(`${option}: ${message}`);
  }

  /** Throws one error listing every problem, when there is any. */
  public throwIfAny(): void {
    if (this.errors.length > 0) {
      throw new BitbucketCdkOptionsError(this.errors);
    }
  }
}

/** Thrown when `BitbucketCdkAppOptions` are invalid; lists every problem. */
export class BitbucketCdkOptionsError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      [
        `Invalid BitbucketCdkApp options in .projenrc.ts (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was written:`,
        ...problems.map((p) => `  - ${p}`),
      ].join('\n'),
    );
    this.name = 'BitbucketCdkOptionsError';
    // The message says all there is; a stack trace of projen's internals only hides it.
    this.stack = `${this.name}: ${this.message}`;
  }
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
