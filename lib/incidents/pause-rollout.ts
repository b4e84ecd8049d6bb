import 'server-only';
import type { ActionResult } from '@/lib/actions/result';
import { getDeployment, pauseRollout as pauseDeploymentRollout, type DeploymentView } from './cluster';
import { incidentTarget, loadIncident } from './load-incident';
import { runAction, type ActionActor, type RunActionData } from './run-action';
import { setStepStatus } from './step-state';
import { SKIP_REASONS } from './steps';

/**
 * Runbook step 2: `kubectl rollout pause`, only while a rollout is in progress. A finished
 * rollout is refused with the reason to skip the step instead.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 2
 */
export async function pauseRollout(options: { incidentId: string; idempotencyKey: string; actor: ActionActor }): Promise<ActionResult<RunActionData<DeploymentView>>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  if (incident.status === 'closed') return { ok: false, code: 'conflict', message: 'The incident is closed' };
  const target = incidentTarget(incident);
  return runAction<DeploymentView>({
    incidentId: incident.id,
    step: 2,
    kind: 'rollout.pause',
    idempotencyKey: options.idempotencyKey,
    actor: options.actor,
    target,
    kubectl: [`kubectl rollout pause deployment/${target.deployment} -n ${target.namespace}`],
    summary: `Pause the rollout of ${target.deployment}`,
    precondition: async () => {
      const d = await getDeployment(target);
      if (!d.ok) return { ok: false, code: 'unavailable', message: d.message };
      if (d.data.paused) return { ok: false, message: `deployment "${target.deployment}" is already paused` };
      // Why: pausing a finished rollout changes nothing and hides the real state; the runbook says "if in progress".
      if (!d.data.rolloutInProgress) return { ok: false, message: `No rollout in progress (${d.data.rollout.message}): skip step 2 (${SKIP_REASONS.noRolloutInProgress.id})` };
      return { ok: true };
    },
    snapshots: async () => {
      const d = await getDeployment(target);
      return d.ok ? [{ kind: 'Deployment', namespace: target.namespace, name: target.deployment, manifest: d.data.manifest, resourceVersion: d.data.resourceVersion }] : [];
    },
    execute: () => pauseDeploymentRollout(target, { email: options.actor.email ?? options.actor.id, name: options.actor.name }),
    onSucceeded: async (tx, d) => {
      if (incident.status === 'declared') await tx.incident.update({ where: { id: incident.id }, data: { status: 'mitigating' } });
      await setStepStatus(tx, {
        incidentId: incident.id,
        step: 2,
        status: 'done',
        actor: { type: 'person', id: options.actor.id, name: options.actor.name },
        data: { paused: true, rollout: d.rollout.message },
      });
    },
  });
}
