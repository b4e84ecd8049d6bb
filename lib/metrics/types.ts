/**
 * Plain data exchanged between lib/metrics, the /api/metrics route and the chart components.
 * Types only: safe to import from client components.
 */

export type MetricPanelId = 'errorRate' | 'p99Latency' | 'requestRate' | 'podRestarts';

export type Threshold = {
  value: number;
  label: string;
  /** 'bad' = above this is the incident (red); 'good' = below this is recovered (green). */
  kind: 'bad' | 'good';
};

/** [unix seconds, value] */
export type SamplePoint = [number, number];

export type MetricSeries = { name: string; points: SamplePoint[] };

/**
 * 'ok': data came back (it may be empty). 'not-configured': PROMETHEUS_URL unset.
 * 'unreachable': connection refused / timed out. 'error': Prometheus answered with an error (bad PromQL).
 */
export type MetricState = 'ok' | 'not-configured' | 'unreachable' | 'error';

export type MetricPanelData = {
  panel: MetricPanelId;
  title: string;
  unit: '%' | 's' | 'req/s' | 'restarts';
  /** The PromQL that ran (after substituting the window), or a description for cluster data. */
  query: string;
  window: string;
  thresholds: Threshold[];
  series: MetricSeries[];
  state: MetricState;
  /** Plain sentence for the UI when state is not 'ok'. */
  message?: string;
  /** Server time the data was fetched (ms), so viewers see how fresh it is. */
  fetchedAt: number;
  /** Range start/end/step in unix seconds. */
  start: number;
  end: number;
  step: number;
};

/** A vertical marker where an action happened (rollout paused, undo, ...). */
export type ChartMarker = { at: number | string | Date; label: string };
