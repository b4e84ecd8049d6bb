import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '@/lib/auth/sign-in-rate-limit';

describe('sign-in rate limiter', () => {
  it('allows five failures a minute, refuses the sixth attempt and says how long to wait', () => {
    const limiter = createRateLimiter({ limit: 5, windowMs: 60_000 });
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) {
      expect(limiter.check('email:a@x', t0 + i * 1000).allowed).toBe(true);
      limiter.recordFailure('email:a@x', t0 + i * 1000);
    }
    const refused = limiter.check('email:a@x', t0 + 10_000);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 50 });
  });

  it('allows attempts again once the oldest failures leave the window', () => {
    const limiter = createRateLimiter({ limit: 5, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) limiter.recordFailure('k', i * 1000);
    expect(limiter.check('k', 59_000).allowed).toBe(false);
    expect(limiter.check('k', 60_001).allowed).toBe(true);
  });

  it('counts keys separately and forgets a key on reset', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000 });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('a', 1);
    expect(limiter.check('a', 2).allowed).toBe(false);
    expect(limiter.check('b', 2).allowed).toBe(true);
    limiter.reset('a');
    expect(limiter.check('a', 3).allowed).toBe(true);
  });

  it('keeps memory bounded under a spray of distinct keys', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 3 });
    for (const k of ['a', 'b', 'c', 'd']) limiter.recordFailure(k, 0);
    // 'a' was evicted first, so it is allowed again; 'd' is counted.
    expect(limiter.check('a', 1).allowed).toBe(true);
    expect(limiter.check('d', 1).allowed).toBe(false);
  });
});
