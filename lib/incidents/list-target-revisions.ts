import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { listRevisions } from './cluster';
import { incidentTarget, loadIncident } from './load-incident';
import { suggestTargetRevision, type TargetSuggestion } from './suggest-target-revision';

export type TargetRevisionOption = {
  revision: number;
  image: string | null;
  changeCause: string | null;
  current: boolean;
  knownBad: boolean;
  failed: boolean;
};

/**
 * Runbook step 3's history (`kubectl rollout history`) with each revision flagged current,
 * failed or known-bad, and the suggested last stable revision.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 3
 */
export async function listTargetRevisions(options: { incidentId: string }): Promise<
  ActionResult<{ revisions: TargetRevisionOption[]; suggestion: TargetSuggestion | null; chosen: number | null; kubectl: string[] }>
> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  const revs = await listRevisions(incidentTarget(incident));
  if (!revs.ok) return { ok: false, code: 'unavailable', message: revs.message };
  const knownBad = new Set((await db.knownBadImage.findMany({ select: { image: true } })).map((k) => k.image));
  const current = revs.data.find((r) => r.current)?.revision ?? Math.max(0, ...revs.data.map((r) => r.revision));
  const suggestion = suggestTargetRevision({
    revisions: revs.data,
    currentRevision: current,
    failedImage: incident.failedImage,
    knownBadImages: knownBad,
  });
  return {
    ok: true,
    data: {
      revisions: revs.data.map((r) => ({
        revision: r.revision,
        image: r.image,
        changeCause: r.changeCause,
        current: r.current,
        knownBad: r.image !== null && knownBad.has(r.image),
        failed: r.image !== null && r.image === incident.failedImage,
      })),
      suggestion,
      chosen: incident.targetRevision,
      kubectl: revs.kubectl,
    },
  };
}
