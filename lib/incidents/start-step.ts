import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { setStepStatus } from './step-state';
import { isStepNumber } from './steps';
import type { ActionActor } from './run-action';

/** Marks a step in progress (the commander opened it and began), with a `step.started` event. */
export async function startStep(options: { incidentId: string; step: number; actor: ActionActor }): Promise<ActionResult<{ step: number; status: 'in_progress' }>> {
  if (!isStepNumber(options.step)) return { ok: false, code: 'invalid', message: `No runbook step ${options.step}` };
  return db.$transaction(async (tx) => {
    const state = await tx.stepState.findUnique({ where: { incidentId_step: { incidentId: options.incidentId, step: options.step } } });
    if (!state) return { ok: false as const, code: 'not_found', message: 'No such incident step' };
    // Re-opening a finished step would rewrite history; the timeline keeps what was done.
    if (state.status !== 'pending' && state.status !== 'failed') return { ok: true as const, data: { step: options.step, status: 'in_progress' as const } };
    await setStepStatus(tx, { incidentId: options.incidentId, step: options.step, status: 'in_progress', actor: { type: 'person', id: options.actor.id, name: options.actor.name } });
    return { ok: true as const, data: { step: options.step, status: 'in_progress' as const } };
  });
}
