import { guardRoute } from '@/lib/auth/guard-route';
import { AppError } from '@/lib/errors';
import { findIncidentRef } from '@/lib/timeline/find-incident-ref';
import { listEvents } from '@/lib/timeline/list-events';
import { toEventView } from '@/lib/timeline/to-event-view';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/incidents/[id]/events/list[?after=seq] — the incident's events as JSON
 * (`{ incidentId, events: TimelineEventView[] }`), oldest first: the Timeline's initial list.
 */
export const GET = guardRoute<{ params: Promise<{ id: string }> }>('incident.read', async (request, { params }) => {
  const { id } = await params;
  const ref = await findIncidentRef({ idOrKey: id });
  if (!ref) throw new AppError('not_found', 'There is no such incident.');
  const after = Number(new URL(request.url).searchParams.get('after') ?? '');
  const events = await listEvents({ incidentId: ref.id, afterSeq: Number.isInteger(after) && after > 0 ? after : undefined });
  return Response.json({ incidentId: ref.id, events: events.map(toEventView) }, { headers: { 'Cache-Control': 'no-store' } });
});
