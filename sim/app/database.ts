/**
 * The simulated application's own database (real PostgreSQL): its migrations, the scenario's
 * seed data, and the gzip'd plain-SQL backup a team would take before a deploy
 * (`backup-YYYYMMDD-HHMMSS.sql.gz`, restorable with `gunzip < f | psql URL`).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';

/** The application's migrations, by version, in order. */
export const MIGRATIONS: Record<string, string> = {
  '20251101_init': `
    CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE workflows (
      id bigserial PRIMARY KEY,
      name text NOT NULL,
      steps jsonb NOT NULL DEFAULT '[]'::jsonb,
      status text NOT NULL DEFAULT 'created',
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    );`,
  '20251114_v020': `
    ALTER TABLE workflows ADD COLUMN priority integer NOT NULL DEFAULT 0;
    ALTER TABLE workflows ADD COLUMN checkpoint jsonb;
    CREATE INDEX workflows_priority_idx ON workflows (priority, created_at);`,
};

/** The latest applied migration (`schema_migrations`), or null when the table is missing or empty. */
export async function readSchemaVersion(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1');
    return r.rows[0]?.version ?? null;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** Number of rows in `workflows` (null when the table is missing). */
export async function countWorkflows(databaseUrl: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM workflows');
    return Number(r.rows[0]?.n ?? 0);
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** `YYYYMMDD-HHMMSS` in UTC, as the runbook's backup file names. */
export function backupStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

const WORKFLOW_NAMES = ['summarize-tickets', 'triage-alerts', 'draft-release-notes', 'classify-feedback', 'extract-invoices', 'translate-docs'];

/**
 * Resets the application database to a scenario: drops its tables, applies `migrations` in
 * order with seed workflows in between, and writes the pre-deploy backup into `backupDir` right
 * before `backupBeforeMigration` (named by `backupAt`).
 */
export async function prepareAppDatabase(options: {
  databaseUrl: string;
  migrations: string[];
  backupBeforeMigration?: string;
  backupDir?: string;
  backupAt?: number;
}): Promise<{ backupFile?: string }> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  let backupFile: string | undefined;
  try {
    await client.query('DROP TABLE IF EXISTS workflows CASCADE; DROP TABLE IF EXISTS schema_migrations CASCADE;');
    const days = 14;
    for (const version of options.migrations) {
      if (version === options.backupBeforeMigration && options.backupDir) {
        backupFile = await writeBackup(client, options.backupDir, options.backupAt ?? Date.now());
      }
      const sql = MIGRATIONS[version];
      if (!sql) throw new Error(`unknown migration ${version}`);
      await client.query('BEGIN');
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [version]);
      await client.query('COMMIT');
      if (version === '20251101_init') {
        // Two weeks of workflows before the incident.
        await client.query(
          `INSERT INTO workflows (name, steps, status, created_by, created_at)
           SELECT ($1::text[])[1 + (i % 6)] || '-' || i, '[{"type":"llm_call","provider":"openai"}]'::jsonb,
                  CASE WHEN i % 17 = 0 THEN 'failed' ELSE 'completed' END, 'seed',
                  now() - ((${days} * 24 * 60 - i * 10) || ' minutes')::interval
           FROM generate_series(1, 200) AS i`,
          [WORKFLOW_NAMES],
        );
      }
    }
  } finally {
    await client.end();
  }
  return { backupFile };
}

function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `'${v.toISOString()}'`;
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A pg_dump-style plain SQL dump (with --clean --if-exists) of the init schema and its data,
 * gzip'd into backupDir. Written by hand so it restores with any psql version.
 */
async function writeBackup(client: pg.Client, dir: string, at: number): Promise<string> {
  const migrations = await client.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
  const workflows = await client.query('SELECT id, name, steps, status, created_by, created_at FROM workflows ORDER BY id');
  const lines: string[] = [
    '--',
    '-- PostgreSQL database dump',
    '--',
    `-- Dumped at ${new Date(at).toISOString()} (before deploying v0.2.0)`,
    '',
    "SET statement_timeout = 0;",
    "SET client_encoding = 'UTF8';",
    'SET standard_conforming_strings = on;',
    'SET client_min_messages = warning;',
    '',
    'DROP TABLE IF EXISTS public.workflows CASCADE;',
    'DROP TABLE IF EXISTS public.schema_migrations CASCADE;',
    '',
    'CREATE TABLE public.schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());',
    '',
    'CREATE TABLE public.workflows (',
    '    id bigserial PRIMARY KEY,',
    '    name text NOT NULL,',
    "    steps jsonb NOT NULL DEFAULT '[]'::jsonb,",
    "    status text NOT NULL DEFAULT 'created',",
    '    created_by text,',
    '    created_at timestamptz NOT NULL DEFAULT now()',
    ');',
    '',
  ];
  for (const r of migrations.rows) lines.push(`INSERT INTO public.schema_migrations (version, applied_at) VALUES (${sqlLiteral(r.version)}, ${sqlLiteral(r.applied_at)});`);
  lines.push('');
  for (const r of workflows.rows) {
    lines.push(
      `INSERT INTO public.workflows (id, name, steps, status, created_by, created_at) VALUES (${r.id}, ${sqlLiteral(r.name)}, ${sqlLiteral(r.steps)}, ${sqlLiteral(r.status)}, ${sqlLiteral(r.created_by)}, ${sqlLiteral(r.created_at)});`,
    );
  }
  lines.push('', "SELECT pg_catalog.setval('public.workflows_id_seq', (SELECT COALESCE(max(id), 1) FROM public.workflows), true);", '', '--', '-- PostgreSQL database dump complete', '--', '');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `backup-${backupStamp(at)}.sql.gz`);
  fs.writeFileSync(file, zlib.gzipSync(lines.join('\n')));
  return file;
}
