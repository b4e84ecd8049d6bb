import 'server-only';
import type { ActionResult } from '@/lib/actions/result';
import { env } from '@/lib/env';
import { listBackups } from '@/lib/targetdb/list-backups';
import { restoreBackup, type RestoreMethod } from '@/lib/targetdb/restore-backup';
import { targetDatabaseUrl } from '@/lib/targetdb/get-schema-version';
import { db } from '@/lib/db/client';
import { getDeployment, listPods, scaleDeployment, waitForPods } from './cluster';
import { incidentTarget, loadIncident } from './load-incident';
import { runAction, type ActionActor, type RunActionData } from './run-action';
import { setStepStatus } from './step-state';

export type RestoreDatabaseOutcome = {
  backup: string;
  method: RestoreMethod;
  schemaVersion: string | null;
  previousReplicas: number;
  restoredReplicas: number;
};

/**
 * Runbook step 5, as one action: scale the deployment to 0, wait until every pod is gone,
 * REFUSE to restore while any pod still runs (running pods keep writing and would lose their
 * writes or corrupt the restore), restore the chosen backup into TARGET_DATABASE_URL in one
 * transaction (lib/targetdb: the pg driver, psql only for COPY dumps), verify the schema version,
 * scale back to the previous replica count and wait until ready. If the restore fails the
 * database is unchanged (rolled back) and the deployment is still scaled back up.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 5
 */
