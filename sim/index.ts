/**
 * The simulated cluster as one call: the API server (sim/api) over one Store, the controllers and
 * the scenario (sim/controllers, sim/scenarios), the simulated application (sim/app) and its real
 * PostgreSQL database, and a kubeconfig with context `sim`.
 * @see ../shared/design/SIMULATOR.md (in the team's shared folder)
 */
import path from 'node:path';
import { Store } from './store';
import { LogBook } from './logs';
import { createClock } from './clock';
import { createApiServer } from './api/server';
import { databaseExecResolver } from './api/exec';
import { startControllers, type Controllers } from './controllers';
import { startApp } from './app';
import { loadScenario, isScenarioName, type ScenarioName } from './scenarios';
import { writeKubeconfig } from './kubeconfig';
import { startEmbeddedPostgres, type RunningPostgres } from '../scripts/lib/embedded-postgres';

export type SimulationOptions = {
  /** API port; 0 (default) picks a free one. */
  port?: number;
  /** Application port; default API port + 1 (0 picks a free one). */
  appPort?: number;
  scenario?: ScenarioName;
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  /** The application's database (a superuser URL is fine); default: an embedded Postgres in dataDir. */
  databaseUrl?: string;
  /** Where the scenario's backup files go; default dataDir/backups. */
  backupDir?: string;
  /** Where the kubeconfig is written; default dataDir/kubeconfig. */
  kubeconfigPath?: string;
  /** Working folder (embedded Postgres, default backups and kubeconfig); default .sim in the cwd. */
  dataDir?: string;
  /** Interval of watch bookmarks (default 15 s). */
  bookmarkIntervalMs?: number;
};

export type Simulation = {
  apiUrl: string;
  appUrl: string;
  kubeconfigPath: string;
  /** The application's database. */
  databaseUrl: string;
  backupDir: string;
  store: Store;
  logs: LogBook;
  /** Reloads a scenario (default: the current one) from scratch. */
  reset(scenario?: ScenarioName): Promise<void>;
  stop(): Promise<void>;
};

/** Starts the simulated cluster; resolves once the API accepts requests. */
export async function startSimulation(opts: SimulationOptions = {}): Promise<Simulation> {
  const dataDir = path.resolve(opts.dataDir ?? '.sim');
  const backupDir = path.resolve(opts.backupDir ?? path.join(dataDir, 'backups'));
  const kubeconfigPath = path.resolve(opts.kubeconfigPath ?? path.join(dataDir, 'kubeconfig'));
  let scenario: ScenarioName = opts.scenario ?? 'bad-release';
  if (!isScenarioName(scenario)) throw new Error(`unknown scenario "${scenario}"`);
  const clock = createClock({ speed: opts.speed ?? 1 });
  const store = new Store();
  const logs = new LogBook();

  let postgres: RunningPostgres | undefined;
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres') });
    await postgres.createDatabase('orchestrator');
    databaseUrl = postgres.urlFor('orchestrator');
  }

  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    await loadScenario(store, scenario, { clock, backupDir, databaseUrl });
    let controllers: Controllers = startControllers({ store, clock, logs, scenario });
    cleanups.push(() => controllers.stop());

    let resetting: Promise<void> = Promise.resolve();
    const reset = (next?: ScenarioName | string) => {
      // Resets run one after another; a failed one does not block the next.
      resetting = resetting.catch(() => {}).then(async () => {
        const name = next ?? scenario;
        if (!isScenarioName(name)) throw new Error(`unknown scenario "${name}"`);
        controllers.stop();
        store.clear();
        logs.clear();
        await loadScenario(store, name, { clock, backupDir, databaseUrl });
        scenario = name;
        controllers = startControllers({ store, clock, logs, scenario });
      });
      return resetting;
    };

    const exec = databaseExecResolver({ databaseUrl, isDatabasePod: (pod) => pod.metadata.labels?.app === 'postgres' });
    const api = createApiServer({ store, logs, exec, onReset: (s) => reset(s), bookmarkIntervalMs: opts.bookmarkIntervalMs });
    const port = await api.listen(opts.port ?? 0);
    cleanups.push(() => api.close());
    const apiUrl = `http://127.0.0.1:${port}`;
    writeKubeconfig(kubeconfigPath, { server: apiUrl });

    // The simulated application (sim/app) on appPort: health, workflows into databaseUrl, metrics.
    const app = await startApp({ store, clock, logs, port: opts.appPort ?? port + 1, databaseUrl, backupDir });
    cleanups.push(() => app.stop());
    const appUrl = app.url;

    let stopped = false;
    return {
      apiUrl,
      appUrl,
      kubeconfigPath,
      databaseUrl,
      backupDir,
      store,
      logs,
      reset: (s) => reset(s),
      async stop() {
        if (stopped) return;
        stopped = true;
        await resetting.catch(() => {});
        for (const c of cleanups.reverse()) await c();
        clock.stop();
        await postgres?.stop();
      },
    };
  } catch (err) {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
    clock.stop();
    await postgres?.stop().catch(() => {});
    throw err;
  }
}

export { Store } from './store';
export { LogBook } from './logs';
export type { KubeObject, WatchEvent } from './store';
