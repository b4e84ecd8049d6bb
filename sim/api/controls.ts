/**
 * Test controls under `/_sim/` on the API port: request counts (by verb, resource, user agent and
 * impersonated user) and fault injection. For tests and benchmarks only; kubectl never sees them.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are arbitrary JSON, validated here */
export type RequestRecord = {
  method: string;
  path: string;
  verb: string;
  resource: string;
  userAgent: string;
  impersonateUser?: string;
  impersonateGroups?: string[];
  status?: number;
  at: string;
};

export type Fault = {
  id: number;
  pathPrefix?: string;
  pathRegex?: string;
  /** A Kubernetes verb (get, list, watch, patch...) or an HTTP method (GET, PATCH...). */
  verb?: string;
  /** How many matching requests still fail. */
  count: number;
  status?: number;
  delayMs?: number;
  drop?: boolean;
};

const RECENT = 500;

export class RequestLog {
  total = 0;
  byVerb: Record<string, number> = {};
  byResource: Record<string, number> = {};
  byUserAgent: Record<string, number> = {};
  byImpersonatedUser: Record<string, number> = {};
  recent: RequestRecord[] = [];

  record(r: RequestRecord) {
    this.total++;
    inc(this.byVerb, r.verb);
    inc(this.byResource, r.resource);
    inc(this.byUserAgent, r.userAgent || '(none)');
    if (r.impersonateUser) inc(this.byImpersonatedUser, r.impersonateUser);
    this.recent.push(r);
    if (this.recent.length > RECENT) this.recent.splice(0, this.recent.length - RECENT);
  }

  reset() {
    this.total = 0;
    this.byVerb = {};
    this.byResource = {};
    this.byUserAgent = {};
    this.byImpersonatedUser = {};
    this.recent = [];
  }

  toJSON() {
    return {
      total: this.total,
      byVerb: this.byVerb,
      byResource: this.byResource,
      byUserAgent: this.byUserAgent,
      byImpersonatedUser: this.byImpersonatedUser,
      recent: this.recent,
    };
  }
}

function inc(m: Record<string, number>, k: string) {
  m[k] = (m[k] ?? 0) + 1;
}

export class Faults {
  private next = 1;
  list: Fault[] = [];

  /** Validates and adds a fault; throws on a bad definition. */
  add(body: any): Fault {
    if (!body || typeof body !== 'object') throw new Error('fault must be a JSON object');
    if (typeof body.pathPrefix !== 'string' && typeof body.pathRegex !== 'string') throw new Error('pathPrefix or pathRegex is required');
    if (typeof body.pathRegex === 'string') new RegExp(body.pathRegex);
    const count = body.count === undefined ? 1 : Number(body.count);
    if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
    if (body.status !== undefined && (!Number.isInteger(body.status) || body.status < 100 || body.status > 599)) throw new Error('status must be an HTTP status');
    if (body.delayMs !== undefined && !(Number(body.delayMs) >= 0)) throw new Error('delayMs must be >= 0');
    if (body.status === undefined && body.delayMs === undefined && !body.drop) throw new Error('one of status, delayMs or drop is required');
    const f: Fault = {
      id: this.next++,
      pathPrefix: body.pathPrefix,
      pathRegex: body.pathRegex,
      verb: body.verb,
      count,
      status: body.status,
      delayMs: body.delayMs === undefined ? undefined : Number(body.delayMs),
      drop: !!body.drop,
    };
    this.list.push(f);
    return f;
  }

  /** The first fault matching the request, consumed once. */
  take(path: string, method: string, verb: string): Fault | undefined {
    const f = this.list.find(
      (x) =>
        (x.pathPrefix === undefined || path.startsWith(x.pathPrefix)) &&
        (x.pathRegex === undefined || new RegExp(x.pathRegex).test(path)) &&
        (!x.verb || x.verb.toLowerCase() === verb.toLowerCase() || x.verb.toUpperCase() === method.toUpperCase()),
    );
    if (!f) return undefined;
    f.count--;
    if (f.count <= 0) this.list = this.list.filter((x) => x !== f);
    return { ...f };
  }

  clear() {
    this.list = [];
  }
}
