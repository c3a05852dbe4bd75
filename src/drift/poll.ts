/**
 * How long to wait for CloudFormation's drift detection. A detection
 * usually takes seconds to a few minutes (CloudFormation reads every
 * resource); the pipeline step's `max-time` stays the outer limit.
 */
export interface PollTiming {
  /** Wait before the first status check, in ms. */
  readonly firstDelayMs: number;
  /** Longest wait between two checks, in ms (each wait is 1.5 times the previous one). */
  readonly maxDelayMs: number;
  /** Give up after this long, in ms, counted from the start of the run. */
  readonly timeoutMs: number;
}

export const DEFAULT_POLL_TIMING: PollTiming = {
  firstDelayMs: 2_000,
  maxDelayMs: 15_000,
  timeoutMs: 15 * 60_000,
};

/** The delays between checks: first, then 1.5 times longer each time, capped. */
export function* pollDelays(timing: PollTiming): Generator<number> {
  let delay = timing.firstDelayMs;
  for (;;) {
    yield delay;
    delay = Math.min(Math.ceil(delay * 1.5), timing.maxDelayMs);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `check` after each delay until it returns a value other than
 * undefined; undefined when `deadline` (epoch ms) passes first.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, timing: PollTiming, deadline: number): Promise<T | undefined> {
  for (const delay of pollDelays(timing)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return undefined;
    await sleep(Math.min(delay, remaining));
    const result = await check();
    if (result !== undefined) return result;
  }
  return undefined;
}

/** `15 minutes`, `40 seconds`, `300 ms`: for messages. */
export function duration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  if (ms >= 1_000) return `${Math.round(ms / 1_000)} seconds`;
  return `${ms} ms`;
}
