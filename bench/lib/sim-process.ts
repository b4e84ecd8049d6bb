/**
 * Helpers shared by the benchmarks: the simulated cluster in its own process (so its RSS can be
 * read from /proc), RSS readings, percentiles and small HTTP helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile (NaN for no values). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** VmRSS and VmHWM (peak) of a process in MB, from /proc/<pid>/status. */
export function readRss(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function readCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Direct children of a process (Linux), to find the real node process behind the tsx CLI. */
export function childPids(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export type SimProcess = {
  apiUrl: string;
  appUrl: string;
  kubeconfigPath: string;
  /** The node process that runs the simulation (its RSS is the simulation's). */
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
};

/**
 * The heap cap of `npm run sim` (package.json): with it V8 collects the pod churn of a large
 * scenario instead of growing its heap (5,000 pods: about 275 MB RSS instead of 380 MB; the live
 * heap is about 120 MB).
 */
export const SIM_NODE_ARGS = ['--max-old-space-size=192'];

/**
 * Starts `sim/main.ts` in its own process and waits for its `ready` line.
 * launcher 'node-import' = `node --import tsx sim/main.ts` (one process: the pid is the sim);
 * 'tsx-cli' = `tsx sim/main.ts` (the tsx CLI process spawns node; the pid reported is that child).
 */
export async function startSimProcess(opts: {
  port: number;
  appPort: number;
  dir: string;
  scenario?: string;
  speed?: number;
  launcher?: 'node-import' | 'tsx-cli';
  nodeArgs?: string[];
}): Promise<SimProcess> {
  const kubeconfigPath = path.join(opts.dir, 'kubeconfig');
  const simArgs = [
    path.join(ROOT, 'sim/main.ts'),
    '--port', String(opts.port),
    '--app-port', String(opts.appPort),
    '--kubeconfig', kubeconfigPath,
    '--scenario', opts.scenario ?? 'bad-release',
    '--speed', String(opts.speed ?? 1),
    '--data-dir', path.join(opts.dir, 'sim'),
  ];
  const launcher = opts.launcher ?? 'node-import';
  const argv =
    launcher === 'node-import'
      ? [...(opts.nodeArgs ?? SIM_NODE_ARGS), '--import', 'tsx', ...simArgs]
      : [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), ...simArgs];
  const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ready/.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the simulation exited (${code}) before it was ready:\n${out}\n${stderr}`)));
  });
  let pid = child.pid!;
  if (launcher === 'tsx-cli') {
    const [inner] = childPids(pid);
    if (inner) pid = inner;
  }
  return {
    apiUrl: `http://127.0.0.1:${opts.port}`,
    appUrl: `http://127.0.0.1:${opts.appPort}`,
    kubeconfigPath,
    pid,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          // A simulation whose event loop is saturated never runs its SIGTERM handler.
          const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        });
      }
      stopOrphanPostgres(path.join(opts.dir, 'sim', 'postgres'));
    },
  };
}

/**
 * After a SIGKILL the simulation's embedded Postgres is left running: stop it (fast shutdown)
 * by the pid in its postmaster.pid. Nothing happens when the server already stopped.
 */
export function stopOrphanPostgres(dataDir: string): void {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGINT');
  } catch {
    // no pid file or no such process: already stopped
  }
}

/** One HTTP request; resolves with status, body and elapsed milliseconds (never rejects). */
export function request(
  url: string,
  opts: { method?: string; body?: unknown; contentType?: string; agent?: http.Agent; userAgent?: string } = {},
): Promise<{ status: number; body: string; ms: number; error?: string }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const req = http.request(
      url,
      {
        method: opts.method ?? 'GET',
        agent: opts.agent,
        headers: {
          'user-agent': opts.userAgent ?? 'bench',
          accept: 'application/json',
          ...(payload !== undefined ? { 'content-type': opts.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - t0 }));
        res.on('error', (e) => resolve({ status: 0, body, ms: performance.now() - t0, error: e.message }));
      },
    );
    req.on('error', (e) => resolve({ status: 0, body: '', ms: performance.now() - t0, error: e.message }));
    req.end(payload);
  });
}

/** `--name value` from argv, else the fallback. */
export function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
