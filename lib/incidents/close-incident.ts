import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { appendEvent } from '@/lib/timeline/append-event';
import { setStepStatus } from './step-state';
import type { ActionActor } from './run-action';

/**
 * Closes a resolved incident (runbook step 10 done). Unfinished steps are listed in the event
 * so the record shows what was left open.
 */
export async function closeIncident(options: { incidentId: string; actor: ActionActor }): Promise<ActionResult<{ closedAt: string; openSteps: number[] }>> {
  return db.$transaction(async (tx) => {
    const incident = await tx.incident.findUnique({ where: { id: options.incidentId } });
    if (!incident) return { ok: false as const, code: 'not_found', message: 'No such incident' };
    if (incident.status === 'closed') return { ok: true as const, data: { closedAt: (incident.closedAt ?? new Date()).toISOString(), openSteps: [] } };
    // Why: closing skips the resolution message, the report and the known-bad mark.
    if (incident.status !== 'resolved') return { ok: false as const, code: 'precondition_failed', message: 'Resolve the incident first (step 10: resolution message, report, known-bad image)' };
    const now = new Date();
    const open = await tx.stepState.findMany({ where: { incidentId: incident.id, status: { in: ['pending', 'in_progress', 'failed'] }, step: { not: 10 } }, select: { step: true } });
    const person = { type: 'person' as const, id: options.actor.id, name: options.actor.name };
    await tx.incident.update({ where: { id: incident.id }, data: { status: 'closed', closedAt: now } });
    await setStepStatus(tx, { incidentId: incident.id, step: 10, status: 'done', actor: person });
    await appendEvent(
      {
        incidentId: incident.id,
        actor: person,
        type: 'incident.closed',
        summary: `${incident.key} closed by ${options.actor.name}${open.length ? ` (steps not finished: ${open.map((s) => s.step).join(', ')})` : ''}`,
        payload: { openSteps: open.map((s) => s.step) },
      },
      tx,
    );
    return { ok: true as const, data: { closedAt: now.toISOString(), openSteps: open.map((s) => s.step) } };
  });
}
