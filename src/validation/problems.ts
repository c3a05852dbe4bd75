import { CleanError } from './clean-exit';

/** One invalid option: where it is, what was given, what is expected. */
export interface Problem {
  /** Path of the option, e.g. `deployEnvironments[1].account`. */
  readonly option: string;
  /** The value as given (`undefined` when missing). */
  readonly value: unknown;
  /** What is wrong, what is expected, and where to find the right value. */
  readonly message: string;
}

/**
 * Collects every problem in the options so that one run reports them all,
 * before any file is written.
 */
export class Problems {
  public readonly errors: Problem[] = [];
  public readonly warnings: string[] = [];

  public error(option: string, value: unknown, message: string): void {
    this.errors.push({ option, value, message });
  }

  public warn(option: string, message: string): void {
    this.warnings.push(`${option}: ${message}`);
  }

  /** Throws one error listing every problem, when there is any. */
  public throwIfAny(): void {
    if (this.errors.length === 0) return;
    throw new BitbucketCdkOptionsError(this.errors);
  }
}

const WIDTH = 100;

/** Thrown when `BitbucketCdkAppOptions` are invalid; lists every problem. */
export class BitbucketCdkOptionsError extends CleanError {
  /** One entry per problem: `<option>: <value>` and the explanation. */
  public readonly problems!: string[];

  constructor(problems: Problem[]) {
    const n = problems.length;
    const lines = problems.map((p) => `  ${p.option}: ${p.value === undefined ? '(not set)' : show(p.value)}\n${wrap(p.message, '    ')}`);
    super('BitbucketCdkOptionsError', `BitbucketCdkApp: ${n} invalid option${n === 1 ? '' : 's'}; nothing was written.\n\n${lines.join('\n\n')}\n`);
    // Not enumerable: Node and jest print an error's own enumerable properties after it,
    // which would list every problem a second time.
    Object.defineProperty(this, 'problems', { value: lines, enumerable: false });
  }
}

/** Renders a value for a message: strings quoted, nothing shown as `(not set)`. */
export function show(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}

/** Word-wraps a message so it reads in an 80-100 column terminal. */
function wrap(text: string, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      out.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(indent + line);
  return out.join('\n');
}
