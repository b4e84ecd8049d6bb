'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { closeIncident as closeIncidentOp } from '@/lib/incidents/close-incident';
import { completeStep as completeStepOp } from '@/lib/incidents/complete-step';
import { chooseTargetRevision as chooseTargetRevisionOp } from '@/lib/incidents/choose-target-revision';
import { SEVERITIES } from '@/lib/incidents/declare-incident';
import { executeRollback as executeRollbackOp } from '@/lib/incidents/execute-rollback';
import { pauseRollout as pauseRolloutOp } from '@/lib/incidents/pause-rollout';
import { previewRollback as previewRollbackOp } from '@/lib/incidents/preview-rollback';
import { resolveIncident as resolveIncidentOp } from '@/lib/incidents/resolve-incident';
import { restoreAutoscaling as restoreAutoscalingOp } from '@/lib/incidents/restore-autoscaling';
import { restoreConfig as restoreConfigOp } from '@/lib/incidents/restore-config';
import { restoreDatabase as restoreDatabaseOp } from '@/lib/incidents/restore-database';
import { skipStep as skipStepOp } from '@/lib/incidents/skip-step';
import { startStabilityWatch as startStabilityWatchOp } from '@/lib/incidents/start-stability-watch';
import { startStep as startStepOp } from '@/lib/incidents/start-step';
import { updateFollowUp as updateFollowUpOp } from '@/lib/incidents/update-follow-up';
import { updateIncident as updateIncidentOp } from '@/lib/incidents/update-incident';
import { verifyRollback as verifyRollbackOp } from '@/lib/incidents/verify-rollback';

/*
 * The wizard's server actions: thin on purpose (CONVENTIONS.md §3). Each parses its input, checks
 * the step action's permission (defineAction), calls one lib/incidents function with the signed-in
 * person as the actor and returns its ActionResult. Cluster-changing actions carry the
 * idempotency key the browser generated for the click gesture, so a double click or a retry runs
 * the change once (lib/incidents/run-action.ts).
 */

const incidentId = z.string().min(1).max(100);
const idempotencyKey = z.string().min(8).max(100);
const step = z.coerce.number().int().min(1).max(10);

const rollbackSource = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('previous') }),
  z.object({ mode: z.literal('revision'), revision: z.number().int().positive().optional() }),
  z.object({ mode: z.literal('manifest'), file: z.string().max(300).optional(), snapshotId: z.string().max(100).optional() }),
]);

export const updateIncident = defineAction({
  name: 'updateIncident',
  permission: 'incident.update',
  input: z.object({
    incidentId,
    title: z.string().trim().min(3).max(200).optional(),
    severity: z.enum(SEVERITIES).optional(),
    detectedAt: z.string().optional(),
    symptoms: z.string().max(4000).optional(),
    impact: z.string().max(4000).optional(),
  }),
  run: async ({ incidentId, detectedAt, ...rest }, { user }) => {
    const changes: Parameters<typeof updateIncidentOp>[0]['changes'] = { ...rest };
    if (detectedAt) {
      const d = new Date(detectedAt);
      if (Number.isNaN(d.getTime())) return { ok: false as const, code: 'invalid', message: 'The detection time is not a valid time.', fieldErrors: { detectedAt: ['Not a valid time.'] } };
      changes.detectedAt = d;
    }
    return updateIncidentOp({ incidentId, changes, actor: user });
  },
});

export const startStep = defineAction({
  name: 'startStep',
  permission: 'step.update',
  input: z.object({ incidentId, step }),
  run: ({ incidentId, step }, { user }) => startStepOp({ incidentId, step, actor: user }),
});

export const completeStep = defineAction({
  name: 'completeStep',
  permission: 'step.update',
  input: z.object({ incidentId, step, note: z.string().max(2000).optional() }),
  run: ({ incidentId, step, note }, { user }) => completeStepOp({ incidentId, step, note, actor: user }),
});

export const skipStep = defineAction({
  name: 'skipStep',
  permission: 'step.update',
  input: z.object({ incidentId, step, reasonId: z.string().min(1, 'Choose the runbook reason.').max(100), note: z.string().max(2000).optional() }),
  run: ({ incidentId, step, reasonId, note }, { user }) => skipStepOp({ incidentId, step, reasonId, note, actor: user }),
});

