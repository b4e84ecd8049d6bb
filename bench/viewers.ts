/**
 * npm run bench -- viewers [--seconds 60] [--viewers 1,50,200] [--delete-every 5] [--speed 5]
 *
 * Issue 4's benchmark: 1, 50 and 200 concurrent viewers of the deployment page's live pod stream
 * while pods change (one pod deleted every few seconds), against a fresh simulation.
 * - API-server requests made by the console (the simulation's /_sim/requests, user agent
 *   rollback-console) must not grow with viewers: ratio 200 / 1 ≤ 1.05.
 * - A pod change reaches ALL viewers with p95 < 250 ms (from just before the DELETE is sent to
 *   the moment each viewer has read the event naming the pod).
 * - Prometheus queries per chart interval do not grow with viewers: each viewer polls two
 *   panels once per interval through lib/metrics; Prometheus (Debian's binary, scraping the
 *   simulated application) sees what the cache lets through.
 *
 * The live fan-out runs in-process: lib/live's createLiveStream behind a small HTTP server, the
 * exact code of app/api/live/route.ts minus the session check.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

type Args = { seconds: number; viewers: number[]; deleteEvery: number; speed: number };

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    seconds: Number(get('seconds') ?? process.env.BENCH_SECONDS ?? 60),
    viewers: (get('viewers') ?? '1,50,200').split(',').map(Number),
    deleteEvery: Number(get('delete-every') ?? 5),
    speed: Number(get('speed') ?? 5),
  };
}

const NAMESPACE = 'llm-orchestrator';
const SELECTOR = 'app=orchestrator';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
const wallMs = () => performance.timeOrigin + performance.now();

type ToSwarm = { cmd: 'open'; n: number; url: string } | { cmd: 'target'; name: string } | { cmd: 'close' };
type FromSwarm = { type: 'ready' } | { type: 'seen'; name: string; times: (number | null)[] } | { type: 'closed' };

/**
 * The viewers: a separate process (as browsers are), each viewer one HTTP connection reading
 * the SSE stream and noting when it first read a change naming the target pod.
 */
async function swarm(): Promise<void> {
  let viewers: { got: Map<string, number>; snapshot: Promise<void>; close(): void }[] = [];
  let target: string | undefined;
  const send = (m: FromSwarm) => process.send!(m);
  process.on('message', async (m: ToSwarm) => {
    if (m.cmd === 'open') {
      viewers = Array.from({ length: m.n }, () => {
        const got = new Map<string, number>();
        let resolveSnapshot!: () => void;
        const snapshot = new Promise<void>((r) => (resolveSnapshot = r));
        const req = http.get(m.url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let idx: number;
            while ((idx = buffer.indexOf('\n\n')) >= 0) {
              const message = buffer.slice(0, idx);
              buffer = buffer.slice(idx + 2);
              if (message.startsWith('event: SNAPSHOT')) resolveSnapshot();
              if (target && !got.has(target) && (message.startsWith('event: MODIFIED') || message.startsWith('event: DELETED')) && message.includes(`"name":"${target}"`)) {
                got.set(target, wallMs());
              }
            }
          });
        });
        req.on('error', () => {});
        return { got, snapshot, close: () => req.destroy() };
      });
      await Promise.all(viewers.map((v) => v.snapshot));
      send({ type: 'ready' });
    } else if (m.cmd === 'target') {
      const name = m.name;
      target = name;
      const deadline = performance.now() + 2_000;
      while (viewers.some((v) => !v.got.has(name)) && performance.now() < deadline) await sleep(5);
      send({ type: 'seen', name, times: viewers.map((v) => v.got.get(name) ?? null) });
    } else if (m.cmd === 'close') {
      for (const v of viewers) v.close();
      viewers = [];
      send({ type: 'closed' });
    }
  });
}

