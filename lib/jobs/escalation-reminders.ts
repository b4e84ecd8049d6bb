import 'server-only';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { appendEvent } from '@/lib/timeline/append-event';
import { checkRollbackCompletion } from '@/lib/incidents/execute-rollback';
import { getBoss, QUEUES } from './boss';
import { dueReminders, reminderSummary } from './escalation-ladder';

/**
 * The runbook's escalation ladder as reminders: for every open incident not yet recovered
 * (no mitigation), each rung due (5, 10, 15, 20 minutes after declaration, divided by
 * CLOCK_SPEED) becomes one `escalation.reminder` timeline event naming who to call. Idempotent
 * (checked under a per-incident lock against the events already written), so several replicas
 * or a restart never duplicate a reminder.
 * @see ../../../shared/runbooks/rollback-procedure.md "Escalation"
 */
export async function runEscalationSweep(options: { now?: Date } = {}): Promise<{ reminders: { incidentId: string; afterMinutes: number }[] }> {
  const now = options.now ?? new Date();
  const clockSpeed = env().CLOCK_SPEED;
  const open = await db.incident.findMany({ where: { status: { in: ['declared', 'mitigating'] }, mitigatedAt: null }, select: { id: true, declaredAt: true } });
  const sent: { incidentId: string; afterMinutes: number }[] = [];
  for (const incident of open) {
    // A rollback nobody followed to the end (server restarted mid-rollout) stops the clock here.
    if ((await checkRollbackCompletion({ incidentId: incident.id }).catch(() => 'pending')) === 'complete') continue;
    const quick = dueReminders({ declaredAt: incident.declaredAt, now, clockSpeed, recovered: false, alreadySent: [] });
    if (!quick.length) continue;
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`escalation:${incident.id}`}))`;
      const fresh = await tx.incident.findUnique({ where: { id: incident.id }, select: { status: true, mitigatedAt: true } });
      if (!fresh || fresh.mitigatedAt || !['declared', 'mitigating'].includes(fresh.status)) return;
      const previous = await tx.timelineEvent.findMany({ where: { incidentId: incident.id, type: 'escalation.reminder' }, select: { payload: true } });
      const already = previous.map((e) => Number((e.payload as { afterMinutes?: unknown }).afterMinutes)).filter(Number.isFinite);
      for (const rung of dueReminders({ declaredAt: incident.declaredAt, now, clockSpeed, recovered: false, alreadySent: already })) {
        await appendEvent(
          {
            incidentId: incident.id,
            actor: { type: 'system', name: 'escalation reminder' },
            type: 'escalation.reminder',
            summary: reminderSummary(rung),
            payload: { afterMinutes: rung.afterMinutes, who: rung.who, contact: rung.contact, clockSpeed },
          },
          tx,
        );
        sent.push({ incidentId: incident.id, afterMinutes: rung.afterMinutes });
      }
    });
  }
  return { reminders: sent };
}

/** How often the sweep runs: every 30 s of runbook time... scaled, between 0.5 s and 30 s. */
export function sweepIntervalMs(clockSpeed: number): number {
  return Math.min(30_000, Math.max(500, 30_000 / clockSpeed));
}

export async function enqueueEscalationSweep(options: { delayMs?: number } = {}): Promise<string | null> {
  const boss = await getBoss();
  const startAfter = options.delayMs && options.delayMs > 0 ? options.delayMs / 1000 : undefined;
  return boss.send(QUEUES.escalationSweep, {}, { singletonKey: 'sweep', ...(startAfter ? { startAfter } : {}) });
}
