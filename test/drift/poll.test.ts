import { DEFAULT_POLL_TIMING, duration, pollDelays, pollUntil } from '../../src/drift/poll';

test('status checks back off by half each time, up to the longest wait', () => {
  const delays = pollDelays(DEFAULT_POLL_TIMING);
  expect(Array.from({ length: 8 }, () => delays.next().value)).toEqual([2000, 3000, 4500, 6750, 10125, 15000, 15000, 15000]);
});

test('pollUntil returns the first answer, or undefined when the deadline passes first', async () => {
  let n = 0;
  const timing = { firstDelayMs: 1, maxDelayMs: 2, timeoutMs: 1000 };
  expect(await pollUntil(async () => (++n === 3 ? 'done' : undefined), timing, Date.now() + 1000)).toBe('done');
  expect(n).toBe(3);
  const start = Date.now();
  expect(await pollUntil(async () => undefined, timing, start + 50)).toBeUndefined();
  expect(Date.now() - start).toBeLessThan(1000);
});

test('durations read as people say them', () => {
  expect(duration(15 * 60_000)).toBe('15 minutes');
  expect(duration(60_000)).toBe('1 minute');
  expect(duration(90_000)).toBe('90 seconds');
  expect(duration(300)).toBe('300 ms');
});
