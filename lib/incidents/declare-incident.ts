import 'server-only';
import { db } from '@/lib/db/client';
import { Prisma } from '@/lib/generated/prisma/client';
import type { ActionResult } from '@/lib/actions/result';
import { currentContextName } from '@/lib/k8s/client';
import { appendEvent } from '@/lib/timeline/append-event';
import { postMessage } from '@/lib/notify/post-message';
import { renderAnnouncement } from '@/lib/notify/templates';
import { captureSnapshots } from './capture-snapshots';
import { setStepStatus } from './step-state';
import { STEPS } from './steps';
import type { ActionActor } from './run-action';

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type DeclareIncidentOptions = {
  title: string;
  severity: Severity;
  namespace: string;
  deployment: string;
  /** When the problem was first noticed; defaults to now. Editable later (updateIncident). */
  detectedAt?: Date;
  symptoms?: string;
  impact?: string;
  /** The commander declaring it (must be a User row). */
  actor: ActionActor;
  /** How people name the service in messages; defaults to the deployment name. */
  service?: string;
};

export type DeclaredIncident = {
  incidentId: string;
  key: string;
  failedRevision: number | null;
  failedImage: string | null;
  snapshots: { kind: string; name: string; resourceVersion: string }[];
  /** Secrets the deployment references, by name and key (values are never read). */
  secretRefs: { name: string; keys: string[] }[];
  announcement: { text: string; posted: boolean; error?: string };
};

/**
 * Runbook step 1: declares the incident. Reads the live Deployment, its ConfigMaps and HPA, then
 * in ONE transaction creates the Incident (failed revision and image = what is live now), its
 * snapshots, the ten StepState rows and the `incident.declared` event. Afterwards it posts the
 * runbook's announcement to Slack when SLACK_WEBHOOK_URL is set, or returns it for copying; step 1
 * is done once it is posted (else the commander completes it after copying).
 * @see ../../../shared/runbooks/rollback-procedure.md Step 1
 */
export async function declareIncident(options: DeclareIncidentOptions): Promise<ActionResult<DeclaredIncident>> {
  const title = options.title.trim();
  if (!title) return { ok: false, code: 'invalid', message: 'A title is required', fieldErrors: { title: ['A title is required'] } };
  if (!SEVERITIES.includes(options.severity)) return { ok: false, code: 'invalid', message: 'Severity must be SEV1, SEV2 or SEV3' };
  const target = { namespace: options.namespace, deployment: options.deployment };
  const captured = await captureSnapshots(target);
  if (!captured.ok) return { ok: false, code: captured.code === 'NotFound' ? 'not_found' : 'unavailable', message: captured.message };
  const { deployment, snapshots, secretRefs } = captured.data;
  const now = new Date();
  const detectedAt = options.detectedAt ?? now;
  if (detectedAt.getTime() > now.getTime() + 60_000) return { ok: false, code: 'invalid', message: 'Detected time is in the future' };
  let clusterContext = 'in-cluster';
  try {
    clusterContext = currentContextName() || clusterContext;
  } catch {
    // in-cluster config has no context name
  }
  const personActor = { type: 'person' as const, id: options.actor.id, name: options.actor.name };

  const created = await withKeyRetry(() =>
    db.$transaction(
      async (tx) => {
        const key = await nextIncidentKey(tx, now);
        const incident = await tx.incident.create({
          data: {
            key,
            title,
            severity: options.severity,
            status: 'declared',
            symptoms: options.symptoms?.trim() ?? '',
            impact: options.impact?.trim() ?? '',
            clusterContext,
            namespace: options.namespace,
            deployment: options.deployment,
            failedRevision: deployment.revision,
            failedImage: deployment.image,
            detectedAt,
            declaredAt: now,
            commanderId: options.actor.id,
          },
        });
        for (const s of snapshots) {
          await tx.snapshot.create({
            data: { incidentId: incident.id, kind: s.kind, namespace: s.namespace, name: s.name, reason: 'declared', manifest: s.manifest, resourceVersion: s.resourceVersion },
          });
        }
        await tx.stepState.createMany({ data: STEPS.map((s) => ({ incidentId: incident.id, step: s.number, status: 'pending' })) });
        await appendEvent(
          {
            incidentId: incident.id,
            actor: personActor,
            type: 'incident.declared',
            summary: `${options.actor.name} declared ${key} (${options.severity}): ${title}`,
            payload: {
              key,
              severity: options.severity,
              namespace: options.namespace,
              deployment: options.deployment,
              failedRevision: deployment.revision,
              failedImage: deployment.image,
              detectedAt: detectedAt.toISOString(),
              replicas: deployment.replicas,
              rollout: deployment.rollout.message,
              snapshots: snapshots.map((s) => ({ kind: s.kind, name: s.name, resourceVersion: s.resourceVersion })),
              secretRefs,
            },
            kubectl: snapshots.map((s) => `kubectl get ${s.kind.toLowerCase()} ${s.name} -n ${s.namespace} -o yaml`),
          },
          tx,
        );
        await setStepStatus(tx, { incidentId: incident.id, step: 1, status: 'in_progress', actor: personActor });
        return incident;
      },
      { timeout: 30_000, maxWait: 20_000 },
    ),
  );

  const text = renderAnnouncement({
    service: options.service ?? options.deployment,
    symptoms: options.symptoms ?? '',
    impact: options.impact ?? '',
    initiatedBy: options.actor.name,
    at: now,
    severity: options.severity,
    incidentKey: created.key,
  });
  const posted = await postMessage({ text });
  await db.$transaction(async (tx) => {
    await appendEvent(
      {
        incidentId: created.id,
        actor: personActor,
        type: posted.posted ? 'announcement.posted' : 'announcement.prepared',
        summary: posted.posted ? 'Incident announcement posted to Slack' : `Incident announcement ready to copy${posted.reason === 'failed' ? ` (Slack post failed: ${posted.error})` : ''}`,
        payload: { text, posted: posted.posted },
      },
      tx,
    );
    await setStepStatus(tx, {
      incidentId: created.id,
      step: 1,
      status: posted.posted ? 'done' : 'in_progress',
      actor: personActor,
      data: { announcement: text, announcementPosted: posted.posted },
    });
  });

  return {
    ok: true,
    data: {
      incidentId: created.id,
      key: created.key,
      failedRevision: deployment.revision,
      failedImage: deployment.image,
      snapshots: snapshots.map((s) => ({ kind: s.kind, name: s.name, resourceVersion: s.resourceVersion })),
      secretRefs,
      announcement: { text, posted: posted.posted, ...(posted.posted ? {} : posted.error ? { error: posted.error } : {}) },
    },
  };
}

/** INC-YYYYMMDD-NNN, numbered per UTC day. */
async function nextIncidentKey(tx: Prisma.TransactionClient, now: Date): Promise<string> {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const prefix = `INC-${day}-`;
  const count = await tx.incident.count({ where: { key: { startsWith: prefix } } });
  return `${prefix}${String(count + 1).padStart(3, '0')}`;
}

// Two incidents declared in the same instant compute the same key; the loser retries.
async function withKeyRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt < 3 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') continue;
      throw error;
    }
  }
}
