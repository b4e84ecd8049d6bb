import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { appendEvent } from '@/lib/timeline/append-event';
import { POST_INCIDENT_ACTIONS } from '@/lib/timeline/post-incident-actions';
import { postMessage } from '@/lib/notify/post-message';
import { imageVersion, renderResolution } from '@/lib/notify/templates';
import { buildIncidentReport, recoveryMinutes } from './build-incident-report';
import { setStepStatus } from './step-state';
import type { ActionActor } from './run-action';

export type ResolveIncidentResult = {
  resolution: { text: string; posted: boolean; error?: string };
  report: string;
  knownBadImage: string | null;
  followUps: { group: string; item: string; done: boolean }[];
  recoveryMinutes: number;
};

/**
 * Runbook step 10: the resolution message from the runbook's template (posted to Slack when
 * configured, else returned for copying), the incident report draft, the failed image marked
 * known-bad (so step 3 passes over it next time), and the post-incident follow-ups as a
 * checklist in StepState(10).data. Sets status `resolved` and resolvedAt; closeIncident() closes.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 10
 */
export async function resolveIncident(options: { incidentId: string; actor: ActionActor; nextSteps?: string; service?: string; markKnownBad?: boolean }): Promise<ActionResult<ResolveIncidentResult>> {
  const incident = await db.incident.findUnique({ where: { id: options.incidentId }, include: { commander: { select: { name: true } } } });
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  if (incident.status === 'closed') return { ok: false, code: 'conflict', message: 'The incident is closed' };
  const now = new Date();
  const minutes = recoveryMinutes(incident.detectedAt, incident.mitigatedAt, now);
  const text = renderResolution({
    service: options.service ?? incident.deployment,
    fromVersion: imageVersion(incident.failedImage),
    toVersion: imageVersion(incident.targetImage),
    recoveryMinutes: minutes,
    nextSteps: options.nextSteps,
  });
  const [steps, actions] = await Promise.all([
    db.stepState.findMany({ where: { incidentId: incident.id }, orderBy: { step: 'asc' } }),
    db.action.findMany({ where: { incidentId: incident.id }, orderBy: { createdAt: 'asc' } }),
  ]);
  const report = buildIncidentReport(
    { incident: { ...incident, commanderName: incident.commander.name, resolvedAt: now }, steps, actions },
    now,
  );
  const followUps = POST_INCIDENT_ACTIONS.flatMap((g) => g.items.map((item) => ({ group: g.when, item, done: false })));
  const markKnownBad = options.markKnownBad !== false && Boolean(incident.failedImage);
  const posted = await postMessage({ text });
  const person = { type: 'person' as const, id: options.actor.id, name: options.actor.name };

  await db.$transaction(async (tx) => {
    await tx.incident.update({ where: { id: incident.id }, data: { status: 'resolved', resolvedAt: incident.resolvedAt ?? now } });
    if (markKnownBad && incident.failedImage) {
      await tx.knownBadImage.upsert({
        where: { image: incident.failedImage },
        create: { image: incident.failedImage, reason: `${incident.key}: ${incident.title}`, incidentId: incident.id, markedBy: options.actor.name },
        update: {},
      });
      await appendEvent(
        { incidentId: incident.id, actor: person, type: 'image.known-bad', summary: `Image ${incident.failedImage} marked known-bad`, payload: { image: incident.failedImage } },
        tx,
      );
    }
    await appendEvent(
      {
        incidentId: incident.id,
        actor: person,
        type: 'incident.resolved',
        summary: `${incident.key} resolved: rolled back from ${imageVersion(incident.failedImage)} to ${imageVersion(incident.targetImage)} in ${Math.round(minutes)} minutes${posted.posted ? '; resolution posted to Slack' : ''}`,
        payload: { resolution: text, posted: posted.posted, recoveryMinutes: Math.round(minutes * 10) / 10 },
      },
      tx,
    );
    await setStepStatus(tx, { incidentId: incident.id, step: 10, status: 'in_progress', actor: person, data: { resolution: text, resolutionPosted: posted.posted, report, followUps } });
  });
  return {
    ok: true,
    data: {
      resolution: { text, posted: posted.posted, ...(posted.posted || !posted.error ? {} : { error: posted.error }) },
      report,
      knownBadImage: markKnownBad ? incident.failedImage : null,
      followUps,
      recoveryMinutes: minutes,
    },
  };
}
