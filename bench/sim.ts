/**
 * npm run bench -- sim [--quick] [--seconds 60] [--rate 50] [--watches 200] [--pods 5000]
 *                      [--speed 10] [--skip-load] [--skip-pods] [--breakdown]
 *
 * Issue 2's performance targets, against the simulated cluster running in its OWN process
 * (`node --import tsx sim/main.ts`, one process, so /proc/<pid>/status is the simulation's RSS;
 * its embedded Postgres is a separate process and not counted):
 * (a) `--watches` open watches (half pods, half deployments, namespace llm-orchestrator, plain
 *     HTTP `?watch=1`, held by a separate process as real clients would be) while a load of
 *     `--rate` requests/s of mixed GET/LIST/PATCH runs for `--seconds` on the bad-release scenario
 *     (pods crash-looping, so the watches see traffic). Open loop: a request is sent every
 *     1000/rate ms whether or not earlier ones answered, so a slow server cannot hide its queue.
 *     Reported: latency p50/p95/p99/max (target p99 < 50 ms), errors, and that every watch stayed
 *     open and received events DURING the load (the initial ADDED replay does not count).
 * (b) a fresh simulation (`healthy` scenario: v0.1.1 pods become Ready rather than crash-loop)
 *     with the HPA deleted (it caps replicas at 10) and the deployment scaled to `--pods` through
 *     the scale subresource; time until status.readyReplicas = N and the RSS then (target < 300 MB).
 *     With `--breakdown` (or when the target is missed) the memory is split: an idle node, an idle
 *     `node --import tsx`, the simulation in-process with heap statistics, and the same with the
 *     store's watch history cut to 16 changes.
 * --quick: 15 s of load, 100 watches, 1,000 pods.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ROOT, flag, percentile, readCpuSeconds, readRss, request, sleep, startSimProcess, stopOrphanPostgres } from './lib/sim-process';

const NS = 'llm-orchestrator';

type Args = {
  seconds: number;
  rate: number;
  watches: number;
  pods: number;
  speed: number;
  skipLoad: boolean;
  skipPods: boolean;
  breakdown: boolean;
  readyTimeoutS: number;
};

function parseArgs(argv: string[]): Args {
  const quick = argv.includes('--quick');
  return {
    seconds: Number(flag(argv, 'seconds') ?? (quick ? 15 : 60)),
    rate: Number(flag(argv, 'rate') ?? 50),
    watches: Number(flag(argv, 'watches') ?? (quick ? 100 : 200)),
    pods: Number(flag(argv, 'pods') ?? (quick ? 1000 : 5000)),
    speed: Number(flag(argv, 'speed') ?? 10),
    skipLoad: argv.includes('--skip-load'),
    skipPods: argv.includes('--skip-pods'),
    breakdown: argv.includes('--breakdown'),
    readyTimeoutS: Number(flag(argv, 'ready-timeout') ?? 600),
  };
}

// ---------------------------------------------------------------------------------------------
// The watch holders: a separate process, so parsing 200 streams does not delay the load timer.
type ToWatchers = { cmd: 'open'; urls: string[] } | { cmd: 'mark' } | { cmd: 'report' } | { cmd: 'close' };
type WatchReport = { open: number; closedEarly: number; errors: number; eventsAfterMark: number[]; bookmarks: number };
type FromWatchers = { type: 'opened'; open: number } | { type: 'marked' } | { type: 'report'; report: WatchReport } | { type: 'closed' };

function watcherProcess(): void {
  type W = { req: http.ClientRequest; open: boolean; closedEarly: boolean; error: boolean; events: number; atMark: number };
  let watches: W[] = [];
  let closing = false;
  let bookmarks = 0;
  const send = (m: FromWatchers) => process.send!(m);
  process.on('message', async (m: ToWatchers) => {
    if (m.cmd === 'open') {
      const opened = m.urls.map(
        (url) =>
          new Promise<W>((resolve) => {
            const w: W = { req: undefined as unknown as http.ClientRequest, open: false, closedEarly: false, error: false, events: 0, atMark: 0 };
            w.req = http.get(url, { agent: false, headers: { 'user-agent': 'bench-sim-watch', accept: 'application/json' } }, (res) => {
              w.open = res.statusCode === 200;
              resolve(w);
              res.setEncoding('utf8');
              let buffer = '';
              res.on('data', (chunk: string) => {
                buffer += chunk;
                let i: number;
                while ((i = buffer.indexOf('\n')) >= 0) {
                  const line = buffer.slice(0, i);
                  buffer = buffer.slice(i + 1);
                  if (!line.trim()) continue;
                  if (line.startsWith('{"type":"BOOKMARK"')) bookmarks += 1;
                  else w.events += 1;
                }
              });
              res.on('close', () => {
                if (!closing) w.closedEarly = true;
                w.open = false;
              });
            });
            w.req.on('error', () => {
              w.error = true;
              w.open = false;
              resolve(w);
            });
          }),
      );
      watches = await Promise.all(opened);
      send({ type: 'opened', open: watches.filter((w) => w.open).length });
    } else if (m.cmd === 'mark') {
      for (const w of watches) w.atMark = w.events;
      send({ type: 'marked' });
    } else if (m.cmd === 'report') {
      send({
        type: 'report',
        report: {
          open: watches.filter((w) => w.open).length,
          closedEarly: watches.filter((w) => w.closedEarly).length,
          errors: watches.filter((w) => w.error).length,
          eventsAfterMark: watches.map((w) => w.events - w.atMark),
          bookmarks,
        },
      });
    } else if (m.cmd === 'close') {
      closing = true;
      for (const w of watches) w.req.destroy();
      send({ type: 'closed' });
      process.exit(0);
    }
  });
}

function startWatchers() {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_SIM_WATCHERS: '1' },
  });
  const ask = <T extends FromWatchers['type']>(m: ToWatchers, expect: T): Promise<Extract<FromWatchers, { type: T }>> =>
    new Promise((resolve) => {
      const on = (reply: FromWatchers) => {
        if (reply.type === expect) {
          child.off('message', on);
          resolve(reply as Extract<FromWatchers, { type: T }>);
        }
      };
      child.on('message', on);
      child.send(m);
    });
  return {
    open: (urls: string[]) => ask({ cmd: 'open', urls }, 'opened'),
    mark: () => ask({ cmd: 'mark' }, 'marked'),
    report: () => ask({ cmd: 'report' }, 'report'),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ cmd: 'close' });
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// (a) watches + mixed load

type Op = { kind: 'GET' | 'LIST' | 'PATCH'; what: string; url: () => string | undefined; body?: () => unknown };

async function loadPhase(args: Args, dir: string, ports: { api: number; app: number }) {
  const sim = await startSimProcess({ port: ports.api, appPort: ports.app, dir, scenario: 'bad-release', speed: args.speed });
  const watchers = startWatchers();
  try {
    const api = sim.apiUrl;
    const podsWatch = `${api}/api/v1/namespaces/${NS}/pods?watch=1`;
    const deployWatch = `${api}/apis/apps/v1/namespaces/${NS}/deployments?watch=1`;
    const urls = Array.from({ length: args.watches }, (_, i) => (i % 2 === 0 ? podsWatch : deployWatch));
    const opened = await watchers.open(urls);
    await sleep(500);
    await watchers.mark();
    const rssBefore = readRss(sim.pid);
    const cpuBefore = readCpuSeconds(sim.pid);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    let podNames: string[] = [];
    const refreshPods = async () => {
      const r = await request(`${api}/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dorchestrator`, { agent });
      if (r.status === 200) podNames = (JSON.parse(r.body) as { items: { metadata: { name: string } }[] }).items.map((p) => p.metadata.name);
    };
    await refreshPods();
    const pod = () => podNames[Math.floor(Math.random() * podNames.length)];
    let seq = 0;
    // 40% GET, 40% LIST, 20% PATCH (merge patches of annotations: no new rollout, but every
    // deployment watch and pod watch sees a MODIFIED event).
    const ops: Op[] = [
      { kind: 'GET', what: 'deployment', url: () => `${api}/apis/apps/v1/namespaces/${NS}/deployments/orchestrator` },
      { kind: 'GET', what: 'pod', url: () => (pod() ? `${api}/api/v1/namespaces/${NS}/pods/${pod()}` : undefined) },
      { kind: 'GET', what: 'configmap', url: () => `${api}/api/v1/namespaces/${NS}/configmaps/orchestrator-config` },
      { kind: 'GET', what: 'hpa', url: () => `${api}/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/orchestrator` },
      { kind: 'LIST', what: 'pods by label', url: () => `${api}/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dorchestrator` },
      { kind: 'LIST', what: 'deployments', url: () => `${api}/apis/apps/v1/namespaces/${NS}/deployments` },
      { kind: 'LIST', what: 'replicasets', url: () => `${api}/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3Dorchestrator` },
      { kind: 'LIST', what: 'events', url: () => `${api}/api/v1/namespaces/${NS}/events` },
      {
        kind: 'PATCH',
        what: 'deployment annotation',
        url: () => `${api}/apis/apps/v1/namespaces/${NS}/deployments/orchestrator`,
        body: () => ({ metadata: { annotations: { 'bench/seq': String(++seq) } } }),
      },
      {
        kind: 'PATCH',
        what: 'pod annotation',
        url: () => (pod() ? `${api}/api/v1/namespaces/${NS}/pods/${pod()}` : undefined),
        body: () => ({ metadata: { annotations: { 'bench/seq': String(++seq) } } }),
      },
    ];
    const latencies: Record<Op['kind'], number[]> = { GET: [], LIST: [], PATCH: [] };
    const statuses = new Map<string, number>();
    const inflight: Promise<void>[] = [];
    const interval = 1000 / args.rate;
    const started = performance.now();
    const total = Math.round(args.seconds * args.rate);
    let lagMax = 0;
    for (let i = 0; i < total; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      lagMax = Math.max(lagMax, performance.now() - due);
      const op = ops[i % ops.length]!;
      const url = op.url();
      if (!url) continue;
      inflight.push(
        request(url, { method: op.kind === 'PATCH' ? 'PATCH' : 'GET', agent, body: op.body?.(), contentType: 'application/merge-patch+json', userAgent: 'bench-sim-load' }).then((r) => {
          latencies[op.kind].push(r.ms);
          const key = `${op.kind} ${r.status}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (op.what === 'pods by label' && r.status === 200) {
            podNames = (JSON.parse(r.body) as { items: { metadata: { name: string } }[] }).items.map((p) => p.metadata.name);
          }
        }),
      );
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - started) / 1000;
    const { report } = await watchers.report();
    const rssAfter = readRss(sim.pid);
    const cpuUsed = readCpuSeconds(sim.pid) - cpuBefore;
    const counts = (await (await fetch(`${api}/_sim/requests`)).json().catch(() => ({}))) as { total?: number };
    agent.destroy();
    void counts;

    const all = [...latencies.GET, ...latencies.LIST, ...latencies.PATCH];
    const fmt = (v: number[]) => `p50 ${percentile(v, 50).toFixed(1)} p95 ${percentile(v, 95).toFixed(1)} p99 ${percentile(v, 99).toFixed(1)} max ${Math.max(...v).toFixed(1)} ms (n=${v.length})`;
    const errors = [...statuses.entries()].filter(([k]) => !/ 2\d\d$/.test(k));
    const ev = report.eventsAfterMark.length ? report.eventsAfterMark : [0];
    const silent = report.eventsAfterMark.filter((n) => n === 0).length;
    console.log(`(a) load: ${all.length} requests in ${elapsed.toFixed(1)} s (${(all.length / elapsed).toFixed(1)}/s; scheduler lag max ${lagMax.toFixed(1)} ms), scenario bad-release, speed ${args.speed}`);
    console.log(`    sim CPU during the load ${cpuUsed.toFixed(1)} s = ${((100 * cpuUsed) / elapsed).toFixed(0)}% of one core; machine load average now ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`);
    console.log(`    all    ${fmt(all)}`);
    for (const k of ['GET', 'LIST', 'PATCH'] as const) console.log(`    ${k.padEnd(6)} ${fmt(latencies[k])}`);
    console.log(`    statuses: ${[...statuses.entries()].map(([k, v]) => `${k}:${v}`).join(' ')}${errors.length ? ' (non-2xx are 404s of pods deleted by crash loops between LIST and use)' : ''}`);
    console.log(
      `    watches: ${opened.open}/${args.watches} opened, ${report.open} still open at the end, ${report.closedEarly} closed early, ${report.errors} errors; ` +
        `events per watch during the load min ${Math.min(...ev)} median ${percentile(ev, 50)} max ${Math.max(...ev)} (${silent} watches received none)`,
    );
    console.log(`    sim RSS ${rssBefore?.rssMb.toFixed(0)} MB before the load, ${rssAfter?.rssMb.toFixed(0)} MB after (peak ${rssAfter?.peakMb.toFixed(0)} MB)`);
    return {
      p50: percentile(all, 50),
      p95: percentile(all, 95),
      p99: percentile(all, 99),
      requests: all.length,
      watchesOk: opened.open === args.watches && report.open === args.watches && report.closedEarly === 0 && silent === 0,
      watchesOpen: report.open,
      minEvents: Math.min(...ev),
      cpuPercent: (100 * cpuUsed) / elapsed,
    };
  } finally {
    await watchers.close();
    await sim.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// (b) N pods

/**
 * Deletes the HPA, scales to `pods` and waits until status.readyReplicas (or, with
 * until 'created', status.replicas) reaches it or the timeout passes. Also notes when every pod
 * object existed (status.replicas = pods).
 */
