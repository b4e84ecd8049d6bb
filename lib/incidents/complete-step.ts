import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { setStepStatus } from './step-state';
import { isStepNumber } from './steps';
import type { ActionActor } from './run-action';

/**
 * Marks a step done by the commander's decision (e.g. step 1 after copying the announcement),
 * with a `step.done` event. Step actions complete their own steps; this is for the rest.
 */
export async function completeStep(options: { incidentId: string; step: number; actor: ActionActor; note?: string }): Promise<ActionResult<{ step: number; status: 'done' }>> {
  if (!isStepNumber(options.step)) return { ok: false, code: 'invalid', message: `No runbook step ${options.step}` };
  return db.$transaction(async (tx) => {
    const state = await tx.stepState.findUnique({ where: { incidentId_step: { incidentId: options.incidentId, step: options.step } } });
    if (!state) return { ok: false as const, code: 'not_found', message: 'No such incident step' };
    if (state.status === 'done') return { ok: true as const, data: { step: options.step, status: 'done' as const } };
    await setStepStatus(tx, {
      incidentId: options.incidentId,
      step: options.step,
      status: 'done',
      actor: { type: 'person', id: options.actor.id, name: options.actor.name },
      data: options.note ? { note: options.note } : {},
    });
    return { ok: true as const, data: { step: options.step, status: 'done' as const } };
  });
}
