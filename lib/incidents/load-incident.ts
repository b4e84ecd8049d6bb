import 'server-only';
import { db } from '@/lib/db/client';
import type { Incident } from '@/lib/generated/prisma/client';

/** The incident, or null. Open means not yet closed (actions are refused on a closed incident). */
export async function loadIncident(incidentId: string): Promise<Incident | null> {
  return db.incident.findUnique({ where: { id: incidentId } });
}

export function incidentTarget(incident: Pick<Incident, 'namespace' | 'deployment'>): { namespace: string; deployment: string } {
  return { namespace: incident.namespace, deployment: incident.deployment };
}

export const CLOSED = 'closed';
