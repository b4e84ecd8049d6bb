import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { env } from '@/lib/env';
import type { JsonObject } from '@/lib/timeline/types';
import { getConfigMap, restartRollout, restoreConfigMap, waitForRollout } from './cluster';
import { dataOf } from './compare-config';
import { diffConfigData } from './config-references';
import { listManifestBackups } from './list-manifest-backups';
import { incidentTarget, loadIncident } from './load-incident';
import { runAction, type ActionActor, type RunActionData } from './run-action';
import { setStepStatus } from './step-state';

export type RestoreConfigOutcome = { configMap: string; changedKeys: string[]; created: boolean; restarted: boolean; revision: number | null };

/**
 * Runbook step 6: puts a ConfigMap back from a configmap-backup-*.yaml in BACKUP_DIR (option A)
 * or from one of the incident's snapshots, then `kubectl rollout restart` so the pods read it, and
 * waits for the restart to finish. Refused when the live data already equals the saved data
 * (nothing to restore: skip the step with "no config change").
 * @see ../../../shared/runbooks/rollback-procedure.md Step 6
 */
export async function restoreConfig(options: {
  incidentId: string;
  configMap: string;
  source: { file: string } | { snapshotId: string };
  idempotencyKey: string;
  actor: ActionActor;
  /** Restart the deployment afterwards (default true; envFrom values are read only at start). */
  restart?: boolean;
}): Promise<ActionResult<RunActionData<RestoreConfigOutcome>>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  if (incident.status === 'closed') return { ok: false, code: 'conflict', message: 'The incident is closed' };
  const target = incidentTarget(incident);
  const k8sActor = { email: options.actor.email ?? options.actor.id, name: options.actor.name };
  const restart = options.restart !== false;
  const file = 'file' in options.source ? options.source.file : `snapshot-${options.source.snapshotId}.yaml`;
  let saved: JsonObject | undefined;
  let changedKeys: string[] = [];

  return runAction<RestoreConfigOutcome>({
    incidentId: incident.id,
    step: 6,
    kind: 'configmap.restore',
    idempotencyKey: options.idempotencyKey,
    actor: options.actor,
    target,
    params: { configMap: options.configMap, source: options.source as unknown as JsonObject, restart },
    kubectl: [
      `kubectl apply -f ${file}`,
      ...(restart ? [`kubectl rollout restart deployment/${target.deployment} -n ${target.namespace}`, `kubectl rollout status deployment/${target.deployment} -n ${target.namespace}`] : []),
    ],
    summary: `Restore ConfigMap ${options.configMap} from ${'file' in options.source ? options.source.file : 'the incident snapshot'}${restart ? ' and restart the pods' : ''}`,
    precondition: async () => {
      if ('file' in options.source) {
        const file = options.source.file;
        const backups = await listManifestBackups({ kind: 'ConfigMap' });
        saved = backups.find((b) => b.file === file && b.name === options.configMap)?.manifest;
      } else {
        const snap = await db.snapshot.findFirst({ where: { id: options.source.snapshotId, incidentId: incident.id, kind: 'ConfigMap', name: options.configMap } });
        saved = snap?.manifest as JsonObject | undefined;
      }
      if (!saved) return { ok: false, code: 'not_found', message: `No saved version of ConfigMap ${options.configMap} in ${file}` };
      const live = await getConfigMap({ namespace: target.namespace, name: options.configMap });
      if (!live.ok && live.code !== 'NotFound') return { ok: false, code: 'unavailable', message: live.message };
      changedKeys = diffConfigData(live.ok ? live.data.data : undefined, dataOf(saved)).map((d) => d.key);
      if (live.ok && changedKeys.length === 0) return { ok: false, message: `ConfigMap ${options.configMap} already matches ${file}: nothing to restore (skip step 6: no-config-change)` };
      return { ok: true };
    },
    snapshots: async () => {
      const live = await getConfigMap({ namespace: target.namespace, name: options.configMap });
      return live.ok ? [{ kind: 'ConfigMap' as const, namespace: target.namespace, name: options.configMap, manifest: live.data.manifest, resourceVersion: live.data.resourceVersion }] : [];
    },
    execute: async (ctx) => {
      const restored = await restoreConfigMap({ namespace: target.namespace, name: options.configMap, manifest: saved ?? {}, file }, k8sActor);
      if (!restored.ok) return restored;
      const kubectl = [...restored.kubectl];
      let revision: number | null = null;
      if (restart) {
        await ctx.progress(`ConfigMap ${options.configMap} restored (${changedKeys.join(', ')}); restarting ${target.deployment}`, { changedKeys });
        const r = await restartRollout(target, k8sActor);
        kubectl.push(...r.kubectl);
        if (!r.ok) return { ...r, kubectl };
        const done = await waitForRollout({ ...target, timeoutMs: Math.max(30_000, 600_000 / env().CLOCK_SPEED) });
        kubectl.push(...done.kubectl);
        if (!done.ok) return { ...done, kubectl, message: `ConfigMap restored, but the restart did not complete: ${done.message}` };
        revision = done.data.revision;
      }
      return {
        ok: true,
        data: { configMap: options.configMap, changedKeys, created: restored.data.created, restarted: restart, revision },
        kubectl,
        ...(restored.resourceVersionBefore ? { resourceVersionBefore: restored.resourceVersionBefore } : {}),
        ...(restored.resourceVersionAfter ? { resourceVersionAfter: restored.resourceVersionAfter } : {}),
      };
    },
    onSucceeded: async (tx, data) => {
      await setStepStatus(tx, {
        incidentId: incident.id,
        step: 6,
        status: 'done',
        actor: { type: 'person', id: options.actor.id, name: options.actor.name },
        data: { configMap: data.configMap, changedKeys: data.changedKeys, source: file, restarted: data.restarted },
      });
    },
  });
}