export async function restoreDatabase(options: {
  incidentId: string;
  /** File name from listBackups(), e.g. backup-20251114-095959.sql.gz */
  backup: string;
  idempotencyKey: string;
  actor: ActionActor;
  /** How long to wait for pods to terminate before refusing (default 60 s of runbook time). */
  podsGoneTimeoutMs?: number;
  readyTimeoutMs?: number;
}): Promise<ActionResult<RunActionData<RestoreDatabaseOutcome>>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  if (incident.status === 'closed') return { ok: false, code: 'conflict', message: 'The incident is closed' };
  const target = incidentTarget(incident);
  const k8sActor = { email: options.actor.email ?? options.actor.id, name: options.actor.name };
  const speed = env().CLOCK_SPEED;
  let replicas = 0;
  let selector = '';

  return runAction<RestoreDatabaseOutcome>({
    incidentId: incident.id,
    step: 5,
    kind: 'database.restore',
    idempotencyKey: options.idempotencyKey,
    actor: options.actor,
    target,
    params: { backup: options.backup },
    kubectl: [
      `kubectl scale deployment ${target.deployment} -n ${target.namespace} --replicas=0`,
      `kubectl wait --for=delete pod -l app=${target.deployment} -n ${target.namespace} --timeout=60s`,
      `gunzip < ${options.backup} | psql "$TARGET_DATABASE_URL"`,
      `psql "$TARGET_DATABASE_URL" -c "SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1;"`,
      `kubectl scale deployment ${target.deployment} -n ${target.namespace} --replicas=N`,
      `kubectl wait --for=condition=ready pod -l app=${target.deployment} -n ${target.namespace} --timeout=300s`,
    ],
    summary: `Restore the application database from ${options.backup}`,
    precondition: async () => {
      try {
        targetDatabaseUrl();
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
      const backups = await listBackups();
      if (!backups.some((b) => b.name === options.backup)) return { ok: false, code: 'not_found', message: `No backup named ${options.backup} in the backup folder` };
      const d = await getDeployment(target);
      if (!d.ok) return { ok: false, code: 'unavailable', message: d.message };
      selector = d.data.selector;
      replicas = d.data.replicas;
      if (replicas === 0) {
        // Already scaled down (e.g. a retry after a failed restore): go back to the declared size.
        const declared = await db.snapshot.findFirst({ where: { incidentId: incident.id, kind: 'Deployment', reason: 'declared' } });
        replicas = ((declared?.manifest as { spec?: { replicas?: number } } | undefined)?.spec?.replicas ?? 1) || 1;
      }
      return { ok: true };
    },
    snapshots: async () => {
      const d = await getDeployment(target);
      return d.ok ? [{ kind: 'Deployment' as const, namespace: target.namespace, name: target.deployment, manifest: d.data.manifest, resourceVersion: d.data.resourceVersion }] : [];
    },
    execute: async (ctx) => {
      const kubectl: string[] = [];
      const down = await scaleDeployment({ ...target, replicas: 0 }, k8sActor);
      kubectl.push(...down.kubectl);
      if (!down.ok) return { ...down, kubectl };
      await ctx.progress(`Scaled ${target.deployment} to 0 (was ${replicas}); waiting for pods to terminate`, { replicas: 0, previousReplicas: replicas });
      const gone = await waitForPods({
        namespace: target.namespace,
        selector,
        condition: 'delete',
        timeoutMs: options.podsGoneTimeoutMs ?? Math.max(5_000, 60_000 / speed),
      });
      kubectl.push(...gone.kubectl);
      // The refusal: check again right before the restore, whatever the wait said.
      const still = await listPods({ namespace: target.namespace, selector });
      if (!gone.ok || !still.ok || still.data.length > 0) {
        const n = still.ok ? still.data.length : '?';
        const up = await scaleDeployment({ ...target, replicas }, k8sActor);
        kubectl.push(...up.kubectl);
        return {
          ok: false,
          code: 'precondition_failed',
          message: `Refusing to restore the database while ${n} pod(s) of ${target.deployment} still run (${gone.ok ? 'still listed' : gone.message}); scaled back to ${replicas}`,
          kubectl,
        };
      }
      await ctx.progress('All pods terminated; restoring the backup', { backup: options.backup });
      let restored: Awaited<ReturnType<typeof restoreBackup>> | undefined;
      let restoreError: string | undefined;
      try {
        restored = await restoreBackup({ backup: options.backup });
        kubectl.push(restored.method === 'psql' ? `gunzip < ${options.backup} | psql --single-transaction "$TARGET_DATABASE_URL"` : `gunzip < ${options.backup} | psql --single-transaction "$TARGET_DATABASE_URL"  # run through the pg driver`);
        kubectl.push(`psql "$TARGET_DATABASE_URL" -c "SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1;"`);
        await ctx.progress(`Database restored from ${options.backup} (${restored.method}); schema version ${restored.schemaVersion ?? 'none'}`, {
          schemaVersion: restored.schemaVersion,
          method: restored.method,
        });
      } catch (error) {
        restoreError = error instanceof Error ? error.message : String(error);
        await ctx.progress(`Restore failed and was rolled back: ${restoreError}; scaling back up`, {});
      }
      const up = await scaleDeployment({ ...target, replicas }, k8sActor);
      kubectl.push(...up.kubectl);
      if (!up.ok) return { ...up, kubectl };
      const ready = await waitForPods({ namespace: target.namespace, selector, condition: 'ready', count: replicas, timeoutMs: options.readyTimeoutMs ?? Math.max(10_000, 300_000 / speed) });
      kubectl.push(...ready.kubectl);
      if (restoreError || !restored) return { ok: false, code: 'restore_failed', message: `Database restore failed (database unchanged): ${restoreError}`, kubectl };
      if (!ready.ok) return { ok: false, code: ready.code, message: `Database restored (schema ${restored.schemaVersion}) but pods did not become ready: ${ready.message}`, kubectl };
      return {
        ok: true,
        data: { backup: options.backup, method: restored.method, schemaVersion: restored.schemaVersion, previousReplicas: replicas, restoredReplicas: replicas },
        kubectl,
        resourceVersionBefore: down.resourceVersionAfter,
        resourceVersionAfter: up.resourceVersionAfter,
      };
    },
    onSucceeded: async (tx, data) => {
      await setStepStatus(tx, {
        incidentId: incident.id,
        step: 5,
        status: 'done',
        actor: { type: 'person', id: options.actor.id, name: options.actor.name },
        data: { backup: data.backup, schemaVersion: data.schemaVersion, method: data.method, replicas: data.restoredReplicas },
      });
    },
  });
}
