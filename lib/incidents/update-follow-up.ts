import 'server-only';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { ActionResult } from '@/lib/actions/result';
import { appendEvent } from '@/lib/timeline/append-event';
import type { ActionActor } from './run-action';

type FollowUp = { group: string; item: string; done: boolean };

/**
 * Ticks (or unticks) one post-incident follow-up from step 10's checklist (written by
 * resolveIncident into StepState(10).data.followUps). Allowed after close: follow-ups are the
 * work that comes after. Records `followup.updated`.
 */
export async function updateFollowUp(options: { incidentId: string; index: number; done: boolean; actor: ActionActor }): Promise<ActionResult<{ followUps: FollowUp[] }>> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "rollback_console"."StepState" WHERE "incidentId" = ${options.incidentId} AND step = 10 FOR UPDATE`;
    const state = await tx.stepState.findUnique({ where: { incidentId_step: { incidentId: options.incidentId, step: 10 } } });
    const data = (state?.data as { followUps?: FollowUp[] } | null) ?? {};
    const followUps = [...(data.followUps ?? [])];
    const item = followUps[options.index];
    if (!state || !item) return { ok: false as const, code: 'not_found', message: 'No such follow-up (resolve the incident first)' };
    if (item.done === options.done) return { ok: true as const, data: { followUps } };
    followUps[options.index] = { ...item, done: options.done };
    await tx.stepState.update({ where: { id: state.id }, data: { data: { ...data, followUps } as unknown as Prisma.InputJsonValue } });
    await appendEvent(
      {
        incidentId: options.incidentId,
        actor: { type: 'person', id: options.actor.id, name: options.actor.name },
        type: 'followup.updated',
        summary: `Follow-up ${options.done ? 'done' : 'reopened'}: ${item.item}`,
        payload: { index: options.index, group: item.group, item: item.item, done: options.done },
      },
      tx,
    );
    return { ok: true as const, data: { followUps } };
  });
}