function startSwarm() {
  const child = spawn(process.execPath, [path.resolve(__dirname, '../node_modules/tsx/dist/cli.mjs'), __filename], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_VIEWERS_CHILD: '1' },
  });
  const ask = <T extends FromSwarm['type']>(m: ToSwarm, expect: T): Promise<Extract<FromSwarm, { type: T }>> =>
    new Promise((resolve) => {
      const onMessage = (reply: FromSwarm) => {
        if (reply.type === expect) {
          child.off('message', onMessage);
          resolve(reply as Extract<FromSwarm, { type: T }>);
        }
      };
      child.on('message', onMessage);
      child.send(m);
    });
  return {
    open: (n: number, url: string) => ask({ cmd: 'open', n, url }, 'ready'),
    /** Tells the viewers which pod to look for; resolves with each viewer's arrival time (or null). */
    watchFor: (name: string) => ask({ cmd: 'target', name }, 'seen'),
    close: () => ask({ cmd: 'close' }, 'closed'),
    stop: () => child.kill('SIGTERM'),
  };
}

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-viewers-'));
  // The embedded Postgres runs as the postgres user when we are root.
  fs.chmodSync(dataDir, 0o755);
  // The simulated cluster runs in its own process, as an API server would: its controllers and
  // traffic generator do not share the console's event loop.
  const { freePort } = await import('../scripts/lib/embedded-postgres');
  const simPort = await freePort();
  const kubeconfigPath = path.join(dataDir, 'kubeconfig');
  const simChild = spawn(
    process.execPath,
    [path.resolve(__dirname, '../node_modules/tsx/dist/cli.mjs'), path.resolve(__dirname, '../sim/main.ts'), '--port', String(simPort), '--app-port', '0',
      '--kubeconfig', kubeconfigPath, '--speed', String(args.speed), '--scenario', 'bad-release', '--data-dir', path.join(dataDir, 'sim')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const simOutput = await new Promise<string>((resolve, reject) => {
    let out = '';
    simChild.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ready/.test(out)) resolve(out);
    });
    simChild.once('exit', (code) => reject(new Error(`the simulation exited (${code}) before it was ready:\n${out}`)));
  });
  const appUrlMatch = /app[^\n]*?(http:\/\/127\.0\.0\.1:\d+)/i.exec(simOutput);
  const sim = {
    apiUrl: `http://127.0.0.1:${simPort}`,
    appUrl: appUrlMatch?.[1] ?? `http://127.0.0.1:${simPort + 1}`,
    kubeconfigPath,
    stop: () =>
      new Promise<void>((resolve) => {
        simChild.once('exit', () => resolve());
        simChild.kill('SIGTERM');
      }),
  };
  process.env.KUBECONFIG = sim.kubeconfigPath;
  process.env.KUBE_CONTEXT = 'sim';

  // Prometheus scraping the simulated application, if Debian's binary is installed.
  const { startPrometheus, findPrometheusBinary } = await import('../scripts/lib/prometheus');
  let prom: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  if (findPrometheusBinary()) {
    prom = await startPrometheus({ scrapeUrl: `${sim.appUrl}/metrics`, dataDir: path.join(dataDir, 'prometheus'), scrapeIntervalSeconds: 2 });
    process.env.PROMETHEUS_URL = prom.url;
  }

  const { resetEnvForTests } = await import('../lib/env');
  const { resetKubeClientForTests } = await import('../lib/k8s/client');
  resetEnvForTests();
  resetKubeClientForTests();
  const { createLiveStream } = await import('../lib/live/create-live-stream');
  const { stopAllLiveWatches, liveStats, setLiveLinger, subscribeLive } = await import('../lib/live/subscribe-live');
  const { getMetricPanel } = await import('../lib/metrics/get-metric-panel');
  const { metricsCacheStats, resetMetricsCacheForTests } = await import('../lib/metrics/query-cache');
  setLiveLinger(1_000);

  // The SSE endpoint, as app/api/live/route.ts serves it.
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const abort = new AbortController();
    req.on('close', () => abort.abort());
    const stream = createLiveStream({
      kind: 'pods',
      namespace: url.searchParams.get('namespace') ?? '',
      selector: url.searchParams.get('selector') ?? '',
      signal: abort.signal,
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    const reader = stream.getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        res.write(value);
      }
      res.end();
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const swarmProcess = startSwarm();
  const port = (server.address() as { port: number }).port;
  const liveUrl = `http://127.0.0.1:${port}/live?kind=pods&namespace=${NAMESPACE}&selector=${encodeURIComponent(SELECTOR)}`;

  // Prometheus needs a few scrapes before the first rate() has data.
  if (prom) await sleep(6_000);

  const simRequests = async () => (await (await fetch(`${sim.apiUrl}/_sim/requests`)).json()) as { byUserAgent: Record<string, number>; recent: { userAgent: string; verb: string; resource: string }[] };
  const consoleRequests = (counts: Record<string, number>) =>
    Object.entries(counts)
      .filter(([ua]) => ua.startsWith('rollback-console'))
      .reduce((n, [, c]) => n + c, 0);

  async function runningPods(): Promise<string[]> {
    const res = await fetch(`${sim.apiUrl}/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=${encodeURIComponent(SELECTOR)}`, {
      headers: { 'user-agent': 'bench-viewers' },
    });
    const list = (await res.json()) as { items: { metadata: { name: string; deletionTimestamp?: string } }[] };
    return list.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
  }

  type Result = { viewers: number; apiRequests: number; deletions: number; latencies: number[]; missed: number; promQueries: number; intervals: number; panelCalls: number };
  const results: Result[] = [];

  for (const n of args.viewers) {
    stopAllLiveWatches();
    resetMetricsCacheForTests();
    await fetch(`${sim.apiUrl}/_sim/requests/reset`, { method: 'POST' });
    let target: string | undefined;
    // When the console itself learned of each change (the shared watch's event).
    const emitted = new Map<string, number>();
    const probe = subscribeLive({
      kind: 'pods',
      namespace: NAMESPACE,
      selector: SELECTOR,
      listener: (m) => {
        if ((m.type === 'MODIFIED' || m.type === 'DELETED') && m.object.metadata?.name === target && target && !emitted.has(target)) {
          emitted.set(target, wallMs());
        }
      },
    });
    await swarmProcess.open(n, liveUrl);
    const viewers = Array.from({ length: n }, (_, i) => i);
    const intervalsTouched = new Set<number>();

    const latencies: number[] = [];
    const apiLatencies: number[] = [];
    const fanout: number[] = [];
    let missed = 0;
    let deletions = 0;
    let panelCalls = 0;
    const started = Date.now();
    const end = started + args.seconds * 1000;

    // Every viewer's chart panels poll once per interval (15 s for a 30-minute range), each viewer
    // at its own phase, as browser tabs opened at different moments do.
    let polling = true;
    const poll = Promise.all(
      viewers.map(async () => {
        let next = Date.now() + Math.random() * 15_000;
        while (polling) {
          while (polling && Date.now() < next) await sleep(100);
          if (!polling) break;
          next += 15_000;
          intervalsTouched.add(Math.floor(Date.now() / 15_000));
          await Promise.all(
            (['errorRate', 'p99Latency'] as const).map((panel) => {
              panelCalls += 1;
              return getMetricPanel({ panel, namespace: NAMESPACE, deployment: 'orchestrator', rangeSeconds: 1800 }).catch(() => undefined);
            }),
          );
        }
      }),
    );

    // One warm-up deletion, not counted (first-use costs of a fresh process).
    {
      const [warm] = await runningPods();
      if (warm) {
        target = warm;
        const seen = swarmProcess.watchFor(warm);
        await fetch(`${sim.apiUrl}/api/v1/namespaces/${NAMESPACE}/pods/${warm}`, { method: 'DELETE', headers: { 'user-agent': 'bench-viewers' } });
        await seen;
      }
    }

    while (Date.now() + args.deleteEvery * 1000 <= end) {
      const pods = await runningPods();
      const victim = pods[deletions % Math.max(1, pods.length)];
      if (victim) {
        target = victim;
        const arrivals = swarmProcess.watchFor(victim);
        await sleep(20); // the target reaches the viewers' process before the change does
        const t0 = wallMs();
        await fetch(`${sim.apiUrl}/api/v1/namespaces/${NAMESPACE}/pods/${victim}`, { method: 'DELETE', headers: { 'user-agent': 'bench-viewers' } });
        deletions += 1;
        // Every viewer gets up to 2 s to see it.
        const { times } = await arrivals;
        const seen = emitted.get(victim);
        if (seen !== undefined) apiLatencies.push(seen - t0);
        for (const at of times) {
          if (at === null) missed += 1;
          else {
            latencies.push(at - t0);
            if (seen !== undefined) fanout.push(at - seen);
          }
        }
      }
      await sleep(Math.max(0, started + deletions * args.deleteEvery * 1000 - Date.now()));
    }
    await sleep(Math.max(0, end - Date.now()));
    polling = false;
    await poll;
    const stats = liveStats();
    const counts = await simRequests();
    await swarmProcess.close();
    probe.unsubscribe();
    const promQueries = metricsCacheStats().executed;
    // Chart intervals (15 s steps) in which at least one viewer asked.
    const intervals = Math.max(1, intervalsTouched.size);
    results.push({ viewers: n, apiRequests: consoleRequests(counts.byUserAgent), deletions, latencies, missed, promQueries, intervals, panelCalls });
    const r = results[results.length - 1]!;
    console.log(
      `viewers=${n}: shared watches=${stats.watches} (subscribers ${stats.subscribers}); console API requests=${r.apiRequests} ` +
        `(${Object.entries(counts.byUserAgent).map(([k, v]) => `${k}:${v}`).join(' ')}); pod deletions=${deletions}; ` +
        `propagation p50=${percentile(latencies, 50).toFixed(1)} ms p95=${percentile(latencies, 95).toFixed(1)} ms max=${Math.max(...latencies).toFixed(1)} ms ` +
        `(${latencies.length} deliveries, ${missed} missed; of which API server → console p95 ${percentile(apiLatencies, 95).toFixed(1)} ms, ` +
        `console → every viewer p50 ${percentile(fanout, 50).toFixed(1)} p95 ${percentile(fanout, 95).toFixed(1)} ms); panel requests=${panelCalls} → Prometheus queries=${promQueries}` +
        `${prom ? '' : ' (no Prometheus installed: cache counted on the not-configured path)'}`,
    );
    await sleep(1_500);
  }

  swarmProcess.stop();
  server.close();
  stopAllLiveWatches();
  await prom?.stop();
  await sim.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const one = results.find((r) => r.viewers === Math.min(...args.viewers))!;
  const many = results.find((r) => r.viewers === Math.max(...args.viewers))!;
  const ratio = many.apiRequests / Math.max(1, one.apiRequests);
  const p95 = percentile(many.latencies, 95);
  const qPerInterval = (r: Result) => r.promQueries / r.intervals;
  const ok = ratio <= 1.05 && p95 < 250 && many.missed === 0 && qPerInterval(many) <= qPerInterval(one) * 1.05 + 0.01;
  console.log(
    `SUMMARY viewers ${args.viewers.join('/')} over ${args.seconds}s: API requests ${results.map((r) => r.apiRequests).join('/')} ` +
      `(ratio ${many.viewers}/${one.viewers} = ${ratio.toFixed(2)}, target ≤ 1.05); pod change to all ${many.viewers} viewers p95 ${p95.toFixed(1)} ms ` +
      `(target < 250 ms, missed ${many.missed}); Prometheus queries per 15 s interval (2 panels) ${results.map((r) => qPerInterval(r).toFixed(1)).join('/')}; ${ok ? 'PASS' : 'FAIL'}`,
  );
  if (!ok) process.exitCode = 1;
}

if (process.env.BENCH_VIEWERS_CHILD === '1') void swarm();
