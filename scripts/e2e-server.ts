/**
 * The whole stack for the browser tests, in one process tree:
 * embedded Postgres (fresh data dir, migrated, demo users seeded) → the simulated cluster
 * (scenario bad-release, sped up) → Prometheus when installed → `next build` if `.next` is stale
 * → `next start` on 127.0.0.1:PORT. Playwright's `webServer` runs it (playwright.config.ts);
 * you can also run it by hand and point Playwright at it:
 *
 *   npx tsx --conditions=react-server scripts/e2e-server.ts --port 4010
 *   E2E_PORT=4010 npx playwright test tests/e2e/auth.spec.ts
 *
 * It writes `.test-data/e2e-<port>/stack.json` ({ baseURL, databaseUrl, simApiUrl, appUrl,
 * kubeconfigPath, password }) for the specs, prints `e2e stack ready at <url>`, and stops
 * everything it started on SIGINT/SIGTERM, deleting that folder (E2E_KEEP_DATA=1 keeps it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from './lib/embedded-postgres';
import { migrateDatabase } from './lib/migrate';
import { seedDemoUsers } from './lib/seed';
import { findPrometheusBinary, startPrometheus, type RunningPrometheus } from './lib/prometheus';

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** Password of the four seeded demo users in e2e runs. */
export const E2E_PASSWORD = process.env.E2E_PASSWORD ?? 'e2e-demo-password';

const log = (message: string) => console.log(`[e2e-server] ${message}`);

