import 'server-only';
import { db } from '@/lib/db/client';

export type IncidentRef = { id: string; key: string; title: string };

/**
 * The incident a URL segment names: routes accept the database id or the human key
 * (`/incidents/INC-EXAMPLE-001/export`), so links in chat and in exports both work.
 */
export async function findIncidentRef({ idOrKey }: { idOrKey: string }): Promise<IncidentRef | null> {
  return db.incident.findFirst({
    where: { OR: [{ id: idOrKey }, { key: idOrKey }] },
    select: { id: true, key: true, title: true },
  });
}
