import 'server-only';
import pg from 'pg';
import { env } from '@/lib/env';

/** The application's database URL (TARGET_DATABASE_URL). Never shown, logged or exported. */
export function targetDatabaseUrl(override?: string): string {
  const url = override ?? env().TARGET_DATABASE_URL;
  if (!url) throw new Error("TARGET_DATABASE_URL is not set: the console cannot reach the application's database");
  return url;
}

/** Runs one function with a short-lived connection to the application's database. */
export async function withTargetDb<T>(fn: (client: pg.Client) => Promise<T>, url?: string): Promise<T> {
  const client = new pg.Client({ connectionString: targetDatabaseUrl(url), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runbook step 5.4 "Verify restoration": the newest applied migration, or null when the table is
 * empty.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 5
 */
export async function getSchemaVersion(options: { url?: string } = {}): Promise<string | null> {
  return withTargetDb(async (client) => {
    const result = await client.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1');
    return result.rows[0] ? String(result.rows[0].version) : null;
  }, options.url);
}
