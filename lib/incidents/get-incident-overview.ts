import 'server-only';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { STEPS, stepProgress, type StepDefinition } from './steps';

export type StepOverview = StepDefinition & {
  status: string;
  reason: string | null;
  startedAt: string | null;
  completedAt: string | null;
  /** The step's stored check results and choices (StepState.data). */
  data: Record<string, unknown>;
};

export type IncidentOverview = {
  incident: {
    id: string;
    key: string;
    title: string;
    severity: string;
    status: string;
    symptoms: string;
    impact: string;
    clusterContext: string;
    namespace: string;
    deployment: string;
    failedRevision: number | null;
    failedImage: string | null;
    targetRevision: number | null;
    targetImage: string | null;
    detectedAt: string;
    declaredAt: string;
    mitigatedAt: string | null;
    resolvedAt: string | null;
    closedAt: string | null;
    commander: { id: string; name: string };
  };
  steps: StepOverview[];
  progress: ReturnType<typeof stepProgress>;
  /** The recovery clock: from detection and from declaration to mitigation (or to now). */
  clock: { sinceDetectedMs: number; sinceDeclaredMs: number; running: boolean };
  /** Actions newest first (kind, status, who, kubectl). */
  actions: { id: string; step: number | null; kind: string; status: string; actorName: string; kubectl: string; error: string | null; createdAt: string; finishedAt: string | null }[];
};

/**
 * Everything the incident page, the progress bar and the stakeholder view need in one read,
 * as plain data (dates as ISO strings). No cluster calls.
 */
export async function getIncidentOverview(options: { incidentId: string; now?: Date }): Promise<ActionResult<IncidentOverview>> {
  const row = await db.incident.findUnique({
    where: { id: options.incidentId },
    include: { commander: { select: { id: true, name: true } }, steps: true, actions: { orderBy: { createdAt: 'desc' }, take: 50 } },
  });
  if (!row) return { ok: false, code: 'not_found', message: 'No such incident' };
  const now = options.now ?? new Date();
  const end = row.mitigatedAt ?? now;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const steps = STEPS.map((def) => {
    const st = row.steps.find((s) => s.step === def.number);
    return {
      ...def,
      status: st?.status ?? 'pending',
      reason: st?.reason ?? null,
      startedAt: iso(st?.startedAt ?? null),
      completedAt: iso(st?.completedAt ?? null),
      data: (st?.data as Record<string, unknown> | null) ?? {},
    };
  });
  return {
    ok: true,
    data: {
      incident: {
        id: row.id,
        key: row.key,
        title: row.title,
        severity: row.severity,
        status: row.status,
        symptoms: row.symptoms,
        impact: row.impact,
        clusterContext: row.clusterContext,
        namespace: row.namespace,
        deployment: row.deployment,
        failedRevision: row.failedRevision,
        failedImage: row.failedImage,
        targetRevision: row.targetRevision,
        targetImage: row.targetImage,
        detectedAt: row.detectedAt.toISOString(),
        declaredAt: row.declaredAt.toISOString(),
        mitigatedAt: iso(row.mitigatedAt),
        resolvedAt: iso(row.resolvedAt),
        closedAt: iso(row.closedAt),
        commander: row.commander,
      },
      steps,
      progress: stepProgress(row.steps),
      clock: { sinceDetectedMs: end.getTime() - row.detectedAt.getTime(), sinceDeclaredMs: end.getTime() - row.declaredAt.getTime(), running: !row.mitigatedAt },
      actions: row.actions.map((a) => ({
        id: a.id,
        step: a.step,
        kind: a.kind,
        status: a.status,
        actorName: a.actorName,
        kubectl: a.kubectl,
        error: a.error,
        createdAt: a.createdAt.toISOString(),
        finishedAt: iso(a.finishedAt),
      })),
    },
  };
}