async function main(): Promise<void> {
  const port = Number(argValue('--port') ?? process.env.E2E_PORT ?? (await freePort()));
  const speed = Number(argValue('--speed') ?? process.env.E2E_SIM_SPEED ?? 20);
  const dir = path.join(root, '.test-data', `e2e-${port}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });

  const stops: Array<() => Promise<void> | void> = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error('[e2e-server] stop failed:', error);
      }
    }
    // The run's databases and cached sessions are throwaway (E2E_KEEP_DATA=1 keeps them to debug).
    if (process.env.E2E_KEEP_DATA !== '1') fs.rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const t0 = Date.now();
    const pg: RunningPostgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
    stops.push(() => pg.stop());
    await pg.createDatabase('console');
    await pg.createDatabase('targetapp');
    const databaseUrl = pg.urlFor('console');
    log(`postgres on ${pg.port} (${Date.now() - t0} ms)`);

    // Migrations and the demo users, through the same modules `npm run demo` uses.
    await migrateDatabase(databaseUrl);
    await seedDemoUsers({ databaseUrl, password: E2E_PASSWORD });
    log(`migrated and seeded (${Date.now() - t0} ms)`);

    const { startSimulation } = await import('../sim');
    const sim = await startSimulation({
      port: 0,
      scenario: 'bad-release',
      speed,
      databaseUrl: pg.urlFor('targetapp'),
      dataDir: path.join(dir, 'sim'),
      backupDir: path.join(dir, 'backups'),
      kubeconfigPath: path.join(dir, 'kubeconfig'),
    });
    stops.push(() => sim.stop());
    log(`simulated cluster at ${sim.apiUrl}, app at ${sim.appUrl} (speed ${speed})`);

    let prometheus: RunningPrometheus | undefined;
    if (findPrometheusBinary()) {
      prometheus = await startPrometheus({ scrapeUrl: `${sim.appUrl}/metrics`, dataDir: path.join(dir, 'prometheus') });
      stops.push(() => prometheus?.stop());
      log(`prometheus at ${prometheus.url}`);
    }

    buildIfStale();
    const distDir = privateBuildCopy(port);
    stops.push(() => fs.rmSync(path.join(root, distDir), { recursive: true, force: true }));

    const baseURL = `http://127.0.0.1:${port}`;
    const serverEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
      KUBECONFIG: sim.kubeconfigPath,
      KUBE_CONTEXT: 'sim',
      TARGET_APP_URL: sim.appUrl,
      TARGET_DATABASE_URL: sim.databaseUrl,
      BACKUP_DIR: sim.backupDir,
      DEMO_MODE: 'true',
      CLOCK_SPEED: String(speed),
      NEXT_DIST_DIR: distDir,
      ...(prometheus ? { PROMETHEUS_URL: prometheus.url } : {}),
    };
    // Deliberately a different host name from the one the tests browse (127.0.0.1): sign-in and
    // sign-out must work whichever of localhost / 127.0.0.1 people type, whatever NEXTAUTH_URL says.
    serverEnv.NEXTAUTH_URL = `http://localhost:${port}`;
    delete serverEnv.AUTH_TRUST_HOST;
    const next: ChildProcess = spawn(
      process.execPath,
      [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '--port', String(port), '--hostname', '127.0.0.1'],
      { cwd: root, env: serverEnv, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          if (next.exitCode !== null) return resolve();
          next.once('exit', () => resolve());
          next.kill('SIGTERM');
          setTimeout(() => next.kill('SIGKILL'), 5_000).unref();
        }),
    );
    next.once('exit', (code) => {
      if (!stopping) {
        console.error(`[e2e-server] next start exited (${code})`);
        void stopAll(1);
      }
    });
    await waitForHttp(`${baseURL}/signin`, 120_000);

    fs.writeFileSync(
      path.join(dir, 'stack.json'),
      JSON.stringify(
        { baseURL, distDir, databaseUrl, simApiUrl: sim.apiUrl, appUrl: sim.appUrl, kubeconfigPath: sim.kubeconfigPath, password: E2E_PASSWORD, prometheusUrl: prometheus?.url },
        null,
        2,
      ),
    );
    log(`e2e stack ready at ${baseURL} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error('[e2e-server] failed to start:', error);
    await stopAll(1);
  }
}

/** Newest modification time under the paths a build depends on. */
function newestSourceMtime(): number {
  let newest = 0;
  const visit = (p: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      if (['node_modules', 'generated', '.next'].includes(path.basename(p))) return;
      for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of ['app', 'components', 'lib', 'public', 'next.config.js', 'postcss.config.mjs', 'package.json', 'tsconfig.json']) visit(path.join(root, p));
  return newest;
}

/**
 * Runs `next build` unless `.next` is newer than every source file (E2E_REUSE_BUILD=1 reuses any
 * existing build). Type checking is left to `npm test`'s `tsc` step: the build runs in Next's
 * compile + generate modes, which are the normal build minus its type check, so a type error
 * elsewhere does not hide browser failures (and the build is ~40 s faster on 2 cores).
 * Serialized with a lock file so two test runs never build into the same `.next` at once.
 */
function buildIfStale(): void {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  const usable = () =>
    fs.existsSync(buildId) && (process.env.E2E_REUSE_BUILD === '1' || fs.statSync(buildId).mtimeMs > newestSourceMtime());
  // Another run may be building right now: wait for it, then its build may be fresh enough.
  spawnSync('flock', ['/tmp/next-build.lock', 'true']);
  if (usable()) {
    log('reusing .next');
    return;
  }
  const started = Date.now();
  log('building (next build, compile + generate)…');
  for (const mode of ['compile', 'generate']) {
    // Another `next build` (e.g. `npm run demo`) holds Next's own lock: wait for it, up to 5 min.
    for (let attempt = 0; ; attempt++) {
      const result = spawnSync(
        'flock',
        ['/tmp/next-build.lock', process.execPath, path.join(root, 'node_modules/next/dist/bin/next'), 'build', `--experimental-build-mode=${mode}`],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' } },
      );
      const output = `${result.stdout?.toString() ?? ''}${result.stderr?.toString() ?? ''}`;
      if (result.status === 0) break;
      if (output.includes('Another next build process is already running') && attempt < 60) {
        if (attempt === 0) log('another next build is running; waiting for it');
        spawnSync('sleep', ['5']);
        continue;
      }
      process.stderr.write(output);
      throw new Error(`next build (${mode}) failed (exit ${result.status})`);
    }
  }
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Copies the build (without its cache and types) to `.next-e2e-<port>`, at the same depth as
 * `.next` so Turbopack's relative node_modules links still resolve, and returns its name for
 * NEXT_DIST_DIR (next.config.js). Taken under the build lock, so never half a build.
 */
function privateBuildCopy(port: number): string {
  const name = `.next-e2e-${port}`;
  const target = path.join(root, name);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target);
  const result = spawnSync(
    'flock',
    ['/tmp/next-build.lock', 'sh', '-c', `tar -C .next --exclude=./cache --exclude=./types -cf - . | tar -C '${name}' -xf -`],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.status !== 0 || !fs.existsSync(path.join(target, 'BUILD_ID'))) throw new Error('could not copy the build from .next');
  return name;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

void main();
