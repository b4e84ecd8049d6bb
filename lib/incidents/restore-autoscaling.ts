import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { env } from '@/lib/env';
import type { JsonObject } from '@/lib/timeline/types';
import { getHpa, restoreHpa } from './cluster';
import { specEqual } from './compare-autoscaling';
import { incidentTarget, loadIncident } from './load-incident';
import { runAction, type ActionActor, type RunActionData } from './run-action';
import { setStepStatus } from './step-state';

export type RestoreAutoscalingOutcome = { hpa: string; created: boolean; active: boolean; minReplicas: number | null; maxReplicas: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runbook step 9: restores the HPA captured at declaration (replace, or recreate when it was
 * deleted), then waits until it reports ScalingActive. Refused when the live HPA already
 * matches the snapshot and is active (skip the step: "HPA untouched").
 * @see ../../../shared/runbooks/rollback-procedure.md Step 9
 */
export async function restoreAutoscaling(options: {
  incidentId: string;
  idempotencyKey: string;
  actor: ActionActor;
  /** Which HPA; default the one snapshot at declaration. */
  hpa?: string;
  activeTimeoutMs?: number;
}): Promise<ActionResult<RunActionData<RestoreAutoscalingOutcome>>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  if (incident.status === 'closed') return { ok: false, code: 'conflict', message: 'The incident is closed' };
  const target = incidentTarget(incident);
  const snap = await db.snapshot.findFirst({
    where: { incidentId: incident.id, kind: 'HorizontalPodAutoscaler', reason: 'declared', ...(options.hpa ? { name: options.hpa } : {}) },
  });
  if (!snap) return { ok: false, code: 'precondition_failed', message: 'No HPA was captured when the incident was declared: nothing to restore (skip step 9)' };
  const name = snap.name;
  const file = `hpa-${name}-snapshot.yaml`;

  return runAction<RestoreAutoscalingOutcome>({
    incidentId: incident.id,
    step: 9,
    kind: 'hpa.restore',
    idempotencyKey: options.idempotencyKey,
    actor: options.actor,
    target,
    params: { hpa: name, snapshotId: snap.id },
    kubectl: [`kubectl apply -f ${file}`, `kubectl get hpa ${name} -n ${snap.namespace}`],
    summary: `Restore HPA ${name} as captured at declaration`,
    precondition: async () => {
      const live = await getHpa({ namespace: snap.namespace, name });
      if (!live.ok && live.code !== 'NotFound') return { ok: false, code: 'unavailable', message: live.message };
      if (live.ok && specEqual(live.data.manifest, snap.manifest as JsonObject) && live.data.active) {
        return { ok: false, message: `HPA ${name} matches the snapshot and is active: nothing to restore (skip step 9: hpa-untouched)` };
      }
      return { ok: true };
    },
    snapshots: async () => {
      const live = await getHpa({ namespace: snap.namespace, name });
      return live.ok ? [{ kind: 'HorizontalPodAutoscaler' as const, namespace: snap.namespace, name, manifest: live.data.manifest, resourceVersion: live.data.resourceVersion }] : [];
    },
    execute: async (ctx) => {
      const r = await restoreHpa({ namespace: snap.namespace, name, manifest: snap.manifest as JsonObject, file }, { email: options.actor.email ?? options.actor.id, name: options.actor.name });
      if (!r.ok) return r;
      await ctx.progress(`HPA ${name} ${r.data.created ? 'recreated' : 'restored'}; waiting for it to become active`);
      const deadline = Date.now() + (options.activeTimeoutMs ?? Math.max(10_000, 120_000 / env().CLOCK_SPEED));
      for (;;) {
        const live = await getHpa({ namespace: snap.namespace, name });
        if (live.ok && live.data.active) {
          return { ...r, data: { hpa: name, created: r.data.created, active: true, minReplicas: live.data.minReplicas, maxReplicas: live.data.maxReplicas } };
        }
        if (Date.now() > deadline) {
          return { ok: false, code: 'Unavailable', message: `HPA ${name} was restored but is not active: ${live.ok ? 'ScalingActive is not True' : live.message}`, kubectl: r.kubectl };
        }
        await sleep(500);
      }
    },
    onSucceeded: async (tx, data) => {
      await setStepStatus(tx, {
        incidentId: incident.id,
        step: 9,
        status: 'done',
        actor: { type: 'person', id: options.actor.id, name: options.actor.name },
        data: { hpa: data.hpa, created: data.created, active: data.active },
      });
    },
  });
}