async function scaleAndWait(
  api: string,
  pods: number,
  sample: () => void,
  opts: { timeoutS: number; until?: 'ready' | 'created' },
): Promise<{ seconds: number; ready: number; created: number; createdSeconds?: number; createdRssSample?: true }> {
  const del = await request(`${api}/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/orchestrator`, { method: 'DELETE' });
  if (del.status !== 200 && del.status !== 202) throw new Error(`deleting the HPA: ${del.status} ${del.body}`);
  const t0 = performance.now();
  const scale = await request(`${api}/apis/apps/v1/namespaces/${NS}/deployments/orchestrator/scale`, {
    method: 'PATCH',
    body: { spec: { replicas: pods } },
    contentType: 'application/merge-patch+json',
  });
  if (scale.status !== 200) throw new Error(`scaling: ${scale.status} ${scale.body}`);
  let ready = 0;
  let created = 0;
  let createdSeconds: number | undefined;
  let lastPrint = performance.now();
  const deadline = t0 + opts.timeoutS * 1000;
  while (performance.now() < deadline) {
    sample();
    const r = await request(`${api}/apis/apps/v1/namespaces/${NS}/deployments/orchestrator`);
    if (r.status === 200) {
      const status = (JSON.parse(r.body) as { status?: { readyReplicas?: number; replicas?: number } }).status;
      ready = status?.readyReplicas ?? 0;
      created = status?.replicas ?? 0;
      if (created >= pods && createdSeconds === undefined) createdSeconds = (performance.now() - t0) / 1000;
      if ((opts.until === 'created' ? created : ready) >= pods) break;
    }
    if (performance.now() - lastPrint > 30_000) {
      lastPrint = performance.now();
      console.log(`    … ${created} created, ${ready}/${pods} ready after ${((performance.now() - t0) / 1000).toFixed(0)} s (GET took ${r.ms.toFixed(0)} ms)`);
    }
    await sleep(500);
  }
  return { seconds: (performance.now() - t0) / 1000, ready, created, createdSeconds };
}

