/**
 * `npm run demo`: the whole console on one machine with no configuration.
 *
 *   PostgreSQL (embedded, data in .data/pg, reused; DATABASE_URL wins when set)
 *   → migrations → the four demo users → the simulated cluster (unless KUBECONFIG is set)
 *   → Prometheus scraping the simulated application (when a `prometheus` binary is on PATH)
 *   → `next build` when the build is missing or older than the sources → `next start` on PORT.
 *
 * Ctrl-C (or SIGTERM) stops everything it started. Figures are printed for each step.
 * Environment (all optional): PORT (3000), DATABASE_URL, DEMO_PASSWORD, KUBECONFIG, KUBE_CONTEXT,
 * PROMETHEUS_URL, NEXTAUTH_SECRET, DEMO_SCENARIO (bad-release), DEMO_SPEED (1).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { startEmbeddedPostgres, freePort, type RunningPostgres } from './lib/embedded-postgres';
import { changedAppliedMigrations, migrateDatabase, pendingMigrations, resetConsoleSchema } from './lib/migrate';
import { ROOT } from './lib/prisma-cli';
import { DEMO_USERS, seedDemoUsers } from './lib/seed';

const DATA = path.join(ROOT, '.data');
const NEXT_BIN = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const CONSOLE_DB = 'rollback_console';
const APP_DB = 'orchestrator';

const started = Date.now();
const figures: Array<[string, number]> = [];
const cleanups: Array<{ name: string; run: () => Promise<void> | void }> = [];
let stopping = false;

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[22m` : s);

function secondsSince(t: number): string {
  return `${((Date.now() - t) / 1000).toFixed(1)} s`;
}

/** Runs one start-up step with a progress line and its duration. */
async function step<T>(label: string, fn: () => Promise<T>, done?: (value: T) => string): Promise<T> {
  const t = Date.now();
  process.stdout.write(`• ${label}…\n`);
  const value = await fn();
  const seconds = (Date.now() - t) / 1000;
  figures.push([label, seconds]);
  process.stdout.write(`  ${dim(`${done ? `${done(value)} ` : ''}(${seconds.toFixed(1)} s)`)}\n`);
  return value;
}

function onStop(name: string, run: () => Promise<void> | void): void {
  cleanups.push({ name, run });
}

async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  process.stdout.write(`\nStopping ${cleanups.map((c) => c.name).reverse().join(', ') || 'nothing'}…\n`);
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup.run();
    } catch (error) {
      process.stderr.write(`  could not stop ${cleanup.name}: ${(error as Error).message}\n`);
    }
  }
  process.stdout.write('Stopped.\n');
  process.exit(code);
}

/** Starts a child in its own process group, so stopping it also stops anything it spawned. */
function startChild(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; log?: fs.WriteStream; prefix?: string; onLine?: (line: string) => void },
): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    if (options.log) stream.pipe(options.log);
    else
      readline.createInterface({ input: stream }).on('line', (line) => {
        options.onLine?.(line);
        process.stdout.write(`${options.prefix ?? ''}${line}\n`);
      });
  }
  return child;
}

