/**
 * Limits failed sign-in attempts per email and per client IP, in this server process.
 *
 * Why in-process and not in the database: it needs no table, costs nothing per attempt, and the
 * console runs as one or a few replicas; with N replicas behind a load balancer an attacker gets
 * at most N times the budget, still a few guesses a minute. Why failures only: people behind one
 * office NAT (and the browser tests) sign in many times a minute, successfully.
 *
 * The IP comes from X-Forwarded-For, which `next start` fills from the socket only when the
 * client did not send one; without a trusted proxy in front, the per-IP limit can be evaded by
 * spoofing that header, so the per-email limit is the one that protects an account.
 */

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type RateLimiter = {
  /** Whether another attempt for `key` is allowed now. */
  check(key: string, now?: number): RateLimitDecision;
  /** Counts a failed attempt for `key`. */
  recordFailure(key: string, now?: number): void;
  /** Forgets `key` (after a successful sign-in for an email). */
  reset(key: string): void;
};

/** A sliding-window limiter: at most `limit` failures per `windowMs` per key. */
export function createRateLimiter(options: { limit: number; windowMs: number; maxKeys?: number }): RateLimiter {
  const failures = new Map<string, number[]>();
  const maxKeys = options.maxKeys ?? 10_000;

  const recent = (key: string, now: number): number[] => {
    const list = (failures.get(key) ?? []).filter((t) => t > now - options.windowMs);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };

  return {
    check(key, now = Date.now()) {
      const list = recent(key, now);
      if (list.length < options.limit) return { allowed: true };
      const oldest = list[list.length - options.limit] ?? now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + options.windowMs - now) / 1000)) };
    },
    recordFailure(key, now = Date.now()) {
      // Bound memory under a spray of random emails: drop the oldest keys first.
      if (!failures.has(key) && failures.size >= maxKeys) {
        const first = failures.keys().next();
        if (!first.done) failures.delete(first.value);
      }
      const list = recent(key, now);
      list.push(now);
      failures.set(key, list);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}

/** Failed attempts allowed per email per minute. */
export const EMAIL_LIMIT = 5;
/** Failed attempts allowed per client IP per minute; higher, since many people share an IP. */
export const IP_LIMIT = 20;

type Limiters = { email: RateLimiter; ip: RateLimiter };
const globalForLimiters = globalThis as unknown as { __signInLimiters?: Limiters };

/** The process-wide limiters (kept on globalThis so every bundle sees the same counts). */
export function signInLimiters(): Limiters {
  globalForLimiters.__signInLimiters ??= {
    email: createRateLimiter({ limit: EMAIL_LIMIT, windowMs: 60_000 }),
    ip: createRateLimiter({ limit: IP_LIMIT, windowMs: 60_000 }),
  };
  return globalForLimiters.__signInLimiters;
}
