import 'server-only';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { db, type Tx } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { env } from '@/lib/env';
import { appendEvent } from '@/lib/timeline/append-event';
import type { JsonObject } from '@/lib/timeline/types';
import {
  applyDeploymentManifest,
  getDeployment,
  listRevisions,
  templateMatches,
  undoRollout,
  waitForRollout,
  type DeploymentView,
} from './cluster';
import { listManifestBackups } from './list-manifest-backups';
import { incidentTarget, loadIncident } from './load-incident';
import { escalateAfterTwoFailures, runAction, type ActionActor, type RunActionData } from './run-action';
import { setStepStatus } from './step-state';

/** Runbook step 4's three options. */
export type RollbackSource =
  /** Option A: `kubectl rollout undo` (the revision before the current one). */
  | { mode: 'previous' }
  /** Option B: `--to-revision=N`; N defaults to the target chosen in step 3. */
  | { mode: 'revision'; revision?: number }
  /** Option C: `kubectl apply -f deployment-backup-….yaml` from BACKUP_DIR, or a Deployment snapshot of this incident. */
  | { mode: 'manifest'; file?: string; snapshotId?: string };

export type RollbackOutcome = {
  fromRevision: number | null;
  toRevision: number | null;
  image: string | null;
  resumedPausedDeployment: boolean;
};

export type ExecuteRollbackResult = RunActionData<RollbackOutcome> & {
  /** Where the rollout ended: complete (mitigated), failed, or not followed (follow: false / reused). */
  rollout: { state: 'complete' | 'failed' | 'not-followed'; message: string };
};

type Planned = { revision: number | null; image: string | null; template: V1PodTemplateSpec; manifest?: JsonObject; file?: string; resourceVersion: string; paused: boolean; generation: number };

/**
 * Runbook step 4: rolls the deployment back through run-action (idempotent, one action per
 * deployment at a time, intent before the call). Preconditions on live state: the deployment is
 * not already on the target template, and the target is neither the failed image nor known-bad.
 * A paused deployment (step 2) is resumed in the same write. With `follow` (default) it then
 * follows the rollout to completion, recording progress, and sets Incident.mitigatedAt.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 4
 */
export async function executeRollback(options: {
  incidentId: string;
  source: RollbackSource;
  idempotencyKey: string;
  actor: ActionActor;
  acceptKnownBad?: boolean;
  follow?: boolean;
  onProgress?: (d: DeploymentView) => void | Promise<void>;
}): Promise<ActionResult<ExecuteRollbackResult>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  if (incident.status === 'closed') return { ok: false, code: 'conflict', message: 'The incident is closed' };
  const target = incidentTarget(incident);
  const k8sActor = { email: options.actor.email ?? options.actor.id, name: options.actor.name };
  const source = options.source;
  const toRevision = source.mode === 'revision' ? (source.revision ?? incident.targetRevision ?? undefined) : undefined;
  if (source.mode === 'revision' && toRevision === undefined) {
    return { ok: false, code: 'precondition_failed', message: 'No target revision: choose one in step 3 or pass a revision' };
  }
  const kind = source.mode === 'previous' ? 'rollout.undo' : source.mode === 'revision' ? 'rollout.undo-to-revision' : 'deployment.apply';
  const kubectl =
    source.mode === 'manifest'
      ? [`kubectl apply -f ${source.file ?? `snapshot-${source.snapshotId}.yaml`}`]
      : [`kubectl rollout undo deployment/${target.deployment} -n ${target.namespace}${toRevision !== undefined ? ` --to-revision=${toRevision}` : ''}`];
  let planned: Planned | undefined;

  const result = await runAction<RollbackOutcome>({
    incidentId: incident.id,
    step: 4,
    kind,
    idempotencyKey: options.idempotencyKey,
    actor: options.actor,
    target,
    params: { source: source as unknown as JsonObject, toRevision: toRevision ?? null },
    kubectl,
    summary:
      source.mode === 'manifest'
        ? `Roll back ${target.deployment} by applying ${source.file ?? 'the saved manifest'}`
        : `Roll back ${target.deployment} to ${toRevision !== undefined ? `revision ${toRevision}` : 'the previous revision'}`,
    precondition: async () => {
      const d = await getDeployment(target);
      if (!d.ok) return { ok: false, code: 'unavailable', message: d.message };
      const plan = await planTarget(incident.id, target, source, toRevision, d.data);
      if (!plan.ok) return plan;
      planned = plan.plan;
      // Why: a second click or a second commander must not undo the undo (kubectl would flip back to the bad revision).
      if (templateMatches(d.data.template, plan.plan.template)) {
        return { ok: false, message: `Already rolled back: ${target.deployment} runs ${plan.plan.revision !== null ? `revision ${plan.plan.revision}` : 'that manifest'} (${plan.plan.image ?? 'unknown image'})` };
      }
      if (plan.plan.image && plan.plan.image === incident.failedImage) {
        return { ok: false, message: `The rollback target runs the failed image ${plan.plan.image}; choose an older revision` };
      }
      if (plan.plan.image && !options.acceptKnownBad) {
        const bad = await db.knownBadImage.findUnique({ where: { image: plan.plan.image } });
        if (bad) return { ok: false, message: `The rollback target runs ${plan.plan.image}, marked known-bad: ${bad.reason}` };
      }
      return { ok: true };
    },
    snapshots: async () => {
      const d = await getDeployment(target);
      return d.ok ? [{ kind: 'Deployment' as const, namespace: target.namespace, name: target.deployment, manifest: d.data.manifest, resourceVersion: d.data.resourceVersion }] : [];
    },
    execute: async () => {
      if (!planned) return { ok: false, code: 'internal', message: 'no plan', kubectl };
      if (source.mode === 'manifest') {
        const r = await applyDeploymentManifest({ ...target, manifest: planned.manifest ?? {}, file: planned.file ?? 'manifest.yaml' }, k8sActor);
        if (!r.ok) return r;
        return { ...r, data: { fromRevision: incident.failedRevision, toRevision: null, image: r.data.image, resumedPausedDeployment: planned.paused } };
      }
      const r = await undoRollout({ ...target, toRevision, expectedGeneration: planned.generation }, k8sActor);
      if (!r.ok) return r;
      return { ...r, data: { fromRevision: r.data.fromRevision, toRevision: r.data.toRevision, image: r.data.image, resumedPausedDeployment: r.data.resumed } };
    },
    onSucceeded: async (tx, data) => {
      await tx.incident.update({
        where: { id: incident.id },
        data: {
          status: incident.status === 'declared' ? 'mitigating' : undefined,
          targetImage: data.image ?? undefined,
          targetRevision: data.toRevision ?? undefined,
        },
      });
      await setStepStatus(tx, {
        incidentId: incident.id,
        step: 4,
        status: 'in_progress',
        actor: { type: 'person', id: options.actor.id, name: options.actor.name },
        data: { rollback: data as unknown as Record<string, unknown> },
      });
    },
  });
  if (!result.ok) return result;
  if (result.data.reused || options.follow === false) {
    return { ok: true, data: { ...result.data, rollout: { state: 'not-followed', message: result.data.reused ? 'Same request already handled' : 'Not followed' } } };
  }
  const followed = await followRollback({ incidentId: incident.id, actionId: result.data.actionId, onProgress: options.onProgress });
  return { ok: true, data: { ...result.data, rollout: followed } };
}

