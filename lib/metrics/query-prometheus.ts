import 'server-only';
import { prometheusRequest, type PrometheusResult, type PrometheusVector } from './prometheus-request';

/**
 * Instant query (`/api/v1/query`): the value of an expression now (or at `time`).
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries
 */
export async function queryPrometheus(options: {
  baseUrl: string;
  promql: string;
  /** Unix seconds; default now. */
  time?: number;
  timeoutMs?: number;
}): Promise<PrometheusResult<PrometheusVector>> {
  const params: Record<string, string> = { query: options.promql };
  if (options.time !== undefined) params.time = String(options.time);
  return prometheusRequest<PrometheusVector>({
    baseUrl: options.baseUrl,
    path: '/api/v1/query',
    params,
    timeoutMs: options.timeoutMs ?? 5_000,
  });
}
