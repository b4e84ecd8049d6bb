import 'server-only';
import { db } from '@/lib/db/client';
import type { TimelineExportData } from './export-types';
import { listEvents } from './list-events';

/** Everything the exports and the print page need for one incident, or null if there is none. */
export async function loadExportData({ incidentId, now = new Date() }: { incidentId: string; now?: Date }): Promise<TimelineExportData | null> {
  const incident = await db.incident.findUnique({
    where: { id: incidentId },
    include: { commander: { select: { name: true } } },
  });
  if (!incident) return null;
  const [steps, events] = await Promise.all([
    db.stepState.findMany({ where: { incidentId }, orderBy: { step: 'asc' }, select: { step: true, status: true, reason: true, completedAt: true } }),
    listEvents({ incidentId }),
  ]);
  const { commander, createdAt: _c, updatedAt: _u, commanderId: _id, ...rest } = incident;
  return {
    incident: { ...rest, commanderName: commander.name },
    steps,
    events,
    generatedAt: now,
  };
}
