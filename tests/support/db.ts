/**
 * A fresh console database per test file, on the run's embedded Postgres (global-setup.ts):
 *
 *   const t = await createTestDatabase();
 *   process.env.DATABASE_URL = t.url; resetEnvForTests();   // then use `db`
 *   afterAll(() => t.drop());
 *
 * The migrations run once per server into a template database (named after the migrations'
 * content, built under an advisory lock so parallel workers wait for one build); each test
 * database is then a `CREATE DATABASE ... TEMPLATE` copy, which takes a few milliseconds.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { MIGRATIONS_DIR, migrateDatabase } from '../../scripts/lib/migrate';

export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

/** Superuser URL of the run's Postgres (`postgres` database). */
export function testServerUrl(): string {
  let url: string | undefined;
  try {
    url = inject('databaseUrl');
  } catch {
    url = undefined;
  }
  url ||= process.env.TEST_PG_URL;
  if (!url) throw new Error('No test Postgres: run under the integration or kubectl vitest project (globalSetup).');
  return url;
}

function urlFor(server: string, database: string): string {
  const u = new URL(server);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(server: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Hash of every migration file, so a changed migration gets a new template. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  const dirs = fs.readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const dir of dirs) {
    const file = path.join(MIGRATIONS_DIR, dir, 'migration.sql');
    hash.update(dir).update(fs.existsSync(file) ? fs.readFileSync(file) : '');
  }
  return hash.digest('hex').slice(0, 12);
}

let templateReady: Promise<string> | undefined;

/** Name of the migrated template database on the server, building it on first use. */
function ensureTemplate(server: string): Promise<string> {
  templateReady ??= (async () => {
    const template = `console_tmpl_${migrationsHash()}`;
    await withAdmin(server, async (admin) => {
      // One builder per server across worker processes; the others wait here, then find it.
      await admin.query('SELECT pg_advisory_lock(7734001)');
      try {
        const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
        if (exists.rowCount) return;
        const building = `${template}_build`;
        await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${building}`);
        await migrateDatabase(urlFor(server, building));
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
      } finally {
        await admin.query('SELECT pg_advisory_unlock(7734001)');
      }
    });
    return template;
  })();
  templateReady.catch(() => (templateReady = undefined));
  return templateReady;
}

/** A new, empty, fully migrated console database; `drop()` removes it (closing connections). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testServerUrl();
  const template = await ensureTemplate(server);
  const name = `console_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(server, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: urlFor(server, name),
    name,
    drop: () => withAdmin(server, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
