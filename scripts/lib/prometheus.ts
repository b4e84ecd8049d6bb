/**
 * Starts Debian's `prometheus` binary (apt-get install prometheus) scraping one `/metrics`
 * endpoint, for the demo, CI and the metrics integration test. Short scrape and evaluation
 * intervals so a fast simulation shows its error rate within seconds.
 *
 * `const prom = await startPrometheus({ scrapeUrl: sim.appUrl + '/metrics', dataDir })`
 * then `prom.url` is the PROMETHEUS_URL; `await prom.stop()`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './embedded-postgres';

export type RunningPrometheus = { url: string; port: number; stop(): Promise<void> };

/** Where the binary is, or undefined when Prometheus is not installed. */
export function findPrometheusBinary(): string | undefined {
  const fromEnv = process.env.PROMETHEUS_BIN;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  const which = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found ? found : undefined;
}

export async function startPrometheus(options: {
  /** Full URL of the metrics endpoint, e.g. http://127.0.0.1:7444/metrics. */
  scrapeUrl: string;
  /** Folder for the generated config and the TSDB (created; reused across runs). */
  dataDir: string;
  /** 0/undefined = a free port. */
  port?: number;
  /** Seconds between scrapes (2-5 is right for the simulation). */
  scrapeIntervalSeconds?: number;
  /** Log Prometheus' own output (stderr) to the console. */
  verbose?: boolean;
}): Promise<RunningPrometheus> {
  const binary = findPrometheusBinary();
  if (!binary) {
    throw new Error(
      'prometheus is not installed: apt-get install -y --no-install-recommends prometheus (or set PROMETHEUS_BIN)',
    );
  }
  const target = new URL(options.scrapeUrl);
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(path.join(dataDir, 'tsdb'), { recursive: true });
  const port = options.port || (await freePort());
  const interval = `${options.scrapeIntervalSeconds ?? 2}s`;
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    `  scrape_timeout: ${interval}`,
    'scrape_configs:',
    '  - job_name: orchestrator',
    `    scheme: ${target.protocol.replace(':', '')}`,
    `    metrics_path: ${JSON.stringify(target.pathname || '/metrics')}`,
    '    static_configs:',
    `      - targets: [${JSON.stringify(target.host)}]`,
    '',
  ].join('\n');
  const configPath = path.join(dataDir, 'prometheus.yml');
  fs.writeFileSync(configPath, config);

  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${path.join(dataDir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1d',
      // The simulation's clock runs fast: look back only a little for stale series.
      '--query.lookback-delta=1m',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', options.verbose ? 'inherit' : 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (exited) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
      }, 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`prometheus exited during start-up:\n${stderr}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready within 20 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, stop };
}
