import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { appendEvent } from '@/lib/timeline/append-event';
import { SEVERITIES, type Severity } from './declare-incident';
import type { ActionActor } from './run-action';

export type IncidentChanges = Partial<{ title: string; severity: Severity; detectedAt: Date; symptoms: string; impact: string }>;

/**
 * Edits what was known at declaration (detected time is often learned later). The change and an
 * `incident.updated` event with old and new values commit together.
 */
export async function updateIncident(options: { incidentId: string; changes: IncidentChanges; actor: ActionActor }): Promise<ActionResult<{ changed: string[] }>> {
  const c = options.changes;
  if (c.severity !== undefined && !SEVERITIES.includes(c.severity)) return { ok: false, code: 'invalid', message: 'Severity must be SEV1, SEV2 or SEV3' };
  if (c.title !== undefined && !c.title.trim()) return { ok: false, code: 'invalid', message: 'A title is required', fieldErrors: { title: ['A title is required'] } };
  return db.$transaction(async (tx) => {
    const incident = await tx.incident.findUnique({ where: { id: options.incidentId } });
    if (!incident) return { ok: false as const, code: 'not_found', message: 'No such incident' };
    if (c.detectedAt && c.detectedAt.getTime() > incident.declaredAt.getTime() + 60_000) {
      return { ok: false as const, code: 'invalid', message: 'Detected time cannot be after the declaration', fieldErrors: { detectedAt: ['Must not be after the declaration'] } };
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const data: Record<string, unknown> = {};
    for (const field of ['title', 'severity', 'symptoms', 'impact'] as const) {
      const value = c[field]?.trim();
      if (value !== undefined && value !== incident[field]) {
        before[field] = incident[field];
        after[field] = value;
        data[field] = value;
      }
    }
    if (c.detectedAt && c.detectedAt.getTime() !== incident.detectedAt.getTime()) {
      before.detectedAt = incident.detectedAt.toISOString();
      after.detectedAt = c.detectedAt.toISOString();
      data.detectedAt = c.detectedAt;
    }
    const changed = Object.keys(after);
    if (!changed.length) return { ok: true as const, data: { changed } };
    await tx.incident.update({ where: { id: incident.id }, data });
    await appendEvent(
      {
        incidentId: incident.id,
        actor: { type: 'person', id: options.actor.id, name: options.actor.name },
        type: 'incident.updated',
        summary: `${options.actor.name} changed ${changed.join(', ')}`,
        payload: { before, after } as Record<string, unknown>,
      },
      tx,
    );
    return { ok: true as const, data: { changed } };
  });
}
