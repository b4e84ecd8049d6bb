/**
 * Error rate and P99 from two scrapes of the application's own `/metrics` (Prometheus text
 * format): the fallback when no Prometheus is configured, so step 8 still watches something real.
 * Pure: parse and compute from counter deltas, like `rate()` and `histogram_quantile()`.
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile
 */

export type AppCounters = {
  /** Requests by status code, summed over other labels. */
  requests: Record<string, number>;
  /** Cumulative latency buckets by upper bound (le), summed over other labels; +Inf as INF_BUCKET. */
  buckets: [number, number][];
};

/** +Inf as a finite number, so counters survive a JSON round trip (StepState.data) unchanged. */
export const INF_BUCKET = Number.MAX_VALUE;

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+([^\s]+)/;

function labels(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const m of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

export function parseAppMetrics(text: string): AppCounters {
  const requests: Record<string, number> = {};
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const [, name, , labelText, raw] = m;
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    const l = labels(labelText);
    if (name === 'http_requests_total' && l.status) requests[l.status] = (requests[l.status] ?? 0) + value;
    if (name === 'http_request_duration_seconds_bucket' && l.le) {
      const le = l.le === '+Inf' ? INF_BUCKET : Number(l.le);
      buckets.set(le, (buckets.get(le) ?? 0) + value);
    }
  }
  return { requests, buckets: [...buckets.entries()].sort((a, b) => a[0] - b[0]) };
}

/** 5xx share in % of the requests between two scrapes; null without new requests. */
export function errorRateBetween(before: AppCounters, after: AppCounters): number | null {
  let total = 0;
  let errors = 0;
  for (const [status, v] of Object.entries(after.requests)) {
    const d = Math.max(0, v - (before.requests[status] ?? 0));
    total += d;
    if (status.startsWith('5')) errors += d;
  }
  return total > 0 ? (errors / total) * 100 : null;
}

/** histogram_quantile(q) over the bucket increase between two scrapes; null without observations. */
export function quantileBetween(before: AppCounters, after: AppCounters, q = 0.99): number | null {
  const prev = new Map(before.buckets);
  const deltas = after.buckets.map(([le, v]) => [le, Math.max(0, v - (prev.get(le) ?? 0))] as [number, number]);
  const total = deltas.find(([le]) => le >= INF_BUCKET)?.[1] ?? deltas.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [le, count] of deltas) {
    if (count >= rank) {
      // Prometheus returns the highest finite bound when the quantile falls in +Inf.
      if (le >= INF_BUCKET) return lowerBound;
      if (count === lowerCount) return le;
      return lowerBound + ((le - lowerBound) * (rank - lowerCount)) / (count - lowerCount);
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound;
}

/** Requests between two scrapes (all statuses). */
export function requestsBetween(before: AppCounters, after: AppCounters): number {
  return Object.entries(after.requests).reduce((n, [status, v]) => n + Math.max(0, v - (before.requests[status] ?? 0)), 0);
}
