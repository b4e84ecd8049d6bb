/**
 * The console's schema migrates offline (Prisma CLI + scripts/prisma-schema-engine.mjs, no
 * downloaded engine) and prisma/migrations agrees with prisma/schema.prisma.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { changedAppliedMigrations, migrateDatabase, pendingMigrations } from '@/scripts/lib/migrate';
import { ROOT, runPrisma } from '@/scripts/lib/prisma-cli';
import { testServerUrl } from '@/tests/support/db';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function urlFor(database: string): string {
  const u = new URL(testServerUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

// Each Prisma CLI run takes ~3 s on an idle machine and far longer on a busy CI box.
const CLI_TIMEOUT = 180_000;

describe('console database migrations', () => {
  it('apply to an empty database, creating it, and a second run applies nothing', async () => {
    const name = `db_migrate_${Date.now()}`;
    const url = urlFor(name);
    try {
      expect(await pendingMigrations(url)).toEqual(['0001_init']); // the database does not exist yet
      const first = await migrateDatabase(url);
      expect(first.applied).toEqual(['0001_init']);
      expect(await pendingMigrations(url)).toEqual([]);
      expect(await changedAppliedMigrations(url)).toEqual([]);

      const tables = await query<{ table_name: string }>(
        url,
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'rollback_console' ORDER BY table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['Action', 'Incident', 'KnownBadImage', 'Setting', 'ShareLink', 'Snapshot', 'StepState', 'TimelineEvent', 'User']),
      );
      const history = await query<{ migration_name: string; finished: boolean }>(
        url,
        'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations',
      );
      expect(history).toEqual([{ migration_name: '0001_init', finished: true }]);

      const second = await migrateDatabase(url);
      expect(second.applied).toEqual([]);
      const status = await runPrisma(['migrate', 'status'], { databaseUrl: url });
      expect(status.stdout).toContain('Database schema is up to date');
      expect(status.code).toBe(0);
    } finally {
      await query(testServerUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }, CLI_TIMEOUT);

  it('match prisma/schema.prisma exactly (migrate diff --exit-code reports no difference)', async () => {
    const run = await runPrisma(
      ['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--exit-code'],
      { databaseUrl: testServerUrl() },
    );
    expect(run.stdout + run.stderr).toContain('No difference detected');
    expect(run.code).toBe(0);
  }, CLI_TIMEOUT);

  it('a schema change without a regenerated migration is caught (exit code 2, with the SQL it lacks)', async () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.test-data', 'schema-drift-'));
    try {
      const schema = fs
        .readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'), 'utf8')
        .replace(/model Setting \{/, 'model Setting {\n  note String?');
      const drifted = path.join(dir, 'schema.prisma');
      fs.writeFileSync(drifted, schema);
      const run = await runPrisma(
        ['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', drifted, '--exit-code', '--script'],
        { databaseUrl: testServerUrl() },
      );
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(/ALTER TABLE "rollback_console"\."Setting" ADD COLUMN\s+"note" TEXT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, CLI_TIMEOUT);

  it('leave no shadow databases behind', async () => {
    const left = await query<{ datname: string }>(testServerUrl(), `SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow%'`);
    expect(left).toEqual([]);
  });
});
