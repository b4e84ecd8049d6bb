import { guardRoute } from '@/lib/auth/guard-route';
import { AppError } from '@/lib/errors';
import { loadIncidentState } from '@/components/wizard/load-incident-state';
import { findIncidentRef } from '@/lib/timeline/find-incident-ref';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /incidents/[id]/steps/status — the incident's live state for the wizard and the
 * stakeholder view (`IncidentLiveState`): overview (steps, progress, clock, actions), the step 8
 * watch, recent progress events and escalation reminders. Polled every 2 s by open pages; a GET
 * route rather than a server action because Next runs a page's server actions one at a time,
 * and polling must continue while a long action (undo, restore) runs.
 */
export const GET = guardRoute<{ params: Promise<{ id: string }> }>('incident.read', async (_request, { params }) => {
  const { id } = await params;
  const ref = await findIncidentRef({ idOrKey: decodeURIComponent(id) });
  if (!ref) throw new AppError('not_found', 'There is no such incident.');
  const state = await loadIncidentState({ incidentId: ref.id });
  if (!state) throw new AppError('not_found', 'There is no such incident.');
  return Response.json(state, { headers: { 'Cache-Control': 'no-store' } });
});
