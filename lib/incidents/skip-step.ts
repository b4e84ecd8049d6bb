import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { setStepStatus } from './step-state';
import { getStep, isStepNumber } from './steps';
import type { ActionActor } from './run-action';

/**
 * Skips a conditional step with one of its runbook reasons (steps.ts `skipReasons`), optionally
 * with the commander's own words, recorded in StepState.reason and a `step.skipped` event.
 * Steps without skip reasons (1, 3, 4, 7, 8, 10) cannot be skipped.
 */
export async function skipStep(options: {
  incidentId: string;
  step: number;
  reasonId: string;
  note?: string;
  actor: ActionActor;
}): Promise<ActionResult<{ step: number; status: 'skipped'; reason: string }>> {
  if (!isStepNumber(options.step)) return { ok: false, code: 'invalid', message: `No runbook step ${options.step}` };
  const def = getStep(options.step);
  const reason = def.skipReasons.find((r) => r.id === options.reasonId);
  if (!reason) {
    return def.skipReasons.length
      ? { ok: false, code: 'invalid', message: `Step ${def.number} may be skipped only for: ${def.skipReasons.map((r) => r.id).join(', ')}` }
      : { ok: false, code: 'invalid', message: `Step ${def.number} (${def.title}) cannot be skipped` };
  }
  const text = options.note?.trim() ? `${reason.label}. ${options.note.trim()}` : reason.label;
  return db.$transaction(async (tx) => {
    const state = await tx.stepState.findUnique({ where: { incidentId_step: { incidentId: options.incidentId, step: options.step } } });
    if (!state) return { ok: false as const, code: 'not_found', message: 'No such incident step' };
    if (state.status === 'done') return { ok: false as const, code: 'conflict', message: `Step ${def.number} is already done` };
    await setStepStatus(tx, {
      incidentId: options.incidentId,
      step: options.step,
      status: 'skipped',
      reason: text,
      actor: { type: 'person', id: options.actor.id, name: options.actor.name },
      data: { skipReasonId: reason.id },
    });
    return { ok: true as const, data: { step: options.step, status: 'skipped' as const, reason: text } };
  });
}
