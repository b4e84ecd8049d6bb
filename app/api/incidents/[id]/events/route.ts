import { guardRoute } from '@/lib/auth/guard-route';
import { AppError } from '@/lib/errors';
import { findIncidentRef } from '@/lib/timeline/find-incident-ref';
import { streamTimelineEvents } from '@/lib/timeline/stream-timeline-events';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

function parseSeq(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * GET /api/incidents/[id]/events — Server-Sent Events: the incident's new timeline events as they
 * commit on any server replica. `Last-Event-ID` (sent by EventSource on reconnect) or `?after=seq`
 * replays what came after that seq first. Heartbeat comment every 15 s.
 */
export const GET = guardRoute<{ params: Promise<{ id: string }> }>('incident.read', async (request, { params }) => {
  const { id } = await params;
  const ref = await findIncidentRef({ idOrKey: id });
  if (!ref) throw new AppError('not_found', 'There is no such incident.');
  const url = new URL(request.url);
  const afterSeq = parseSeq(request.headers.get('last-event-id')) ?? parseSeq(url.searchParams.get('after'));
  return streamTimelineEvents({ incidentId: ref.id, afterSeq, signal: request.signal });
});
