import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { backupDir } from '@/lib/targetdb/list-backups';
import type { JsonObject } from '@/lib/timeline/types';

/** configmap-backup-YYYYMMDD-HHMMSS.yaml, deployment-backup-…, hpa-backup-… (runbook steps 4 and 6). */
export const MANIFEST_BACKUP_NAME = /^(configmap|deployment|hpa)-backup-(\d{8})-(\d{6})\.ya?ml$/;

export type ManifestBackup = {
  /** File name only; the id the UI sends back. */
  file: string;
  kind: string;
  name: string;
  namespace: string | null;
  takenAt: string;
  manifest: JsonObject;
};

/**
 * The manifest backups in BACKUP_DIR (runbook step 4 option C and step 6 option A), newest first.
 * Multi-document files yield one entry per object.
 */
export async function listManifestBackups(options: { dir?: string; kind?: 'ConfigMap' | 'Deployment' | 'HorizontalPodAutoscaler' } = {}): Promise<ManifestBackup[]> {
  const dir = backupDir(options.dir);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: ManifestBackup[] = [];
  for (const file of names) {
    const m = MANIFEST_BACKUP_NAME.exec(file);
    if (!m) continue;
    const [, , d = '', t = ''] = m;
    const takenAt = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`).toISOString();
    const text = await fs.readFile(path.join(dir, file), 'utf8');
    for (const doc of YAML.parseAllDocuments(text)) {
      const obj = doc.toJSON() as (JsonObject & { kind?: string; metadata?: { name?: string; namespace?: string } }) | null;
      if (!obj || typeof obj !== 'object') continue;
      const items = obj.kind === 'List' && Array.isArray(obj.items) ? (obj.items as typeof obj[]) : [obj];
      for (const item of items) {
        if (!item?.kind || !item.metadata?.name) continue;
        if (options.kind && item.kind !== options.kind) continue;
        out.push({ file, kind: item.kind, name: item.metadata.name, namespace: item.metadata.namespace ?? null, takenAt, manifest: item });
      }
    }
  }
  return out.sort((a, b) => b.takenAt.localeCompare(a.takenAt));
}
