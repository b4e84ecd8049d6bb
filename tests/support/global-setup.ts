/**
 * Vitest globalSetup of the integration and kubectl projects: ONE embedded Postgres for the run
 * (data under .test-data/pg-<random>, removed at teardown), provided to tests as `databaseUrl`
 * (superuser URL of the `postgres` database) and exported as TEST_PG_URL for child processes.
 * Tests get their own databases from it with createTestDatabase() (tests/support/db.ts).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type RunningPostgres } from '../../scripts/lib/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the `postgres` database on the run's embedded Postgres. */
    databaseUrl: string;
  }
}

type Shared = { server: Promise<{ pg: RunningPostgres; dataDir: string }>; users: number };

// Both projects run this file in the same process; share one server between them.
const globalForPg = globalThis as typeof globalThis & { __rollbackConsoleTestPg?: Shared };

/** Data folders of runs that were killed before their teardown: no live server, over an hour old. */
function removeAbandoned(root: string): void {
  for (const name of fs.readdirSync(root)) {
    if (!/^pg-[0-9a-f]{8}$/.test(name)) continue;
    const dir = path.join(root, name);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs < 3_600_000) continue;
      const pidFile = path.join(dir, 'postmaster.pid');
      if (fs.existsSync(pidFile)) {
        const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
        try {
          process.kill(pid, 0);
          continue; // still running
        } catch {
          // dead: fall through
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // another run is cleaning up too
    }
  }
}

async function start(): Promise<{ pg: RunningPostgres; dataDir: string }> {
  const root = path.resolve(__dirname, '..', '..', '.test-data');
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  removeAbandoned(root);
  const dataDir = path.join(root, `pg-${randomBytes(4).toString('hex')}`);
  const pg = await startEmbeddedPostgres({ dataDir });
  return { pg, dataDir };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (globalForPg.__rollbackConsoleTestPg ??= { server: start(), users: 0 });
  shared.users += 1;
  const { pg } = await shared.server;
  project.provide('databaseUrl', pg.url);
  process.env.TEST_PG_URL = pg.url;
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    globalForPg.__rollbackConsoleTestPg = undefined;
    const { pg: server, dataDir } = await shared.server;
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
