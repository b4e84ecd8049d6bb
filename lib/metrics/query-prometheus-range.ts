import 'server-only';
import { prometheusRequest, type PrometheusMatrix, type PrometheusResult } from './prometheus-request';

/**
 * Range query (`/api/v1/query_range`): one series per label set, sampled every `step` seconds.
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries
 */
export async function queryPrometheusRange(options: {
  baseUrl: string;
  promql: string;
  /** Unix seconds. */
  start: number;
  end: number;
  /** Seconds between points. */
  step: number;
  timeoutMs?: number;
}): Promise<PrometheusResult<PrometheusMatrix>> {
  return prometheusRequest<PrometheusMatrix>({
    baseUrl: options.baseUrl,
    path: '/api/v1/query_range',
    params: {
      query: options.promql,
      start: String(options.start),
      end: String(options.end),
      step: String(options.step),
    },
    timeoutMs: options.timeoutMs ?? 5_000,
  });
}
