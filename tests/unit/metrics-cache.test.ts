import { beforeEach, describe, expect, it } from 'vitest';
import { cachedQuery, metricsCacheStats, resetMetricsCacheForTests } from '@/lib/metrics/query-cache';

describe('the server-side metrics cache', () => {
  beforeEach(() => resetMetricsCacheForTests());

  it('a hundred concurrent viewers of one panel cost one query', async () => {
    let runs = 0;
    let release!: (v: number) => void;
    const gate = new Promise<number>((r) => (release = r));
    const run = () => {
      runs += 1;
      return gate;
    };
    const pending = Array.from({ length: 100 }, () => cachedQuery({ key: 'errorRate|t1', ttlMs: 15_000, run }));
    release(12.5);
    expect(await Promise.all(pending)).toEqual(Array(100).fill(12.5));
    expect(await cachedQuery({ key: 'errorRate|t1', ttlMs: 15_000, run })).toBe(12.5);
    expect(runs).toBe(1);
    expect(metricsCacheStats()).toEqual({ executed: 1, coalesced: 99, hits: 1 });
  });

  it('a new interval (another key) or an expired entry runs the query again', async () => {
    let runs = 0;
    const run = async () => ++runs;
    await cachedQuery({ key: 'k1', ttlMs: 1000, run });
    await cachedQuery({ key: 'k2', ttlMs: 1000, run });
    expect(runs).toBe(2);
    await cachedQuery({ key: 'k1', ttlMs: 1000, run, nowMs: Date.now() + 5_000 });
    expect(runs).toBe(3);
  });

  it('a failure is not cached: the next viewer tries again', async () => {
    let runs = 0;
    const failing = async () => {
      runs += 1;
      throw new Error('boom');
    };
    await expect(cachedQuery({ key: 'k', ttlMs: 60_000, run: failing })).rejects.toThrow('boom');
    await expect(cachedQuery({ key: 'k', ttlMs: 60_000, run: failing })).rejects.toThrow('boom');
    expect(runs).toBe(2);
  });
});
