import 'server-only';
import { env } from '@/lib/env';
import { queryPrometheus } from '@/lib/metrics/query-prometheus';
import { METRIC_PANELS, renderPromql } from '@/lib/metrics/panels';
import { listPods } from '@/lib/incidents/cluster';
import { errorRateBetween, parseAppMetrics, quantileBetween, requestsBetween, type AppCounters } from './app-metrics';
import type { StabilitySample } from './evaluate-stability';

export type SampleSource = 'prometheus' | 'app-metrics' | 'none';

/** Counters carried from one poll to the next when sampling the app's /metrics directly. */
export type SampleCursor = { counters?: AppCounters };

/** Below this many requests in the window the error rate says nothing; it is reported unknown. */
export const MIN_REQUESTS_FOR_RATE = 200;

/**
 * One reading for the stability watch and the validation checklist: error rate and P99 from
 * Prometheus (the runbook's queries, lib/metrics/panels.ts) when PROMETHEUS_URL is set, else from
 * the application's /metrics (deltas since `cursor`), and restart counts from the live pods.
 */
export async function readStabilitySample(options: {
  namespace: string;
  deployment: string;
  selector: string;
  cursor?: SampleCursor;
  /** PromQL window, default 5m (the runbook's). */
  window?: string;
}): Promise<{ sample: StabilitySample; source: SampleSource; cursor: SampleCursor; requests: number | null; problems: string[] }> {
  const { PROMETHEUS_URL, TARGET_APP_URL } = env();
  const problems: string[] = [];
  let errorRatePct: number | null = null;
  let p99Seconds: number | null = null;
  let source: SampleSource = 'none';
  let cursor: SampleCursor = options.cursor ?? {};
  let requests: number | null = null;

  if (PROMETHEUS_URL) {
    source = 'prometheus';
    const vars = { window: options.window ?? '5m', namespace: options.namespace, deployment: options.deployment };
    for (const id of ['errorRate', 'p99Latency'] as const) {
      const panel = METRIC_PANELS.find((p) => p.id === id)!;
      const r = await queryPrometheus({ baseUrl: PROMETHEUS_URL, promql: renderPromql(panel.promql, vars) });
      if (!r.ok) {
        problems.push(`${panel.title}: ${r.message}`);
        continue;
      }
      const raw = r.data[0]?.value[1];
      const value = raw === undefined ? null : Number(raw);
      const v = value !== null && Number.isFinite(value) ? value : null;
      if (id === 'errorRate') errorRatePct = v;
      else p99Seconds = v;
    }
  } else if (TARGET_APP_URL) {
    source = 'app-metrics';
    try {
      const res = await fetch(new URL('/metrics', TARGET_APP_URL), { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
      const counters = parseAppMetrics(await res.text());
      if (cursor.counters) {
        requests = requestsBetween(cursor.counters, counters);
        // Why: a handful of requests makes one 5xx look like a 10% error rate; Prometheus's rate[5m] smooths the same way.
        if (requests >= MIN_REQUESTS_FOR_RATE) {
          errorRatePct = errorRateBetween(cursor.counters, counters);
          p99Seconds = quantileBetween(cursor.counters, counters, 0.99);
        }
      }
      cursor = { counters };
    } catch (error) {
      problems.push(`application /metrics: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    problems.push('Neither PROMETHEUS_URL nor TARGET_APP_URL is set: error rate and latency are unknown');
  }

  const restarts: Record<string, number> = {};
  const pods = await listPods({ namespace: options.namespace, selector: options.selector });
  if (pods.ok) {
    for (const p of pods.data) if (!p.deleting) restarts[p.name] = p.restarts;
  } else {
    problems.push(`pods: ${pods.message}`);
  }

  return { sample: { at: new Date().toISOString(), errorRatePct, p99Seconds, restarts }, source, cursor, requests, problems };
}
