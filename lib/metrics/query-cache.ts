import 'server-only';

/**
 * A small server-side cache with request coalescing: concurrent identical requests share one
 * promise, and a settled result is reused until it expires. This is what makes a hundred
 * viewers cost Prometheus one query per panel and interval.
 */

type Entry = { expires: number; promise: Promise<unknown> };
type Stats = { executed: number; hits: number; coalesced: number };
type CacheState = { entries: Map<string, Entry>; stats: Stats };

// On globalThis so that every route bundle of the Next server shares one cache.
const KEY = Symbol.for('rollback-console.metrics-cache');
function state(): CacheState {
  const g = globalThis as unknown as Record<symbol, CacheState | undefined>;
  return (g[KEY] ??= { entries: new Map(), stats: { executed: 0, hits: 0, coalesced: 0 } });
}

const MAX_ENTRIES = 1000;

export async function cachedQuery<T>(options: { key: string; ttlMs: number; run: () => Promise<T>; nowMs?: number }): Promise<T> {
  const { entries, stats } = state();
  const now = options.nowMs ?? Date.now();
  const hit = entries.get(options.key);
  if (hit && hit.expires === Number.POSITIVE_INFINITY) {
    stats.coalesced += 1;
    return hit.promise as Promise<T>;
  }
  if (hit && hit.expires > now) {
    stats.hits += 1;
    return hit.promise as Promise<T>;
  }
  stats.executed += 1;
  const entry: Entry = { expires: Number.POSITIVE_INFINITY, promise: Promise.resolve() };
  entry.promise = options
    .run()
    .then((value) => {
      entry.expires = Date.now() + options.ttlMs;
      return value;
    })
    .catch((error: unknown) => {
      // Failures are not cached: the next viewer tries again.
      entries.delete(options.key);
      throw error;
    });
  entries.set(options.key, entry);
  if (entries.size > MAX_ENTRIES) {
    for (const [key, e] of entries) if (e.expires <= now) entries.delete(key);
  }
  return entry.promise as Promise<T>;
}

/** Counters for the benchmark: how many queries really ran versus were served from the cache. */
export function metricsCacheStats(): Stats {
  return { ...state().stats };
}

export function resetMetricsCacheForTests(): void {
  const s = state();
  s.entries.clear();
  s.stats = { executed: 0, hits: 0, coalesced: 0 };
}