async function planTarget(
  incidentId: string,
  target: { namespace: string; deployment: string },
  source: RollbackSource,
  toRevision: number | undefined,
  live: DeploymentView,
): Promise<{ ok: true; plan: Planned } | { ok: false; message: string; code?: string }> {
  if (source.mode === 'manifest') {
    let manifest: JsonObject | undefined;
    let file = source.file;
    if (source.snapshotId) {
      const snap = await db.snapshot.findFirst({ where: { id: source.snapshotId, incidentId, kind: 'Deployment' } });
      manifest = snap?.manifest as JsonObject | undefined;
      file = file ?? `snapshot-${source.snapshotId}.yaml`;
    } else if (source.file) {
      const backups = await listManifestBackups({ kind: 'Deployment' });
      manifest = backups.find((b) => b.file === source.file && b.name === target.deployment)?.manifest;
    }
    const template = (manifest as { spec?: { template?: V1PodTemplateSpec } } | undefined)?.spec?.template;
    if (!manifest || !template) return { ok: false, code: 'not_found', message: `No saved Deployment manifest ${source.file ?? source.snapshotId ?? ''} for ${target.deployment}` };
    return { ok: true, plan: { revision: null, image: template.spec?.containers?.[0]?.image ?? null, template, manifest, file, resourceVersion: live.resourceVersion, paused: live.paused, generation: live.generation } };
  }
  const revs = await listRevisions(target);
  if (!revs.ok) return { ok: false, code: 'unavailable', message: revs.message };
  const sorted = [...revs.data].sort((a, b) => b.revision - a.revision);
  // kubectl's rule: no --to-revision means the second-highest revision in history.
  const chosen = toRevision !== undefined ? sorted.find((r) => r.revision === toRevision) : sorted[1];
  if (!chosen) {
    return toRevision !== undefined
      ? { ok: false, code: 'not_found', message: `unable to find specified revision ${toRevision} in history` }
      : { ok: false, message: `no rollout history found for deployment "${target.deployment}"` };
  }
  return { ok: true, plan: { revision: chosen.revision, image: chosen.image, template: chosen.template, resourceVersion: live.resourceVersion, paused: live.paused, generation: live.generation } };
}

/**
 * `kubectl rollout status --watch` for step 4: records progress on the timeline, then on
 * completion sets Incident.mitigatedAt and completes step 4; on a stalled or timed-out rollout
 * records `rollout.failed`, fails step 4 and counts towards the escalation rule.
 */