export const pauseRollout = defineAction({
  name: 'pauseRollout',
  permission: 'rollback.execute',
  input: z.object({ incidentId, idempotencyKey }),
  run: ({ incidentId, idempotencyKey }, { user }) => pauseRolloutOp({ incidentId, idempotencyKey, actor: user }),
});

export const chooseTargetRevision = defineAction({
  name: 'chooseTargetRevision',
  permission: 'step.update',
  input: z.object({ incidentId, revision: z.coerce.number().int().positive(), acceptKnownBad: z.boolean().optional() }),
  run: ({ incidentId, revision, acceptKnownBad }, { user }) => chooseTargetRevisionOp({ incidentId, revision, acceptKnownBad, actor: user }),
});

/** The dry run shown in step 4's confirmation dialog; changes nothing. */
export const previewRollback = defineAction({
  name: 'previewRollback',
  permission: 'rollback.execute',
  input: z.object({ incidentId, source: rollbackSource }),
  run: ({ incidentId, source }) => previewRollbackOp({ incidentId, source }),
});

export const executeRollback = defineAction({
  name: 'executeRollback',
  permission: 'rollback.execute',
  input: z.object({ incidentId, source: rollbackSource, idempotencyKey }),
  // Follows the rollout to completion; the page shows progress by polling the step state meanwhile.
  run: ({ incidentId, source, idempotencyKey }, { user }) => executeRollbackOp({ incidentId, source, idempotencyKey, actor: user }),
});

export const restoreDatabase = defineAction({
  name: 'restoreDatabase',
  permission: 'rollback.execute',
  input: z.object({ incidentId, backup: z.string().regex(/^backup-\d{8}-\d{6}\.sql\.gz$/, 'Choose a backup.'), idempotencyKey }),
  run: ({ incidentId, backup, idempotencyKey }, { user }) => restoreDatabaseOp({ incidentId, backup, idempotencyKey, actor: user }),
});

export const restoreConfig = defineAction({
  name: 'restoreConfig',
  permission: 'rollback.execute',
  input: z.object({
    incidentId,
    configMap: z.string().min(1).max(253),
    source: z.union([z.object({ file: z.string().min(1).max(300) }), z.object({ snapshotId: z.string().min(1).max(100) })]),
    idempotencyKey,
  }),
  run: ({ incidentId, configMap, source, idempotencyKey }, { user }) => restoreConfigOp({ incidentId, configMap, source, idempotencyKey, actor: user }),
});

export const verifyRollback = defineAction({
  name: 'verifyRollback',
  permission: 'step.update',
  input: z.object({ incidentId }),
  run: ({ incidentId }, { user }) => verifyRollbackOp({ incidentId, actor: user }),
});

export const startStabilityWatch = defineAction({
  name: 'startStabilityWatch',
  permission: 'step.update',
  input: z.object({ incidentId }),
  run: ({ incidentId }, { user }) => startStabilityWatchOp({ incidentId, actor: user }),
});

export const restoreAutoscaling = defineAction({
  name: 'restoreAutoscaling',
  permission: 'rollback.execute',
  input: z.object({ incidentId, idempotencyKey }),
  run: ({ incidentId, idempotencyKey }, { user }) => restoreAutoscalingOp({ incidentId, idempotencyKey, actor: user }),
});

export const resolveIncident = defineAction({
  name: 'resolveIncident',
  permission: 'incident.update',
  input: z.object({ incidentId, nextSteps: z.string().max(2000).optional(), markKnownBad: z.boolean().optional() }),
  run: ({ incidentId, nextSteps, markKnownBad }, { user }) => resolveIncidentOp({ incidentId, nextSteps, markKnownBad, actor: user }),
});

export const updateFollowUp = defineAction({
  name: 'updateFollowUp',
  permission: 'incident.update',
  input: z.object({ incidentId, index: z.number().int().min(0).max(100), done: z.boolean() }),
  run: ({ incidentId, index, done }, { user }) => updateFollowUpOp({ incidentId, index, done, actor: user }),
});

export const closeIncident = defineAction({
  name: 'closeIncident',
  permission: 'incident.update',
  input: z.object({ incidentId }),
  run: ({ incidentId }, { user }) => closeIncidentOp({ incidentId, actor: user }),
});
