/**
 * The simulated `orchestrator` application of the runbook, served on the app port. What it
 * answers follows the cluster: only ready pods serve, `/health` reports their version (the
 * majority when several serve), `POST /api/v1/workflows` writes to the application's real
 * PostgreSQL database, `/metrics` exposes request counters and a latency histogram. While pods
 * are ready they keep writing workflows, as real traffic would.
 */
import type { Loose } from '../controllers/util';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { Store } from '../store';
import type { Clock } from '../clock';
import type { LogBook } from '../logs';
import { imageTag } from '../scenarios/types';
import { NAMESPACE, APP } from '../scenarios/orchestrator';
import { isPodReady, randomHex } from '../controllers/util';
import { RequestMetrics } from './traffic';

/** Requests per simulated second of the background traffic. */
const REQUESTS_PER_SECOND = 20;
/** Simulated seconds between background workflow writes of each ready pod. */
const WRITE_EVERY_SECONDS = 10;

export type RunningApp = { url: string; port: number; stop(): Promise<void> };

type Serving = { versions: Map<string, number>; pods: { name: string; version: string }[] };

/** Starts the application's HTTP server (port 0 = a free port). */
export async function startApp(options: {
  store: Store;
  clock: Clock;
  logs: LogBook;
  port?: number;
  databaseUrl?: string;
  backupDir?: string;
  namespace?: string;
}): Promise<RunningApp> {
  const { store, clock, logs } = options;
  const ns = options.namespace ?? NAMESPACE;
  const metrics = new RequestMetrics();
  const pool = options.databaseUrl ? new pg.Pool({ connectionString: options.databaseUrl, max: 3, idleTimeoutMillis: 5_000 }) : undefined;
  pool?.on('error', () => {});

  const serving = (): Serving => {
    const versions = new Map<string, number>();
    const pods: Serving['pods'] = [];
    for (const p of store.listFrozen('pods', { namespace: ns, labelSelector: `app=${APP}` })) {
      if (p.metadata.deletionTimestamp || !isPodReady(p)) continue;
      const version = imageTag(p.spec?.containers?.[0]?.image);
      versions.set(version, (versions.get(version) ?? 0) + 1);
      pods.push({ name: p.metadata.name, version });
    }
    return { versions, pods };
  };

  const majority = (s: Serving): string | null => {
    let best: string | null = null;
    let n = 0;
    for (const [v, c] of [...s.versions].sort((a, b) => (a[0] < b[0] ? 1 : -1))) {
      if (c > n) {
        best = v;
        n = c;
      }
    }
    return best;
  };

  const insertWorkflow = async (name: string, steps: unknown, pod: string): Promise<{ id: number } | null> => {
    if (!pool) return { id: 0 };
    const r = await pool.query<{ id: string }>('INSERT INTO workflows (name, steps, status, created_by) VALUES ($1, $2::jsonb, $3, $4) RETURNING id', [
      name,
      JSON.stringify(steps ?? []),
      'created',
      pod,
    ]);
    return { id: Number(r.rows[0]?.id) };
  };

  // Background traffic: metrics every tick, workflow writes from each ready pod.
  let carry = 0;
  let last = Date.now();
  const traffic = clock.every(1_000, () => {
    const now = Date.now();
    carry += ((now - last) / 1000) * clock.speed * REQUESTS_PER_SECOND;
    last = now;
    const n = Math.floor(carry);
    carry -= n;
    metrics.simulate(Math.min(n, 20_000), serving().versions);
  }, 200);
  let writing = false;
  const writer = clock.every(WRITE_EVERY_SECONDS * 1_000, () => {
    if (!pool || writing) return;
    const s = serving();
    if (!s.pods.length) return;
    writing = true;
    Promise.all(
      s.pods.map((p) => insertWorkflow(`scheduled-${randomHex(6)}`, [{ type: 'llm_call', provider: 'openai' }], p.name).catch(() => null)),
    ).finally(() => {
      writing = false;
    });
  }, 500);

  const send = (res: http.ServerResponse, code: number, body: unknown, type = 'application/json') => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const health = (res: http.ServerResponse, ready: boolean) => {
    const s = serving();
    const version = majority(s);
    const versions = [...s.versions].map(([v, pods]) => ({ version: v, pods })).sort((a, b) => b.pods - a.pods);
    if (!version) return send(res, 503, { status: 'unavailable', version: null, versions: [], pods: 0 });
    send(res, 200, { status: ready ? 'ready' : 'ok', version, versions, pods: s.pods.length });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    const route = `${req.method} ${url.pathname.replace(/\/$/, '') || '/'}`;
    if (route === 'GET /health' || route === 'HEAD /health') return health(res, false);
    if (route === 'GET /health/ready' || route === 'HEAD /health/ready') return health(res, true);
    if (route === 'GET /metrics') return send(res, 200, metrics.render(serving().versions), 'text/plain; version=0.0.4; charset=utf-8');
    if (route === 'POST /api/v1/workflows') {
      let body = '';
      let tooBig = false;
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
        if (body.length > 1_000_000) tooBig = true;
      });
      req.on('end', async () => {
        const started = Date.now();
        if (tooBig) return send(res, 413, { error: 'request body too large' });
        let input: Loose;
        try {
          input = body ? JSON.parse(body) : {};
        } catch {
          return send(res, 400, { error: 'invalid JSON body' });
        }
        if (!input || typeof input.name !== 'string' || !input.name.trim()) return send(res, 400, { error: '"name" is required' });
        const s = serving();
        const pod = s.pods[Math.floor(Math.random() * s.pods.length)];
        if (!pod) return send(res, 503, { error: 'no ready orchestrator pods' });
        try {
          const row = await insertWorkflow(input.name.trim(), Array.isArray(input.steps) ? input.steps : [], pod.name);
          metrics.observe(pod.version, true, (Date.now() - started) / 1000);
          metrics.countWorkflow();
          logs.append(ns, pod.name, APP, `INFO  POST /api/v1/workflows 201 ${Date.now() - started}ms workflow=${row?.id}`);
          send(res, 201, { id: row?.id, name: input.name.trim(), status: 'created', servedBy: pod.name, version: pod.version });
        } catch (err) {
          metrics.observe(pod.version, false, (Date.now() - started) / 1000);
          logs.append(ns, pod.name, APP, `ERROR POST /api/v1/workflows 500: ${(err as Error).message}`);
          send(res, 500, { error: 'database error', message: (err as Error).message });
        }
      });
      return;
    }
    send(res, 404, { error: 'not found' });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      traffic.cancel();
      writer.cancel();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await pool?.end().catch(() => {});
    },
  };
}
