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
export function exitCleanlyIfUncaught(error: Error): void {
  const listener = (uncaught: unknown): void => {
    process.removeListener('uncaughtException', listener);
    process.stderr.write(uncaught === error ? `${error.message}\n` : `Uncaught ${inspect(uncaught)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', listener);
  setImmediate(() => process.removeListener('uncaughtException', listener)).unref();
}