async function podsPhase(args: Args, dir: string, ports: { api: number; app: number }) {
  const sim = await startSimProcess({ port: ports.api, appPort: ports.app, dir, scenario: 'healthy', speed: args.speed });
  try {
    const idle = readRss(sim.pid)!;
    let peak = idle.rssMb;
    const cpu0 = readCpuSeconds(sim.pid);
    const { seconds, ready, created, createdSeconds } = await scaleAndWait(
      sim.apiUrl,
      args.pods,
      () => {
        const r = readRss(sim.pid);
        if (r) peak = Math.max(peak, r.rssMb);
      },
      { timeoutS: args.readyTimeoutS },
    );
    const cpu = readCpuSeconds(sim.pid) - cpu0;
    await sleep(5_000);
    const settled = readRss(sim.pid)!;
    const list = await request(`${sim.apiUrl}/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dorchestrator`);
    const listMs = list.ms;
    const timedOut = ready < args.pods ? ` — NOT all ready within --ready-timeout ${args.readyTimeoutS} s` : '';
    const podCount = list.status === 200 ? (JSON.parse(list.body) as { items: unknown[] }).items.length : NaN;
    console.log(
      `(b) ${args.pods} pods (scenario healthy, speed ${args.speed}, HPA deleted, scaled through deployments/scale): all ${created} pod objects after ${createdSeconds?.toFixed(1) ?? '—'} s, readyReplicas ${ready}/${args.pods} after ${seconds.toFixed(1)} s${timedOut} (sim CPU ${cpu.toFixed(0)} s); ` +
        `sim RSS idle ${idle.rssMb.toFixed(0)} MB, ${settled.rssMb.toFixed(0)} MB with ${podCount} pods (peak while scaling ${Math.max(peak, settled.peakMb).toFixed(0)} MB, VmHWM); ` +
        `LIST of all pods ${listMs.toFixed(0)} ms (${(list.body.length / 1e6).toFixed(1)} MB JSON)`,
    );
    return { seconds, ready, created, rssMb: settled.rssMb, peakMb: Math.max(peak, settled.peakMb), idleMb: idle.rssMb };
  } finally {
    await sim.stop();
  }
}

