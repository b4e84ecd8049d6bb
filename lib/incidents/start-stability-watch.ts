import 'server-only';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { ActionResult } from '@/lib/actions/result';
import { env } from '@/lib/env';
import { appendEvent } from '@/lib/timeline/append-event';
import { readStabilitySample } from '@/lib/jobs/read-stability-sample';
import { enqueueStabilityPoll, newWatchState, readWatchState, type StabilityWatchState } from '@/lib/jobs/stability-watch';
import { getDeployment } from './cluster';
import { incidentTarget, loadIncident } from './load-incident';
import { setStepStatus } from './step-state';
import type { ActionActor } from './run-action';

/**
 * Runbook step 8: starts the server-side stability watch (pg-boss, lib/jobs/stability-watch.ts)
 * for STABILITY_WINDOW_MINUTES (or `windowMinutes`), divided by CLOCK_SPEED. It runs whether or
 * not a browser is open and survives restarts (its state is StepState(8).data.watch). Calling it
 * while a watch runs returns that watch; after a breach it starts a new one.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 8
 */
export async function startStabilityWatch(options: {
  incidentId: string;
  actor: ActionActor;
  windowMinutes?: number;
}): Promise<ActionResult<{ watch: StabilityWatchState; alreadyRunning: boolean }>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  if (incident.status === 'closed') return { ok: false, code: 'conflict', message: 'The incident is closed' };
  const running = await readWatchState(incident.id);
  if (running?.status === 'running') return { ok: true, data: { watch: running, alreadyRunning: true } };
  const target = incidentTarget(incident);
  const d = await getDeployment(target);
  if (!d.ok) return { ok: false, code: 'unavailable', message: d.message };
  const windowMinutes = options.windowMinutes ?? (await windowFromSettings()) ?? env().STABILITY_WINDOW_MINUTES;
  if (!(windowMinutes > 0)) return { ok: false, code: 'invalid', message: 'The stability window must be positive' };
  const baseline = await readStabilitySample({ ...target, selector: d.data.selector });
  const watch = newWatchState({
    ...target,
    selector: d.data.selector,
    windowMinutes,
    clockSpeed: env().CLOCK_SPEED,
    baseline: { restarts: baseline.sample.restarts, cursor: baseline.cursor, source: baseline.source },
  });
  const person = { type: 'person' as const, id: options.actor.id, name: options.actor.name };
  const started = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "rollback_console"."StepState" WHERE "incidentId" = ${incident.id} AND step = 8 FOR UPDATE`;
    const current = await tx.stepState.findUnique({ where: { incidentId_step: { incidentId: incident.id, step: 8 } } });
    const existing = (current?.data as { watch?: StabilityWatchState } | null)?.watch;
    if (existing?.status === 'running') return { watch: existing, alreadyRunning: true };
    await setStepStatus(tx, { incidentId: incident.id, step: 8, status: 'in_progress', actor: person, data: { watch: watch as unknown as Prisma.InputJsonValue } });
    if (['declared', 'mitigating'].includes(incident.status)) await tx.incident.update({ where: { id: incident.id }, data: { status: 'monitoring' } });
    await appendEvent(
      {
        incidentId: incident.id,
        actor: person,
        type: 'stability.started',
        summary: `Stability watch started: ${windowMinutes} minutes${watch.clockSpeed !== 1 ? ` (×${watch.clockSpeed} clock: ${Math.round((windowMinutes * 60) / watch.clockSpeed)} s)` : ''}, error rate < ${watch.thresholds.maxErrorRatePct}%, P99 < ${watch.thresholds.maxP99Seconds} s, no new restarts`,
        payload: { windowMinutes, clockSpeed: watch.clockSpeed, endsAt: watch.endsAt, baselineRestarts: watch.baselineRestarts, source: baseline.source },
        kubectl: `kubectl get pods -n ${target.namespace} -l ${d.data.selector} --watch`,
      },
      tx,
    );
    return { watch, alreadyRunning: false };
  });
  if (!started.alreadyRunning) await enqueueStabilityPoll({ incidentId: incident.id, delayMs: watch.pollIntervalMs });
  return { ok: true, data: started };
}

/** Admin setting `stability` = { windowMinutes } overrides the environment default. */
async function windowFromSettings(): Promise<number | undefined> {
  const row = await db.setting.findUnique({ where: { key: 'stability' } });
  const value = (row?.value as { windowMinutes?: unknown } | null)?.windowMinutes;
  return typeof value === 'number' && value > 0 ? value : undefined;
}
