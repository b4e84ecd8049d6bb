/**
 * Jittered exponential back-off ("full jitter" between half and all of the exponential delay):
 * after an API-server outage, hundreds of browsers and the server's watches must not all retry
 * in the same millisecond.
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(options: {
  /** 0 for the first retry. */
  attempt: number;
  baseMs?: number;
  maxMs?: number;
  /** A number in [0, 1); injectable for tests. */
  random?: number;
}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const exp = Math.min(max, base * 2 ** Math.max(0, Math.min(options.attempt, 30)));
  const r = options.random ?? Math.random();
  return Math.round(exp / 2 + (exp / 2) * r);
}
