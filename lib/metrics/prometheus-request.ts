import 'server-only';

/**
 * One request to the Prometheus HTTP API with a timeout, mapped to a result instead of a throw:
 * the charts must say plainly why there is no data.
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/
 */

export type PrometheusResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: 'Unreachable' | 'Timeout' | 'BadQuery' | 'Error'; message: string };

export type PrometheusVector = { metric: Record<string, string>; value: [number, string] }[];
export type PrometheusMatrix = { metric: Record<string, string>; values: [number, string][] }[];

export async function prometheusRequest<T>(options: {
  baseUrl: string;
  path: '/api/v1/query' | '/api/v1/query_range';
  params: Record<string, string>;
  timeoutMs: number;
}): Promise<PrometheusResult<T>> {
  const url = new URL(options.path, options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  // A base URL with a path prefix (…/prometheus/) keeps it: resolve relative to it.
  if (new URL(options.baseUrl).pathname !== '/') {
    url.pathname = new URL(options.baseUrl).pathname.replace(/\/$/, '') + options.path;
  }
  const body = new URLSearchParams({ ...options.params, timeout: `${Math.max(1, Math.floor(options.timeoutMs / 1000))}s` });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
      cache: 'no-store',
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { ok: false, code: 'Timeout', message: `Prometheus at ${options.baseUrl} did not answer within ${options.timeoutMs} ms` };
    }
    return { ok: false, code: 'Unreachable', message: `Prometheus is not reachable at ${options.baseUrl}` };
  }
  let json: { status?: string; data?: { resultType?: string; result?: unknown }; errorType?: string; error?: string };
  try {
    json = (await response.json()) as typeof json;
  } catch {
    return { ok: false, code: 'Error', message: `Prometheus at ${options.baseUrl} answered HTTP ${response.status} without JSON` };
  }
  if (json.status !== 'success') {
    const bad = json.errorType === 'bad_data' || response.status === 400 || response.status === 422;
    return {
      ok: false,
      code: bad ? 'BadQuery' : 'Error',
      message: `Prometheus refused the query: ${json.error ?? `HTTP ${response.status}`}`,
    };
  }
  return { ok: true, data: (json.data?.result ?? []) as T };
}
