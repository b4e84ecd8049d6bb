import 'server-only';
import type { Tx } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import { appendEvent } from '@/lib/timeline/append-event';
import type { TimelineActor } from '@/lib/timeline/types';
import { getStep, type StepStatus } from './steps';

/**
 * Moves one step to a new status and records it on the timeline, in the caller's transaction.
 * Shared by start/complete/skip and by the step actions (which complete their own step).
 * `data` is merged into StepState.data (check results, choices).
 */
export async function setStepStatus(
  tx: Tx,
  options: {
    incidentId: string;
    step: number;
    status: StepStatus;
    actor: TimelineActor;
    reason?: string | null;
    data?: Record<string, unknown>;
    summary?: string;
  },
): Promise<void> {
  const def = getStep(options.step);
  const current = await tx.stepState.findUnique({ where: { incidentId_step: { incidentId: options.incidentId, step: options.step } } });
  const now = new Date();
  const mergedData = { ...((current?.data as Record<string, unknown> | null) ?? {}), ...(options.data ?? {}) } as Prisma.InputJsonValue;
  const actorId = options.actor.type === 'person' ? options.actor.id : null;
  await tx.stepState.upsert({
    where: { incidentId_step: { incidentId: options.incidentId, step: options.step } },
    create: {
      incidentId: options.incidentId,
      step: options.step,
      status: options.status,
      reason: options.reason ?? null,
      actorId,
      startedAt: now,
      completedAt: ['done', 'skipped', 'failed'].includes(options.status) ? now : null,
      data: mergedData,
    },
    update: {
      status: options.status,
      reason: options.reason ?? (options.status === 'done' || options.status === 'in_progress' ? null : undefined),
      actorId: actorId ?? undefined,
      startedAt: current?.startedAt ?? now,
      completedAt: ['done', 'skipped', 'failed'].includes(options.status) ? now : null,
      data: mergedData,
    },
  });
  if (current?.status === options.status && !options.reason && !options.summary) return;
  const verb = { pending: 'reset', in_progress: 'started', done: 'done', skipped: 'skipped', failed: 'failed' }[options.status];
  await appendEvent(
    {
      incidentId: options.incidentId,
      actor: options.actor,
      type: `step.${options.status === 'in_progress' ? 'started' : options.status}`,
      summary: options.summary ?? `Step ${def.number} ${verb}: ${def.title}${options.reason ? ` (${options.reason})` : ''}`,
      payload: { step: def.number, status: options.status, reason: options.reason ?? null },
    },
    tx,
  );
}
