/**
 * `Status` objects, the error body of every failed Kubernetes API call: kubectl prints
 * `Error from server (Reason): message` from them.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/
 */
export type StatusCause = { reason?: string; message: string; field?: string };

export class ApiError extends Error {
  constructor(
    public code: number,
    public reason: string,
    message: string,
    public details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number },
  ) {
    super(message);
  }
}

export function statusBody(code: number, reason: string, message: string, details?: ApiError['details']) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 400 ? 'Success' : 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** `deployments.apps "nope" not found` */
export function notFound(resource: string, group: string, name: string): ApiError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new ApiError(404, 'NotFound', `${qualified} "${name}" not found`, { name, group: group || undefined, kind: resource });
}

export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const qualified = group ? `${kind}.${group}` : kind;
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const message = `${qualified} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`;
  return new ApiError(422, 'Invalid', message, {
    name,
    group: group || undefined,
    kind,
    causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}
