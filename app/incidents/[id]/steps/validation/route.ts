import { guardRoute } from '@/lib/auth/guard-route';
import { AppError } from '@/lib/errors';
import { validationChecklist } from '@/lib/incidents/validation-checklist';
import { findIncidentRef } from '@/lib/timeline/find-incident-ref';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /incidents/[id]/steps/validation — the runbook's Validation checklist, live. */
export const GET = guardRoute<{ params: Promise<{ id: string }> }>('incident.read', async (_request, { params }) => {
  const { id } = await params;
  const ref = await findIncidentRef({ idOrKey: decodeURIComponent(id) });
  if (!ref) throw new AppError('not_found', 'There is no such incident.');
  const result = await validationChecklist({ incidentId: ref.id });
  if (!result.ok) throw new AppError(result.code === 'not_found' ? 'not_found' : 'unavailable', result.message);
  return Response.json(result.data, { headers: { 'Cache-Control': 'no-store' } });
});
