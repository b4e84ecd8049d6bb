import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { appendEvent } from '@/lib/timeline/append-event';
import { listRevisions } from './cluster';
import { incidentTarget, loadIncident } from './load-incident';
import { setStepStatus } from './step-state';
import type { ActionActor } from './run-action';

/**
 * Runbook step 3: the commander's choice of target revision, checked against live history:
 * it must exist, be older than the current one, and not run the failed image or a known-bad one
 * (unless `acceptKnownBad`, recorded in the event). Sets Incident.targetRevision/targetImage and
 * completes step 3.
 */
export async function chooseTargetRevision(options: {
  incidentId: string;
  revision: number;
  actor: ActionActor;
  acceptKnownBad?: boolean;
}): Promise<ActionResult<{ revision: number; image: string | null }>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  const revs = await listRevisions(incidentTarget(incident));
  if (!revs.ok) return { ok: false, code: 'unavailable', message: revs.message };
  const chosen = revs.data.find((r) => r.revision === options.revision);
  if (!chosen) return { ok: false, code: 'not_found', message: `Revision ${options.revision} is not in the rollout history` };
  if (chosen.current) return { ok: false, code: 'precondition_failed', message: `Revision ${options.revision} is the current revision` };
  if (chosen.image && chosen.image === incident.failedImage) {
    return { ok: false, code: 'precondition_failed', message: `Revision ${options.revision} runs the failed image ${chosen.image}` };
  }
  const knownBad = chosen.image ? await db.knownBadImage.findUnique({ where: { image: chosen.image } }) : null;
  if (knownBad && !options.acceptKnownBad) {
    return { ok: false, code: 'precondition_failed', message: `Revision ${options.revision} runs ${chosen.image}, marked known-bad: ${knownBad.reason}` };
  }
  await db.$transaction(async (tx) => {
    await tx.incident.update({ where: { id: incident.id }, data: { targetRevision: chosen.revision, targetImage: chosen.image } });
    await appendEvent(
      {
        incidentId: incident.id,
        actor: { type: 'person', id: options.actor.id, name: options.actor.name },
        type: 'target.chosen',
        summary: `Target revision ${chosen.revision} chosen (${chosen.image ?? 'unknown image'}${chosen.changeCause ? `, "${chosen.changeCause}"` : ''})`,
        payload: { revision: chosen.revision, image: chosen.image, changeCause: chosen.changeCause, acceptedKnownBad: Boolean(knownBad) },
        kubectl: `kubectl rollout history deployment/${incident.deployment} -n ${incident.namespace} --revision=${chosen.revision}`,
      },
      tx,
    );
    await setStepStatus(tx, {
      incidentId: incident.id,
      step: 3,
      status: 'done',
      actor: { type: 'person', id: options.actor.id, name: options.actor.name },
      data: { revision: chosen.revision, image: chosen.image },
    });
  });
  return { ok: true, data: { revision: chosen.revision, image: chosen.image } };
}
