/**
 * Applies the console's migrations (prisma/migrations) to a database with `prisma migrate deploy`
 * and the offline schema engine. Used by `npm run demo`, `npm run db:migrate` and the tests.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ROOT, runPrisma } from './prisma-cli';

export const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');

/**
 * Brings the database at `url` up to date (creating the database when it does not exist).
 * Throws with Prisma's own output when a migration fails.
 */
export async function migrateDatabase(url: string): Promise<{ applied: string[] }> {
  const run = await runPrisma(['migrate', 'deploy'], { databaseUrl: url });
  if (run.code !== 0) {
    throw new Error(`prisma migrate deploy failed (exit ${run.code}):\n${redact(run.stdout + run.stderr, url)}`);
  }
  const applied = [...run.stdout.matchAll(/└─ (\S+)\//g)].map((m) => m[1] ?? '').filter(Boolean);
  return { applied };
}

/**
 * Until the first release the single migration 0001_init is regenerated whenever the schema
 * changes (npm run db:regen), so a local database can hold an older version of it. Returns the
 * names of applied migrations whose file has changed since they were applied.
 */
export async function changedAppliedMigrations(url: string): Promise<string[]> {
  const client = await connectIfExists(url);
  if (!client) return [];
  try {
    const exists = await client.query(`SELECT to_regclass('public._prisma_migrations') AS t`);
    if (!exists.rows[0]?.t) return [];
    const rows = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM public._prisma_migrations WHERE rolled_back_at IS NULL',
    );
    return rows.rows
      .filter((row) => {
        const file = path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql');
        if (!fs.existsSync(file)) return true;
        return sha256(fs.readFileSync(file)) !== row.checksum;
      })
      .map((row) => row.migration_name);
  } finally {
    await client.end();
  }
}

/**
 * Names of migration folders not yet (successfully) applied to the database at `url`; every one
 * of them when the database has no migration history. Lets a restart skip the Prisma CLI.
 */
export async function pendingMigrations(url: string): Promise<string[]> {
  const all = fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(MIGRATIONS_DIR, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
  const client = await connectIfExists(url);
  if (!client) return all;
  try {
    const exists = await client.query(`SELECT to_regclass('public._prisma_migrations') AS t`);
    if (!exists.rows[0]?.t) return all;
    const rows = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM public._prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Set(rows.rows.map((r) => r.migration_name));
    return all.filter((name) => !applied.has(name));
  } finally {
    await client.end();
  }
}

/**
 * Drops the console's schema and its migration history, for a disposable (demo) database whose
 * migration changed. Never used on a database given through DATABASE_URL.
 */
export async function resetConsoleSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS rollback_console CASCADE');
    await client.query('DROP TABLE IF EXISTS public._prisma_migrations');
  } finally {
    await client.end();
  }
}

/** A connected client, or null when the database does not exist yet (migrate deploy creates it). */
async function connectIfExists(url: string): Promise<pg.Client | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    if ((error as { code?: string }).code === '3D000') return null;
    throw error;
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function redact(text: string, url: string): string {
  try {
    const password = new URL(url).password;
    return password ? text.split(password).join('***') : text;
  } catch {
    return text;
  }
}
