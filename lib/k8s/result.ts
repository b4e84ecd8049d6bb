import 'server-only';

/**
 * What every lib/k8s operation returns: plain data plus the kubectl command(s) it is equivalent
 * to, or an expected failure mapped to a small set of codes. Operations never throw for API
 * failures (404/409/403/422/5xx/connection): callers show `message` and `kubectl` as they are.
 */
export type K8sErrorCode = 'NotFound' | 'Conflict' | 'Forbidden' | 'Invalid' | 'Unavailable' | 'PreconditionFailed';

export type K8sResult<T> =
  | { ok: true; data: T; kubectl: string[]; resourceVersionBefore?: string; resourceVersionAfter?: string }
  | { ok: false; code: K8sErrorCode; message: string; kubectl: string[] };

export type K8sFailure = Extract<K8sResult<never>, { ok: false }>;

export function k8sOk<T>(
  data: T,
  kubectl: string[],
  rv?: { before?: string | undefined; after?: string | undefined },
): K8sResult<T> {
  const result: K8sResult<T> = { ok: true, data, kubectl };
  if (rv?.before !== undefined) result.resourceVersionBefore = rv.before;
  if (rv?.after !== undefined) result.resourceVersionAfter = rv.after;
  return result;
}

export function k8sFail(code: K8sErrorCode, message: string, kubectl: string[]): K8sFailure {
  return { ok: false, code, message, kubectl };
}

/** HTTP status (and the API's own Status message when there is one) carried by an error. */
export function describeApiError(err: unknown): { status?: number; message: string; reason?: string } {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; statusCode?: unknown; body?: unknown; message?: unknown };
    const status =
      typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
    let body: unknown = e.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // a non-JSON body (proxy error page): keep the text
      }
    }
    if (body && typeof body === 'object') {
      const s = body as { message?: unknown; reason?: unknown };
      if (typeof s.message === 'string') {
        return { status, message: s.message, reason: typeof s.reason === 'string' ? s.reason : undefined };
      }
    }
    if (typeof body === 'string' && body.trim() !== '') return { status, message: body.trim().slice(0, 500) };
    if (typeof e.message === 'string') return { status, message: e.message };
  }
  return { message: String(err) };
}

/** Maps a thrown API/transport error to an expected-failure result. */
export function k8sFailFromError(err: unknown, kubectl: string[], what?: string): K8sFailure {
  const { status, message } = describeApiError(err);
  const prefix = what ? `${what}: ` : '';
  if (status === 404) return k8sFail('NotFound', `${prefix}${message}`, kubectl);
  if (status === 409)
    return k8sFail(
      'Conflict',
      `${prefix}the object changed since it was read (${message}); reload and try again`,
      kubectl,
    );
  if (status === 401 || status === 403) return k8sFail('Forbidden', `${prefix}${message}`, kubectl);
  if (status === 400 || status === 422) return k8sFail('Invalid', `${prefix}${message}`, kubectl);
  if (status === 412) return k8sFail('PreconditionFailed', `${prefix}${message}`, kubectl);
  if (status !== undefined && status < 500 && status !== 429) return k8sFail('Invalid', `${prefix}${message}`, kubectl);
  return k8sFail(
    'Unavailable',
    `${prefix}the Kubernetes API is unavailable${status ? ` (HTTP ${status})` : ''}: ${message}`,
    kubectl,
  );
}
