import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import { env } from '@/lib/env';

/** The runbook's backup naming: backup-YYYYMMDD-HHMMSS.sql.gz (UTC). */
export const BACKUP_NAME = /^backup-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.sql\.gz$/;

export type BackupFile = {
  /** File name only, e.g. backup-20251114-095959.sql.gz; the id the UI sends back. */
  name: string;
  sizeBytes: number;
  /** When the backup was taken, from its name (UTC). */
  takenAt: string;
};

/** The configured backup folder, or an error naming the variable. */
export function backupDir(override?: string): string {
  const dir = override ?? env().BACKUP_DIR;
  if (!dir) throw new Error('BACKUP_DIR is not set: the console does not know where the database backups are');
  return dir;
}

/**
 * Runbook step 5.1 "Check if backup exists" (`ls -lh backup-*.sql.gz`): the backups in BACKUP_DIR,
 * newest first. A missing folder is an empty list, not an error.
 */
export async function listBackups(options: { dir?: string } = {}): Promise<BackupFile[]> {
  const dir = backupDir(options.dir);
  let names: string[];
  try {
    // BACKUP_DIR is the operator's folder, known only at run time: keep it out of build tracing.
    names = await fs.readdir(/*turbopackIgnore: true*/ dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const backups: BackupFile[] = [];
  for (const name of names) {
    const m = BACKUP_NAME.exec(name);
    if (!m) continue;
    const stat = await fs.stat(/*turbopackIgnore: true*/ path.join(/*turbopackIgnore: true*/ dir, name));
    if (!stat.isFile()) continue;
    const [, y, mo, d, h, mi, s] = m;
    backups.push({ name, sizeBytes: stat.size, takenAt: new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`).toISOString() });
  }
  return backups.sort((a, b) => b.takenAt.localeCompare(a.takenAt));
}

/** Full path of a backup chosen by name; refuses anything that is not a backup file name (no paths). */
export function resolveBackupPath(name: string, dir?: string): string {
  if (!BACKUP_NAME.test(name)) throw new Error(`Not a backup file name: ${name}`);
  return path.join(backupDir(dir), name);
}