export async function followRollback(options: {
  incidentId: string;
  actionId?: string;
  timeoutMs?: number;
  onProgress?: (d: DeploymentView) => void | Promise<void>;
}): Promise<{ state: 'complete' | 'failed'; message: string }> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { state: 'failed', message: 'No such incident' };
  const target = incidentTarget(incident);
  const system = { type: 'system' as const, name: 'rollback-console' };
  const timeoutMs = options.timeoutMs ?? Math.max(30_000, 600_000 / env().CLOCK_SPEED);
  const done = await waitForRollout({
    ...target,
    timeoutMs,
    onProgress: async (d) => {
      await options.onProgress?.(d);
      await appendEvent({
        incidentId: incident.id,
        actor: system,
        type: 'rollout.progress',
        summary: d.rollout.message,
        payload: { actionId: options.actionId ?? null, ...d.status, replicas: d.replicas, revision: d.revision },
        kubectl: `kubectl rollout status deployment/${target.deployment} -n ${target.namespace} --watch`,
      });
    },
  });
  return db.$transaction(async (tx) => {
    if (done.ok) {
      await recordRollbackComplete(tx, { incidentId: incident.id, view: done.data, kubectl: done.kubectl, actionId: options.actionId ?? null });
      return { state: 'complete' as const, message: done.data.rollout.message };
    }
    await appendEvent(
      { incidentId: incident.id, actor: system, type: 'rollout.failed', summary: `Rollback rollout did not complete: ${done.message}`, payload: { actionId: options.actionId ?? null, code: done.code }, kubectl: done.kubectl },
      tx,
    );
    await setStepStatus(tx, { incidentId: incident.id, step: 4, status: 'failed', actor: system, reason: done.message });
    await escalateAfterTwoFailures(tx, incident.id);
    return { state: 'failed' as const, message: done.message };
  });
}

/**
 * Records a finished rollback once: mitigatedAt (the recovery clock stops), `rollout.completed`,
 * step 4 done. Serialised on the incident row, so the follower and the background sweep never
 * both record it.
 */
async function recordRollbackComplete(
  tx: Tx,
  options: { incidentId: string; view: DeploymentView; kubectl: string[]; actionId: string | null },
): Promise<boolean> {
  await tx.$queryRaw`SELECT id FROM "rollback_console"."Incident" WHERE id = ${options.incidentId} FOR UPDATE`;
  const incident = await tx.incident.findUnique({ where: { id: options.incidentId } });
  const step4 = await tx.stepState.findUnique({ where: { incidentId_step: { incidentId: options.incidentId, step: 4 } } });
  if (!incident || step4?.status === 'done') return false;
  const now = new Date();
  const system = { type: 'system' as const, name: 'rollback-console' };
  const d = options.view;
  await tx.incident.update({
    where: { id: incident.id },
    data: { mitigatedAt: incident.mitigatedAt ?? now, targetImage: d.image, status: incident.status === 'declared' ? 'mitigating' : undefined },
  });
  await appendEvent(
    {
      incidentId: incident.id,
      actor: system,
      type: 'rollout.completed',
      summary: `Rollback complete: ${d.status.available}/${d.replicas} pods available on ${d.image ?? 'the target image'} (revision ${d.revision ?? '?'})`,
      payload: { actionId: options.actionId, revision: d.revision, image: d.image, mitigatedAt: (incident.mitigatedAt ?? now).toISOString() },
      kubectl: options.kubectl,
    },
    tx,
  );
  await setStepStatus(tx, { incidentId: incident.id, step: 4, status: 'done', actor: system, data: { rolloutComplete: true, revision: d.revision, image: d.image } });
  return true;
}

/**
 * For rollbacks nobody is following (follow: false, or the server restarted mid-rollout): when
 * step 4 is in progress after a successful rollback action and the live rollout is complete,
 * record it. Called by the background sweep (lib/jobs/escalation-reminders.ts).
 */
export async function checkRollbackCompletion(options: { incidentId: string }): Promise<'complete' | 'pending' | 'none'> {
  const incident = await loadIncident(options.incidentId);
  if (!incident || incident.mitigatedAt) return 'none';
  const step4 = await db.stepState.findUnique({ where: { incidentId_step: { incidentId: incident.id, step: 4 } } });
  if (step4?.status !== 'in_progress' || !(step4.data as { rollback?: unknown } | null)?.rollback) return 'none';
  const d = await getDeployment(incidentTarget(incident));
  if (!d.ok || d.data.rollout.state !== 'complete') return 'pending';
  await db.$transaction((tx) => recordRollbackComplete(tx, { incidentId: incident.id, view: d.data, kubectl: [`kubectl rollout status deployment/${incident.deployment} -n ${incident.namespace}`], actionId: null }));
  return 'complete';
}
