import { inspect } from 'util';

/**
 * An error whose message says all there is (bad options, a pipeline that
 * breaks Bitbucket's rules): wherever it ends up printed, the user sees the
 * message and nothing else.
 *
 * - `projen new` runs the project in a `vm` context, which prepends the
 *   throwing source line to `error.stack` (`problems.js:25 throw error; ^`),
 *   and yargs prints the error with `util.inspect`, which wraps a frame-less
 *   stack in brackets and appends enumerable properties. Here `stack` is the
 *   message and ignores writes, and `util.inspect` shows the message.
 * - `.projenrc.ts` constructs the project at the top level, so the error is
 *   uncaught, and Node's fatal-exception printer adds the source line, the
 *   brackets and "Node.js vX" whatever `stack` or `util.inspect.custom` say
 *   (checked with Node 20). For that case, see `exitCleanlyIfUncaught`.
 *
 * Programmatic use is unchanged: it is a thrown `Error`, so try/catch, jest's
 * `toThrow` and `Testing.synth` see it as before.
 */
export class CleanError extends Error {
  constructor(name: string, message: string) {
    super(message);
    // Not enumerable: Node and jest print an error's own enumerable properties after it.
    Object.defineProperty(this, 'name', { value: name, enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, 'stack', { get: () => this.message, set: () => undefined, enumerable: false, configurable: true });
    exitCleanlyIfUncaught(this);
  }

  /** What `console.error(error)` and yargs print. */
  public [inspect.custom](): string {
    return this.message;
  }
}

/*
 * When a CleanError nobody catches would reach Node's fatal-exception
 * printer, print its message instead and end with exit code 1.
 *
 * A listener on `uncaughtException` exists only while such an error unwinds
 * (until the next turn of the event loop; an async `.projenrc` whose promise
 * rejects in the same turn is covered). It never takes over a host:
 * - when the host has its own `uncaughtException` listener (jest, a server,
 *   a tool), it does nothing and leaves the error to the host;
 * - otherwise Node would print the error and end the process with code 1.
 *   For our error it prints the message and sets `process.exitCode = 1`
 *   (nothing else is pending after a failed `.projenrc`, so the process ends
 *   with code 1 without `process.exit`). For any other error thrown in that
 *   moment it does what Node does, less the source line: print the error and
 *   exit 1, since carrying on after an unknown uncaught error is unsafe.
 */
// One listener for all errors thrown in the same turn (a test may throw many),
// so listeners never pile up.
const pending = new Set<unknown>();

function onUncaught(uncaught: unknown): void {
  process.removeListener('uncaughtException', onUncaught);
  const ours = pending.has(uncaught);
  pending.clear();
  if (process.listenerCount('uncaughtException') > 0) return;
  if (ours) {
    process.stderr.write(`${(uncaught as Error).message.replace(/\n*$/, '')}\n`);
    process.exitCode = 1;
    return;
  }
  process.stderr.write(`Uncaught ${inspect(uncaught)}\n`);
  process.exit(1);
}

/** Registers `error` for clean printing should nobody catch it (see above). */
export function exitCleanlyIfUncaught(error: Error): void {
  if (pending.size === 0) process.on('uncaughtException', onUncaught);
  pending.add(error);
  setImmediate(() => {
    pending.delete(error);
    if (pending.size === 0) process.removeListener('uncaughtException', onUncaught);
  }).unref();
}
