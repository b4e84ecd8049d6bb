import 'server-only';
import { db } from '@/lib/db/client';
import { getIncidentOverview } from '@/lib/incidents/get-incident-overview';
import { readWatchState } from '@/lib/jobs/stability-watch';
import type { IncidentLiveState } from './incident-state';

/** Event types shown as "what is happening now" under a running action. */
const PROGRESS_TYPES = ['action.intent', 'action.progress', 'action.succeeded', 'action.failed', 'rollout.progress', 'rollout.completed', 'rollout.failed', 'stability.breach', 'stability.passed', 'step.done', 'step.skipped', 'step.failed'];

/**
 * Everything an open incident page polls, in one read (no cluster calls, so a hundred viewers
 * cost the database a few indexed queries each 2 s, and the Kubernetes API nothing).
 */
export async function loadIncidentState(options: { incidentId: string }): Promise<IncidentLiveState | null> {
  const overview = await getIncidentOverview({ incidentId: options.incidentId });
  if (!overview.ok) return null;
  const [watch, recent, reminders] = await Promise.all([
    readWatchState(options.incidentId),
    db.timelineEvent.findMany({
      where: { incidentId: options.incidentId, type: { in: PROGRESS_TYPES } },
      orderBy: { seq: 'desc' },
      take: 8,
      select: { seq: true, at: true, type: true, summary: true, kubectl: true, actorName: true },
    }),
    db.timelineEvent.findMany({
      where: { incidentId: options.incidentId, type: { in: ['escalation.reminder', 'escalation'] } },
      orderBy: { seq: 'desc' },
      take: 10,
      select: { seq: true, at: true, type: true, summary: true },
    }),
  ]);
  return {
    overview: overview.data,
    watch,
    recent: recent.map((e) => ({ seq: e.seq, at: e.at.toISOString(), type: e.type, summary: e.summary, kubectl: e.kubectl, actorName: e.actorName })),
    reminders: reminders.map((e) => ({ seq: e.seq, at: e.at.toISOString(), type: e.type, summary: e.summary })),
    serverNow: new Date().toISOString(),
  };
}
