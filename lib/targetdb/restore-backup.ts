import 'server-only';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { withTargetDb, targetDatabaseUrl } from './get-schema-version';
import { resolveBackupPath } from './list-backups';

export type RestoreMethod = 'pg' | 'psql';

export type RestoreBackupResult = {
  backup: string;
  method: RestoreMethod;
  /** Newest schema_migrations.version after the restore. */
  schemaVersion: string | null;
  durationMs: number;
};

// pg_dump's COPY ... FROM stdin blocks carry their data inline, which only psql can feed.
const COPY_FROM_STDIN = /^COPY\s[^;]*\sFROM\s+stdin;/im;

/**
 * Runbook step 5.3 "Restore database from backup": gunzip the chosen plain-SQL backup and run it
 * against TARGET_DATABASE_URL in ONE transaction, so a failure half-way leaves the database as it
 * was. Runs it through the `pg` driver (no external binary needed) unless the dump holds
 * `COPY … FROM stdin` data, which needs psql (`psql --single-transaction -v ON_ERROR_STOP=1`).
 * psql meta-commands such as pg_dump's `\restrict` lines are dropped on the pg path.
 * The caller must have stopped every application pod first (restore-database.ts does).
 * @see ../../../shared/runbooks/rollback-procedure.md Step 5
 */
export async function restoreBackup(options: { backup: string; dir?: string; url?: string; psqlPath?: string }): Promise<RestoreBackupResult> {
  const started = Date.now();
  const file = resolveBackupPath(options.backup, options.dir);
  const sql = gunzipSync(fs.readFileSync(file)).toString('utf8');
  let method: RestoreMethod;
  if (COPY_FROM_STDIN.test(sql)) {
    method = 'psql';
    await runPsql(sql, targetDatabaseUrl(options.url), options.psqlPath ?? 'psql');
  } else {
    method = 'pg';
    const statements = sql
      .split('\n')
      .filter((line) => !line.startsWith('\\'))
      .join('\n');
    await withTargetDb(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(statements);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    }, options.url);
  }
  const schemaVersion = await withTargetDb(async (client) => {
    const r = await client.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1');
    return r.rows[0] ? String(r.rows[0].version) : null;
  }, options.url);
  return { backup: options.backup, method, schemaVersion, durationMs: Date.now() - started };
}

function runPsql(sql: string, url: string, psqlPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // The URL goes in through the environment-free --dbname argument of a child we own; it is
    // never logged. stdout is discarded, stderr is kept for the error message.
    const child = spawn(psqlPath, ['--no-psqlrc', '--quiet', '--single-transaction', '-v', 'ON_ERROR_STOP=1', `--dbname=${url}`, '-f', '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error) => reject(new Error(`psql could not start (${error.message}); install the PostgreSQL client`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`psql failed (exit ${code}): ${stderr.trim().slice(0, 500)}`))));
    child.stdin.end(sql);
  });
}
