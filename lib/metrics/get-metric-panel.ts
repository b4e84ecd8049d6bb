import 'server-only';
import { env } from '@/lib/env';
import { readLiveList } from '@/lib/live/read-live-list';
import { loadMetricSettings } from './load-metric-settings';
import { alignRange, METRIC_PANELS, renderPromql, WINDOW_PATTERN } from './panels';
import { cachedQuery } from './query-cache';
import { queryPrometheusRange } from './query-prometheus-range';
import type { MetricPanelData, MetricPanelId, MetricSeries, SamplePoint } from './types';

/**
 * One chart's data: the panel's PromQL over the range (or, for pod restarts, the restart
 * counts of the deployment's pods from the shared watch), cached so that every viewer within
 * the same step interval shares ONE Prometheus query.
 * @see ARCHITECTURE.md "Metrics"
 */
export async function getMetricPanel(options: {
  panel: MetricPanelId;
  namespace?: string;
  deployment?: string;
  /** Label selector of the deployment's pods (pod restarts). */
  selector?: string;
  /** Seconds of history; default 30 minutes (the runbook's stability window). */
  rangeSeconds?: number;
  /** Overrides the configured window, e.g. '30s' in tests with a fast simulation. */
  window?: string;
  nowMs?: number;
}): Promise<MetricPanelData> {
  const definition = METRIC_PANELS.find((p) => p.id === options.panel);
  if (!definition) throw new Error(`unknown metric panel ${options.panel}`);
  const settings = await loadMetricSettings();
  const window = options.window && WINDOW_PATTERN.test(options.window) ? options.window : settings.window;
  const rangeSeconds = Math.min(Math.max(options.rangeSeconds ?? 1800, 60), 24 * 3600);
  const { start, end, step } = alignRange({ nowMs: options.nowMs ?? Date.now(), rangeSeconds });
  const base = {
    panel: definition.id,
    title: definition.title,
    unit: definition.unit,
    window,
    thresholds: definition.thresholds,
    start,
    end,
    step,
  };

  if (definition.source === 'cluster') {
    return podRestartsPanel({ base, namespace: options.namespace ?? '', selector: options.selector ?? '', step });
  }

  const query = renderPromql(settings.queries[definition.id], {
    window,
    namespace: options.namespace,
    deployment: options.deployment,
  });
  const baseUrl = env().PROMETHEUS_URL;
  if (!baseUrl) {
    return {
      ...base,
      query,
      series: [],
      state: 'not-configured',
      message: 'No Prometheus is configured (PROMETHEUS_URL is not set), so there is no metric data to show.',
      fetchedAt: Date.now(),
    };
  }
  const key = JSON.stringify(['prom', baseUrl, query, start, end, step]);
  return cachedQuery({
    key,
    ttlMs: step * 1000,
    run: async (): Promise<MetricPanelData> => {
      const result = await queryPrometheusRange({ baseUrl, promql: query, start, end, step, timeoutMs: 5_000 });
      if (!result.ok) {
        const unreachable = result.code === 'Unreachable' || result.code === 'Timeout';
        return {
          ...base,
          query,
          series: [],
          state: unreachable ? 'unreachable' : 'error',
          message: result.code === 'Unreachable' ? `Prometheus is not reachable at ${baseUrl}.` : result.message,
          fetchedAt: Date.now(),
        };
      }
      const series: MetricSeries[] = result.data.map((s) => ({
        name: seriesName(s.metric, definition.title),
        points: s.values
          .map(([t, v]) => [t, Number(v)] as SamplePoint)
          // 0/0 when there was no traffic: NaN is "no data", not zero.
          .filter(([, v]) => Number.isFinite(v)),
      }));
      return { ...base, query, series, state: 'ok', fetchedAt: Date.now() };
    },
  });
}

function seriesName(metric: Record<string, string>, fallback: string): string {
  const labels = Object.entries(metric).filter(([k]) => k !== '__name__');
  if (labels.length === 0) return fallback;
  return labels.map(([k, v]) => `${k}=${v}`).join(', ');
}

// Restart totals sampled each time the panel is refreshed (at most once per step, whatever the
// number of viewers), so the chart has a history without a kube-state-metrics in the cluster.
const HISTORY_KEY = Symbol.for('rollback-console.restart-history');
function history(): Map<string, SamplePoint[]> {
  const g = globalThis as unknown as Record<symbol, Map<string, SamplePoint[]> | undefined>;
  return (g[HISTORY_KEY] ??= new Map());
}

async function podRestartsPanel(options: {
  base: Omit<MetricPanelData, 'query' | 'series' | 'state' | 'fetchedAt' | 'message'>;
  namespace: string;
  selector: string;
  step: number;
}): Promise<MetricPanelData> {
  const query = `restartCount of pods in ${options.namespace || 'all namespaces'}${options.selector ? ` with ${options.selector}` : ''}`;
  const key = JSON.stringify(['restarts', options.namespace, options.selector, options.base.end]);
  return cachedQuery({
    key,
    ttlMs: options.step * 1000,
    run: async (): Promise<MetricPanelData> => {
      const list = await readLiveList({ kind: 'pods', namespace: options.namespace, selector: options.selector });
      if (!list.ok) {
        return {
          ...options.base,
          query,
          series: [],
          state: 'unreachable',
          message: list.status.message ?? 'The Kubernetes API server is not reachable.',
          fetchedAt: Date.now(),
        };
      }
      let total = 0;
      for (const pod of list.items) {
        const statuses = ((pod.status as { containerStatuses?: { restartCount?: number }[] } | undefined)?.containerStatuses ?? []);
        for (const c of statuses) total += c.restartCount ?? 0;
      }
      const hkey = `${options.namespace}|${options.selector}`;
      const samples = history().get(hkey) ?? [];
      const now = Math.floor(Date.now() / 1000);
      samples.push([now, total]);
      while (samples.length > 2000 || (samples[0] && samples[0][0] < now - 24 * 3600)) samples.shift();
      history().set(hkey, samples);
      const points = samples.filter(([t]) => t >= options.base.start);
      return { ...options.base, query, series: [{ name: 'restarts (all containers)', points }], state: 'ok', fetchedAt: Date.now() };
    },
  });
}
