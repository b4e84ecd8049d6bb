import type { MetricPanelId, Threshold } from './types';

/**
 * The metric panels of the deployment page, as data: the runbook's queries and thresholds.
 * PromQL templates may use `$window`, `$namespace` and `$deployment`; an admin can replace a
 * query or the window through the `metrics` Setting row (see load-metric-settings.ts).
 * @see /work/shared/runbooks/rollback-procedure.md "Step 1" (error rate > 5%) and "Step 8"
 *      (error rate < 1%, P99 < 2 s)
 */
export type MetricPanelDefinition = {
  id: MetricPanelId;
  title: string;
  unit: '%' | 's' | 'req/s' | 'restarts';
  /** 'prometheus': PromQL below. 'cluster': computed from the live pods (restart counts). */
  source: 'prometheus' | 'cluster';
  promql: string;
  thresholds: Threshold[];
};

/** The runbook's window. */
export const DEFAULT_METRIC_WINDOW = '5m';

export const METRIC_PANELS: readonly MetricPanelDefinition[] = [
  {
    id: 'errorRate',
    title: '5xx error rate',
    unit: '%',
    source: 'prometheus',
    promql:
      'sum(rate(http_requests_total{status=~"5.."}[$window])) / sum(rate(http_requests_total[$window])) * 100',
    thresholds: [
      { value: 5, label: 'incident > 5%', kind: 'bad' },
      { value: 1, label: 'recovered < 1%', kind: 'good' },
    ],
  },
  {
    id: 'p99Latency',
    title: 'P99 latency',
    unit: 's',
    source: 'prometheus',
    promql: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[$window])))',
    thresholds: [{ value: 2, label: 'P99 < 2 s', kind: 'bad' }],
  },
  {
    id: 'requestRate',
    title: 'Request rate',
    unit: 'req/s',
    source: 'prometheus',
    promql: 'sum(rate(http_requests_total[$window]))',
    thresholds: [],
  },
  {
    id: 'podRestarts',
    title: 'Pod restarts',
    unit: 'restarts',
    source: 'cluster',
    promql: 'sum of status.containerStatuses[].restartCount over the deployment\'s pods',
    thresholds: [],
  },
];

export const METRIC_PANEL_IDS = METRIC_PANELS.map((p) => p.id);

export function isMetricPanelId(value: string): value is MetricPanelId {
  return (METRIC_PANEL_IDS as string[]).includes(value);
}

/** A Prometheus duration such as 30s, 5m, 1h. */
export const WINDOW_PATTERN = /^[1-9][0-9]{0,4}(ms|s|m|h|d)$/;

/**
 * Substitutes the template variables. Label values are escaped so a namespace cannot break out
 * of a label matcher.
 */
export function renderPromql(template: string, vars: { window: string; namespace?: string; deployment?: string }): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return template
    .replaceAll('$window', vars.window)
    .replaceAll('$namespace', esc(vars.namespace ?? ''))
    .replaceAll('$deployment', esc(vars.deployment ?? ''));
}

/**
 * Aligns a chart range to its step so that every viewer asking within the same interval asks
 * for the very same (start, end, step), which is what lets the server cache one query per
 * panel and interval. About 120 points per chart, never finer than `minStep`.
 */
export function alignRange(options: { nowMs: number; rangeSeconds: number; minStep?: number }): {
  start: number;
  end: number;
  step: number;
} {
  const minStep = options.minStep ?? 5;
  const raw = Math.max(minStep, Math.ceil(options.rangeSeconds / 120));
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].find((s) => s >= raw) ?? raw;
  const step = Math.max(minStep, nice);
  const end = Math.floor(options.nowMs / 1000 / step) * step;
  return { start: end - Math.ceil(options.rangeSeconds / step) * step, end, step };
}
