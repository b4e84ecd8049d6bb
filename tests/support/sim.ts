/**
 * The simulated cluster for tests: `startSim(opts)` is `startSimulation` with free ports, a
 * temporary folder (kubeconfig, backups) and, when the test project provides one, the test
 * Postgres (a fresh database per simulation, dropped on stop). `kubectl(sim, args)` runs real
 * kubectl (`KUBECTL`, default /usr/bin/kubectl) against it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { startSimulation, type Simulation, type SimulationOptions } from '@/sim';
import { freePort } from '@/scripts/lib/embedded-postgres';

export type TestSim = Simulation & { dir: string };

/** The kubectl binary tests run: `KUBECTL` or /usr/bin/kubectl. */
export const KUBECTL = process.env.KUBECTL || '/usr/bin/kubectl';
/** Another kubectl version to run a subset against. */
export const KUBECTL_OLD = '/usr/lib/google-cloud-sdk/bin/kubectl.1.28';

function providedDatabaseUrl(): string | undefined {
  try {
    return (inject as (k: string) => string | undefined)('databaseUrl') || undefined;
  } catch {
    return undefined;
  }
}

export async function startSim(opts: SimulationOptions = {}): Promise<TestSim> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-test-'));
  // As root, the embedded Postgres runs as the `postgres` user, which must be able to enter it.
  fs.chmodSync(dir, 0o755);
  let databaseUrl = opts.databaseUrl;
  let drop: (() => Promise<void>) | undefined;
  const server = databaseUrl ? undefined : providedDatabaseUrl();
  if (server) {
    const name = `sim_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const u = new URL(server);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    };
  }
  let sim: Simulation;
  try {
    sim = await startSimulation({
      ...opts,
      port: opts.port ?? (await freePort()),
      appPort: opts.appPort ?? (await freePort()),
      databaseUrl,
      dataDir: opts.dataDir ?? dir,
      backupDir: opts.backupDir ?? path.join(dir, 'backups'),
      kubeconfigPath: opts.kubeconfigPath ?? path.join(dir, 'kubeconfig'),
    });
  } catch (err) {
    await drop?.().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...sim,
    dir,
    async stop() {
      await sim.stop();
      await drop?.().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type KubectlRun = { code: number; stdout: string; stderr: string };

/** Runs kubectl against the simulation; never throws on a non-zero exit. */
export function kubectl(
  sim: Pick<Simulation, 'kubeconfigPath'>,
  args: string[],
  options: { input?: string; bin?: string; timeoutMs?: number; onStdout?: (chunk: string) => void } = {},
): Promise<KubectlRun> & { kill(): void } {
  const child = spawn(options.bin ?? KUBECTL, args, {
    // The discovery/OpenAPI cache lives next to the kubeconfig, so it goes away with the simulation.
    env: { ...process.env, KUBECONFIG: sim.kubeconfigPath, KUBECACHEDIR: path.join(path.dirname(sim.kubeconfigPath), 'kubecache') },
  });
  const p = new Promise<KubectlRun>((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      options.onStdout?.(String(d));
    });
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input);
  });
  return Object.assign(p, { kill: () => void child.kill('SIGTERM') });
}
