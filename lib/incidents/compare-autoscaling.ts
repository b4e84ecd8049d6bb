import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { canonicalJson } from '@/lib/k8s/canonical';
import type { JsonObject } from '@/lib/timeline/types';
import { getHpa, type HpaView } from './cluster';
import { loadIncident } from './load-incident';

export type AutoscalingComparison = {
  name: string;
  snapshotId: string;
  present: boolean;
  /** Spec equal to the snapshot taken at declaration. */
  matches: boolean;
  active: boolean;
  live: Pick<HpaView, 'minReplicas' | 'maxReplicas' | 'targetCpu' | 'currentReplicas'> | null;
  saved: { minReplicas: number | null; maxReplicas: number | null; targetCpu: number | null };
};

/**
 * Runbook step 9's "Check current HPA status": each HPA captured at declaration, compared with
 * the live one (present, spec equal, ScalingActive).
 */
export async function compareAutoscaling(options: { incidentId: string }): Promise<ActionResult<{ hpas: AutoscalingComparison[]; untouched: boolean }>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  const snaps = await db.snapshot.findMany({ where: { incidentId: incident.id, kind: 'HorizontalPodAutoscaler', reason: 'declared' } });
  const hpas: AutoscalingComparison[] = [];
  for (const s of snaps) {
    const live = await getHpa({ namespace: s.namespace, name: s.name });
    if (!live.ok && live.code !== 'NotFound') return { ok: false, code: 'unavailable', message: live.message };
    hpas.push({
      name: s.name,
      snapshotId: s.id,
      present: live.ok,
      matches: live.ok && specEqual(live.data.manifest, s.manifest as JsonObject),
      active: live.ok && live.data.active,
      live: live.ok ? { minReplicas: live.data.minReplicas, maxReplicas: live.data.maxReplicas, targetCpu: live.data.targetCpu, currentReplicas: live.data.currentReplicas } : null,
      saved: summary(s.manifest as JsonObject),
    });
  }
  return { ok: true, data: { hpas, untouched: hpas.every((h) => h.present && h.matches && h.active) } };
}

export function specEqual(a: JsonObject, b: JsonObject): boolean {
  return canonicalJson((a as { spec?: unknown }).spec) === canonicalJson((b as { spec?: unknown }).spec);
}

function summary(m: JsonObject): AutoscalingComparison['saved'] {
  const spec = (m as { spec?: { minReplicas?: number; maxReplicas?: number; metrics?: { resource?: { name?: string; target?: { averageUtilization?: number } } }[] } }).spec;
  return {
    minReplicas: spec?.minReplicas ?? null,
    maxReplicas: spec?.maxReplicas ?? null,
    targetCpu: spec?.metrics?.find((x) => x.resource?.name === 'cpu')?.resource?.target?.averageUtilization ?? null,
  };
}
