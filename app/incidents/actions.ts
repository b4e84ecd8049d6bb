'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { declareIncident as declare, SEVERITIES } from '@/lib/incidents/declare-incident';

const k8sName = z.string().regex(/^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$/, 'Pick a deployment.');

const declareInput = z.object({
  title: z.string().trim().min(3, 'Give the incident a short title.').max(200),
  severity: z.enum(SEVERITIES),
  /** "namespace/name" as the deployment picker sends it. */
  target: z.string().regex(/^[a-z0-9-]+\/[a-z0-9.-]+$/, 'Pick the failing deployment.'),
  detectedAt: z.string().trim().optional(),
  symptoms: z.string().max(4000).optional(),
  impact: z.string().max(4000).optional(),
});

/**
 * Runbook step 1: declares the incident (snapshots the deployment, its ConfigMaps and HPA, starts
 * the recovery clock, prepares or posts the announcement). Commanders only.
 */
export const declareIncident = defineAction({
  name: 'declareIncident',
  permission: 'incident.declare',
  input: declareInput,
  run: async (input, { user }) => {
    const [namespace = '', deployment = ''] = input.target.split('/');
    const nameCheck = k8sName.safeParse(deployment);
    if (!nameCheck.success) return { ok: false as const, code: 'invalid', message: 'Pick the failing deployment.', fieldErrors: { target: ['Pick the failing deployment.'] } };
    let detectedAt: Date | undefined;
    if (input.detectedAt) {
      detectedAt = new Date(input.detectedAt);
      // Why: a typo in the time would silently start the recovery clock at 1970.
      if (Number.isNaN(detectedAt.getTime())) return { ok: false as const, code: 'invalid', message: 'The detection time is not a valid time.', fieldErrors: { detectedAt: ['Not a valid time.'] } };
      if (detectedAt.getTime() > Date.now() + 60_000) return { ok: false as const, code: 'invalid', message: 'The detection time is in the future.', fieldErrors: { detectedAt: ['In the future.'] } };
    }
    return declare({
      title: input.title,
      severity: input.severity,
      namespace,
      deployment,
      detectedAt,
      symptoms: input.symptoms,
      impact: input.impact,
      actor: user,
    });
  },
});