/** Where the memory goes: idle runtimes, then the simulation in-process with heap statistics. */
async function breakdown(args: Args, dir: string, freePort: () => Promise<number>) {
  const idleRss = async (argv: string[]) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => child.stdout!.once('data', () => r()));
    await sleep(500);
    const rss = readRss(child.pid!)?.rssMb ?? NaN;
    child.kill('SIGKILL');
    return rss;
  };
  const plainNode = await idleRss(['-e', 'console.log("up"); setInterval(() => {}, 1000)']);
  const tsxNode = await idleRss(['--import', 'tsx', '-e', 'console.log("up"); setInterval(() => {}, 1000)']);
  console.log(`    breakdown: idle node ${plainNode.toFixed(0)} MB; idle node --import tsx ${tsxNode.toFixed(0)} MB (tsx loader ${(tsxNode - plainNode).toFixed(0)} MB)`);

  for (const historyLimit of [undefined, 16]) {
    const sub = fs.mkdtempSync(path.join(dir, 'heap-'));
    fs.chmodSync(sub, 0o755);
    const [api, app] = [await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'bench/lib/sim-heap-child.ts'), String(api), String(app), sub, 'healthy', String(args.speed), ...(historyLimit ? [String(historyLimit)] : [])],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => /ready/.test(d.toString()) && resolve());
        child.once('exit', (c) => reject(new Error(`heap child exited ${c}`)));
      });
      const mem = () =>
        new Promise<{ usage: NodeJS.MemoryUsage; spaces: Record<string, number> }>((resolve) => {
          child.once('message', (m: { usage: NodeJS.MemoryUsage; spaces: Record<string, number> }) => resolve(m));
          child.send({ cmd: 'mem' });
        });
      const mb = (n: number) => (n / 1048576).toFixed(0);
      const before = await mem();
      const { created, ready } = await scaleAndWait(`http://127.0.0.1:${api}`, args.pods, () => {}, { timeoutS: args.readyTimeoutS });
      await sleep(3_000);
      const after = await mem();
      const rss = readRss(child.pid!)!;
      console.log(
        `    in-process sim${historyLimit ? ` with watch history cut to ${historyLimit} changes` : ' (default watch history, 4096 changes)'}: ${created} pod objects (${ready} ready); ` +
          `after GC rss ${mb(after.usage.rss)} MB (VmHWM ${rss.peakMb.toFixed(0)}), heapUsed ${mb(after.usage.heapUsed)} MB (idle ${mb(before.usage.heapUsed)}), ` +
          `heapTotal ${mb(after.usage.heapTotal)} MB, external ${mb(after.usage.external)} MB; old space ${mb(after.spaces.old_space ?? 0)} MB, ` +
          `code ${mb(after.spaces.code_space ?? 0)} MB, large objects ${mb(after.spaces.large_object_space ?? 0)} MB`,
      );
    } finally {
      child.send({ cmd: 'stop' });
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
      stopOrphanPostgres(path.join(sub, 'sim', 'postgres'));
    }
  }
}

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sim-'));
  // The embedded Postgres runs as the postgres user when we are root.
  fs.chmodSync(dir, 0o755);
  const { freePort } = await import('../scripts/lib/embedded-postgres');
  console.log(`bench sim: ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  try {
    let a: Awaited<ReturnType<typeof loadPhase>> | undefined;
    let b: Awaited<ReturnType<typeof podsPhase>> | undefined;
    if (!args.skipLoad) {
      const d = fs.mkdtempSync(path.join(dir, 'load-'));
      fs.chmodSync(d, 0o755);
      a = await loadPhase(args, d, { api: await freePort(), app: await freePort() });
    }
    if (!args.skipPods) {
      const d = fs.mkdtempSync(path.join(dir, 'pods-'));
      fs.chmodSync(d, 0o755);
      b = await podsPhase(args, d, { api: await freePort(), app: await freePort() });
      if (args.breakdown || b.rssMb >= 300 || b.peakMb >= 300) await breakdown(args, dir, freePort);
    }
    const okA = !a || (a.p99 < 50 && a.watchesOk);
    const okB = !b || (b.ready >= args.pods && b.rssMb < 300);
    console.log(
      `SUMMARY sim: ` +
        (a ? `${args.watches} watches + ${args.rate} req/s for ${args.seconds}s: p50 ${a.p50.toFixed(1)} p95 ${a.p95.toFixed(1)} p99 ${a.p99.toFixed(1)} ms (target < 50), watches open ${a.watchesOpen}/${args.watches}, each ≥ ${a.minEvents} events, sim CPU ${a.cpuPercent.toFixed(0)}% of a core; ` : '') +
        (b ? `${args.pods} pods: ${b.ready} ready in ${b.seconds.toFixed(1)} s, RSS ${b.rssMb.toFixed(0)} MB (peak ${b.peakMb.toFixed(0)}, target < 300); ` : '') +
        (okA && okB ? 'PASS' : 'FAIL'),
    );
    if (!(okA && okB)) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.BENCH_SIM_WATCHERS === '1') watcherProcess();
