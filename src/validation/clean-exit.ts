import { inspect } from 'util';

/**
 * Makes an options error that nobody catches end the process with its message
 * only, exit code 1.
 *
 * Why: `.projenrc.ts` constructs the project at the top level, so the error is
 * uncaught, and Node then prints the throwing source line, wraps a stack-less
 * error in brackets and appends its properties and "Node.js vX": noise above
 * and around the one thing the user must read. An error's `stack` or
 * `util.inspect.custom` cannot change that (Node's fatal-exception printer
 * ignores both).
 *
 * How, without breaking programmatic use: the error is still thrown, so
 * try/catch, jest's `toThrow` and `Testing.synth` see it unchanged. Only for the
 * moment the throw unwinds (including an async `.projenrc` whose promise
 * rejects in the same turn) a listener waits on `uncaughtException`; it is
 * removed in the next turn of the event loop, so a caller that catches the error keeps Node's
 * default handling of anything later. A different error reaching the listener
 * in that moment is printed the way Node prints it (less the source line) and
 * also exits 1.
 */
// One listener for all errors thrown in the same turn (a test may throw many),
// so listeners never pile up.
const pending = new Set<unknown>();

function onUncaught(uncaught: unknown): void {
  process.removeListener('uncaughtException', onUncaught);
  const error = pending.has(uncaught) ? (uncaught as Error) : undefined;
  process.stderr.write(error ? `${error.message}\n` : `Uncaught ${inspect(uncaught)}\n`);
  process.exit(1);
}

export function exitCleanlyIfUncaught(error: Error): void {
  if (pending.size === 0) process.on('uncaughtException', onUncaught);
  pending.add(error);
  setImmediate(() => {
    pending.delete(error);
    if (pending.size === 0) process.removeListener('uncaughtException', onUncaught);
  }).unref();
}
