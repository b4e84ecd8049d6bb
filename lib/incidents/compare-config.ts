import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import type { JsonObject } from '@/lib/timeline/types';
import { getConfigMap, getDeployment } from './cluster';
import { diffConfigData } from './config-references';
import { listManifestBackups } from './list-manifest-backups';
import { incidentTarget, loadIncident } from './load-incident';

export type ConfigSource = { source: 'snapshot'; snapshotId: string; takenAt: string; reason: string } | { source: 'backup'; file: string; takenAt: string };

export type ConfigComparison = {
  name: string;
  exists: boolean;
  liveResourceVersion: string | null;
  /** Each saved version with its key-by-key difference from live (empty = identical). */
  sources: (ConfigSource & { diff: { key: string; live: string | null; saved: string | null }[] })[];
};

/**
 * Runbook step 6's "If ConfigMap was updated": each ConfigMap the deployment references, live,
 * compared with the incident's snapshots and with configmap-backup-*.yaml files in BACKUP_DIR.
 * The bad release usually changed the config BEFORE the incident was declared, so the backup
 * file (taken before the deploy) is normally the one to restore.
 */
export async function compareConfig(options: { incidentId: string }): Promise<ActionResult<{ configMaps: ConfigComparison[]; changed: boolean }>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  const target = incidentTarget(incident);
  const d = await getDeployment(target);
  if (!d.ok) return { ok: false, code: 'unavailable', message: d.message };
  const snapshots = await db.snapshot.findMany({ where: { incidentId: incident.id, kind: 'ConfigMap' }, orderBy: { takenAt: 'asc' } });
  const backups = await listManifestBackups({ kind: 'ConfigMap' }).catch(() => []);
  const names = [...new Set([...d.data.references.configMaps, ...snapshots.map((s) => s.name)])].sort();
  const configMaps: ConfigComparison[] = [];
  for (const name of names) {
    const live = await getConfigMap({ namespace: target.namespace, name });
    const liveData = live.ok ? live.data.data : undefined;
    const sources: ConfigComparison['sources'] = [];
    for (const s of snapshots.filter((x) => x.name === name)) {
      sources.push({ source: 'snapshot', snapshotId: s.id, takenAt: s.takenAt.toISOString(), reason: s.reason, diff: diffConfigData(liveData, dataOf(s.manifest as JsonObject)) });
    }
    for (const b of backups.filter((x) => x.name === name && (!x.namespace || x.namespace === target.namespace))) {
      sources.push({ source: 'backup', file: b.file, takenAt: b.takenAt, diff: diffConfigData(liveData, dataOf(b.manifest)) });
    }
    configMaps.push({ name, exists: live.ok, liveResourceVersion: live.ok ? live.data.resourceVersion : null, sources });
  }
  return { ok: true, data: { configMaps, changed: configMaps.some((c) => !c.exists || c.sources.some((s) => s.diff.length > 0)) } };
}

export function dataOf(manifest: JsonObject | undefined): Record<string, string> {
  return ((manifest as { data?: Record<string, string> } | undefined)?.data ?? {}) as Record<string, string>;
}