/** SIGTERM to the child's process group, SIGKILL after `graceMs`. */
function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
    const pid = child.pid;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      // Anything left in its group (a worker that ignored SIGTERM) goes too.
      kill('SIGKILL');
      resolve();
    });
    kill('SIGTERM');
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`${what} exited (code ${child.exitCode ?? child.signalCode})`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A secret kept in .data/<file> (0600) so restarts reuse it: created on first use. */
function persistedSecret(file: string, make: () => string): { value: string; created: boolean } {
  const full = path.join(DATA, file);
  if (fs.existsSync(full)) {
    const value = fs.readFileSync(full, 'utf8').trim();
    if (value) return { value, created: false };
  }
  const value = make();
  fs.writeFileSync(full, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
}

/** The newest modification time under the app's sources (not generated code). */
function newestSourceTime(): number {
  const roots = ['app', 'components', 'lib', 'public', 'prisma/schema.prisma', 'next.config.js', 'package.json', 'package-lock.json', 'tsconfig.json', 'postcss.config.mjs', 'middleware.ts', 'proxy.ts'];
  const skip = new Set([path.join(ROOT, 'lib', 'generated')]);
  let newest = 0;
  const visit = (p: string) => {
    if (skip.has(p)) return;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const r of roots) visit(path.join(ROOT, r));
  return newest;
}

function buildIsCurrent(): { current: boolean; reason: string } {
  const buildId = path.join(ROOT, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return { current: false, reason: 'no build yet' };
  if (fs.statSync(buildId).mtimeMs < newestSourceTime()) return { current: false, reason: 'sources changed since the last build' };
  return { current: true, reason: '' };
}

function randomPassword(): string {
  // Readable: no 0/O/1/l confusion; 4 groups of 4 ≈ 90 bits.
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(signal === 'SIGINT' ? 0 : 143));

  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT must be a port number, not "${process.env.PORT}"`);
  console.log(bold('Rollback Console demo'));
  if (!(await portIsFree(port))) {
    throw new Error(`Port ${port} is already in use (another demo still running?). Stop it, or choose another: PORT=3001 npm run demo`);
  }
  fs.mkdirSync(DATA, { recursive: true, mode: 0o755 });

  // 1. PostgreSQL
  let consoleUrl = process.env.DATABASE_URL;
  let pg: RunningPostgres | undefined;
  if (consoleUrl) {
    console.log(`• Using the database in DATABASE_URL`);
  } else {
    pg = await step(
      'Starting PostgreSQL (embedded, data in .data/pg)',
      () => startEmbeddedPostgres({ dataDir: path.join(DATA, 'pg') }),
      (s) => `listening on 127.0.0.1:${s.port}`,
    );
    const server = pg;
    onStop('PostgreSQL', () => server.stop());
    await server.createDatabase(CONSOLE_DB);
    await server.createDatabase(APP_DB);
    consoleUrl = server.urlFor(CONSOLE_DB);
  }

  // 2. Migrations
  const databaseUrl = consoleUrl;
  await step(
    'Applying database migrations',
    async () => {
      const changed = await changedAppliedMigrations(databaseUrl);
      if (changed.length > 0) {
        if (!pg) {
          throw new Error(
            `Migration(s) ${changed.join(', ')} changed after they were applied to DATABASE_URL; this demo will not reset a database it did not create.`,
          );
        }
        console.log(`  ${changed.join(', ')} changed since the demo database was created: resetting the console's tables`);
        await resetConsoleSchema(databaseUrl);
      } else if ((await pendingMigrations(databaseUrl)).length === 0) {
        return { applied: [] }; // nothing to do: skip the Prisma CLI (a few seconds)
      }
      return migrateDatabase(databaseUrl);
    },
    (r) => (r.applied.length ? `applied ${r.applied.join(', ')}` : 'up to date'),
  );

  // 3. Demo users
  let password = process.env.DEMO_PASSWORD;
  let passwordNote = 'from DEMO_PASSWORD';
  if (!password) {
    const stored = persistedSecret('demo-password', randomPassword);
    password = stored.value;
    passwordNote = stored.created ? 'generated, kept in .data/demo-password' : 'from .data/demo-password';
  }
  const demoPassword = password;
  await step('Creating the demo users', () => seedDemoUsers({ password: demoPassword, databaseUrl }), (users) => {
    const changed = users.filter((u) => u.change !== 'unchanged').length;
    return changed ? `${changed} created or updated` : 'already there';
  });
  // A resolved example incident, so the stakeholder view and the exports can be explored at once.
  process.env.DATABASE_URL = databaseUrl;
  const { seedExampleIncident } = await import('./lib/seed-example-incident');
  await step('Adding the worked example incident', () => seedExampleIncident({ commanderEmail: 'commander@demo.local' }), (r) =>
    r.created ? `${r.key} with ${r.events} timeline events` : `${r.key} already there`,
  );

  // 4. The cluster
  const nextEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, DEMO_MODE: 'true', NODE_ENV: 'production' };
  let scrapeTarget: string | undefined;
  let clusterNote: string;
  if (process.env.KUBECONFIG) {
    clusterNote = `KUBECONFIG ${process.env.KUBECONFIG}${process.env.KUBE_CONTEXT ? ` (context ${process.env.KUBE_CONTEXT})` : ''}`;
    console.log(`• Using the cluster in ${clusterNote}`);
  } else {
    const simDir = path.join(DATA, 'sim');
    fs.mkdirSync(simDir, { recursive: true, mode: 0o755 });
    const { startSimulation } = await import('../sim');
    const scenario = (process.env.DEMO_SCENARIO ?? 'bad-release') as 'bad-release';
    const sim = await step(
      `Starting the simulated cluster (scenario ${scenario})`,
      () =>
        startSimulation({
          port: 0,
          appPort: 0,
          scenario,
          speed: Number(process.env.DEMO_SPEED ?? 1),
          dataDir: simDir,
          kubeconfigPath: path.join(simDir, 'kubeconfig'),
          backupDir: path.join(simDir, 'backups'),
          databaseUrl: pg?.urlFor(APP_DB),
        }),
      (s) => `API ${s.apiUrl}, application ${s.appUrl}`,
    );
    onStop('simulated cluster', () => sim.stop());
    Object.assign(nextEnv, {
      KUBECONFIG: sim.kubeconfigPath,
      KUBE_CONTEXT: 'sim',
      TARGET_APP_URL: sim.appUrl,
      TARGET_DATABASE_URL: sim.databaseUrl,
      BACKUP_DIR: sim.backupDir,
    });
    scrapeTarget = new URL(sim.appUrl).host;
    clusterNote = `simulated, kubectl: KUBECONFIG=${path.relative(process.cwd(), sim.kubeconfigPath) || sim.kubeconfigPath} kubectl get pods -n llm-orchestrator`;
  }

  // 5. Prometheus
  let prometheusNote: string;
  if (process.env.PROMETHEUS_URL) {
    prometheusNote = process.env.PROMETHEUS_URL;
  } else if (!scrapeTarget) {
    prometheusNote = 'not started (set PROMETHEUS_URL for charts of a real cluster)';
  } else if (spawnSync('sh', ['-c', 'command -v prometheus'], { stdio: 'ignore' }).status !== 0) {
    prometheusNote = 'not installed: charts are off (apt-get install prometheus, then restart the demo)';
    console.log(`• Prometheus: ${prometheusNote}`);
  } else {
    const target = scrapeTarget;
    const promUrl = await step('Starting Prometheus (scraping the simulated application every 5 s)', async () => {
      const dir = path.join(DATA, 'prometheus');
      fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
      const config = path.join(dir, 'prometheus.yml');
      fs.writeFileSync(
        config,
        [
          '# Written by npm run demo at every start.',
          'global:',
          '  scrape_interval: 5s',
          '  evaluation_interval: 5s',
          'scrape_configs:',
          '  - job_name: orchestrator',
          '    metrics_path: /metrics',
          '    static_configs:',
          `      - targets: ['${target}']`,
          "        labels: { namespace: 'llm-orchestrator', app: 'orchestrator' }",
          '',
        ].join('\n'),
      );
      const promPort = await freePort();
      const log = fs.createWriteStream(path.join(dir, 'prometheus.log'), { flags: 'a' });
      const child = startChild(
        'prometheus',
        [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--storage.tsdb.retention.time=2d'],
        { env: process.env, log },
      );
      onStop('Prometheus', () => stopChild(child));
      const url = `http://127.0.0.1:${promPort}`;
      await waitFor('Prometheus', async () => (await fetch(`${url}/-/ready`)).ok, 30_000, child);
      return url;
    }, (url) => `${url} (log in .data/prometheus/prometheus.log)`);
    nextEnv.PROMETHEUS_URL = promUrl;
    prometheusNote = promUrl;
  }

  // 6. next-auth
  const appUrl = `http://localhost:${port}`;
  nextEnv.NEXTAUTH_URL = process.env.NEXTAUTH_URL ?? appUrl;
  nextEnv.NEXTAUTH_SECRET = process.env.NEXTAUTH_SECRET ?? persistedSecret('nextauth-secret', () => randomBytes(32).toString('base64url')).value;
  nextEnv.PORT = String(port);

  // 7. Build when needed
  const build = buildIsCurrent();
  if (build.current) {
    console.log(`• The build in .next is up to date`);
  } else {
    await step(`Building the console (next build: ${build.reason}; a minute or more)`, async () => {
      const buildEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
      for (let attempt = 0; ; attempt++) {
        let output = '';
        const child = startChild(process.execPath, [NEXT_BIN, 'build'], {
          env: buildEnv,
          prefix: dim('  build │ '),
          onLine: (line) => (output += `${line}\n`),
        });
        const cleanup = { name: 'next build', run: () => stopChild(child, 1000) };
        cleanups.push(cleanup);
        const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
        cleanups.splice(cleanups.indexOf(cleanup), 1);
        if (code === 0) return;
        // Next refuses to run two builds in one folder: wait for the other one (up to 5 minutes).
        if (output.includes('Another next build process is already running') && attempt < 60) {
          if (attempt === 0) console.log('  another `next build` is running in this folder; waiting for it to finish');
          await new Promise((r) => setTimeout(r, 5000));
          continue;
        }
        throw new Error(`next build failed (exit ${code}); see the output above`);
      }
    });
  }

  // 8. Serve
  const server = await step(`Starting the console on port ${port}`, async () => {
    const child = startChild(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
      env: { ...nextEnv, NEXT_TELEMETRY_DISABLED: '1' },
      prefix: dim('  next │ '),
    });
    onStop('the console (next start)', () => stopChild(child));
    await waitFor(
      'The console',
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/signin`, { redirect: 'manual' });
        return res.status < 500;
      },
      120_000,
      child,
    );
    return child;
  });
  server.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`The console (next start) exited unexpectedly (${code ?? signal}).`);
    void stopAll(1);
  });

  const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
  console.log('');
  console.log(bold(`Rollback Console is ready at ${appUrl}`) + dim(`  (${secondsSince(started)} from start)`));
  console.log('');
  console.log(`Sign in as (password ${bold(demoPassword)}, ${passwordNote}):`);
  for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(width)}  ${user.role}`);
  console.log('');
  console.log(`Cluster:    ${clusterNote}`);
  console.log(`Prometheus: ${prometheusNote}`);
  console.log(dim(`Steps: ${figures.map(([label, s]) => `${label.split(' (')[0]} ${s.toFixed(1)} s`).join(' · ')}`));
  console.log('');
  console.log('Press Ctrl-C to stop everything.');
}

main().catch(async (error: unknown) => {
  console.error(`\nThe demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
});
