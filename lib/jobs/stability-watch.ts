import 'server-only';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import { appendEvent } from '@/lib/timeline/append-event';
import { setStepStatus } from '@/lib/incidents/step-state';
import { getBoss, QUEUES } from './boss';
import { evaluateStability, STABILITY_THRESHOLDS, type StabilityBreach, type StabilitySample } from './evaluate-stability';
import { readStabilitySample, type SampleCursor, type SampleSource } from './read-stability-sample';
import type { AppCounters } from './app-metrics';

/** What StepState(8).data.watch holds: the watch survives restarts because it lives here. */
export type StabilityWatchState = {
  status: 'running' | 'passed' | 'breached' | 'cancelled';
  startedAt: string;
  endsAt: string;
  windowMinutes: number;
  clockSpeed: number;
  pollIntervalMs: number;
  /** Trailing window over which the error rate and P99 are computed (the runbook's [5m], scaled). */
  rateWindowMs: number;
  namespace: string;
  deployment: string;
  selector: string;
  baselineRestarts: Record<string, number>;
  /** App /metrics counters over the trailing rate window (oldest first). */
  cursors: { at: string; counters: AppCounters }[];
  samples: number;
  lastSample: StabilitySample | null;
  lastSource: SampleSource;
  lastRequests: number | null;
  /** Compact history for the step page: [iso time, error %, p99 s]. */
  history: [string, number | null, number | null][];
  problems: string[];
  breaches: StabilityBreach[];
  finishedAt: string | null;
  thresholds: { maxErrorRatePct: number; maxP99Seconds: number };
};

const SYSTEM = { type: 'system' as const, name: 'stability watch' };

/** Queues the next poll of an incident's watch; at most one queued per incident (stately queue). */
export async function enqueueStabilityPoll(options: { incidentId: string; delayMs?: number }): Promise<string | null> {
  const boss = await getBoss();
  const startAfter = options.delayMs && options.delayMs > 0 ? Math.max(0.1, options.delayMs / 1000) : undefined;
  return boss.send(QUEUES.stabilityWatch, { incidentId: options.incidentId }, { singletonKey: options.incidentId, ...(startAfter ? { startAfter } : {}) });
}

export async function readWatchState(incidentId: string): Promise<StabilityWatchState | null> {
  const state = await db.stepState.findUnique({ where: { incidentId_step: { incidentId, step: 8 } } });
  const watch = (state?.data as { watch?: StabilityWatchState } | null)?.watch;
  return watch ?? null;
}

/** Shortest PromQL rate window the watch trusts (several scrapes at the usual 5-15 s interval). */
const MIN_PROMQL_WINDOW_S = 30;

/**
 * One poll of runbook step 8 (a pg-boss job): sample error rate, P99 and restarts; a breach
 * fails the watch at once (timeline `stability.breach`, step 8 failed); the window elapsing
 * without one passes it (`stability.passed`, step 8 done); otherwise the next poll is queued.
 * Safe to run twice: it re-reads the state and does nothing once the watch has finished.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 8
 */
export async function runStabilityPoll(options: { incidentId: string }): Promise<'continue' | 'finished' | 'none'> {
  const watch = await readWatchState(options.incidentId);
  if (!watch || watch.status !== 'running') return 'none';
  const oldest = watch.cursors[0];
  // Judge only traffic served since the watch began: a trailing PromQL window reaching back past
  // the start would count the failed release's errors against the rollback. Prometheus needs a
  // few scrapes in a window, so the first 30 s judge restarts only.
  const sinceStartS = Math.floor((Date.now() - new Date(watch.startedAt).getTime()) / 1000);
  const windowS = Math.min(Math.round(watch.rateWindowMs / 1000), sinceStartS);
  const read = await readStabilitySample({
    namespace: watch.namespace,
    deployment: watch.deployment,
    selector: watch.selector,
    cursor: oldest ? { counters: oldest.counters } : {},
    window: `${Math.max(MIN_PROMQL_WINDOW_S, windowS)}s`,
  });
  const warmingUp = read.source === 'prometheus' && windowS < MIN_PROMQL_WINDOW_S;
  const sample = warmingUp ? { ...read.sample, errorRatePct: null, p99Seconds: null } : read.sample;
  const now = new Date();
  const breaches = evaluateStability({ sample, baselineRestarts: watch.baselineRestarts, thresholds: watch.thresholds });
  const cursors = trimCursors([...watch.cursors, ...(read.cursor.counters ? [{ at: now.toISOString(), counters: read.cursor.counters }] : [])], now, watch.rateWindowMs);
  const next: StabilityWatchState = {
    ...watch,
    cursors,
    samples: watch.samples + 1,
    lastSample: sample,
    lastSource: read.source,
    lastRequests: read.requests,
    history: [...watch.history, [sample.at, sample.errorRatePct, sample.p99Seconds] as [string, number | null, number | null]].slice(-120),
    problems: read.problems,
  };
  const elapsed = now.getTime() >= new Date(watch.endsAt).getTime();
  if (breaches.length) {
    next.status = 'breached';
    next.breaches = breaches;
    next.finishedAt = now.toISOString();
  } else if (elapsed) {
    next.status = 'passed';
    next.finishedAt = now.toISOString();
  }

  const finished = await db.$transaction(async (tx) => {
    // Re-read under the row lock: a concurrent poll or a cancel may have finished the watch.
    await tx.$queryRaw`SELECT id FROM "rollback_console"."StepState" WHERE "incidentId" = ${options.incidentId} AND step = 8 FOR UPDATE`;
    const current = await tx.stepState.findUnique({ where: { incidentId_step: { incidentId: options.incidentId, step: 8 } } });
    const currentWatch = (current?.data as { watch?: StabilityWatchState } | null)?.watch;
    if (!currentWatch || currentWatch.status !== 'running' || currentWatch.startedAt !== watch.startedAt) return true;
    const data = { ...((current?.data as Record<string, unknown>) ?? {}), watch: next } as unknown as Prisma.InputJsonValue;
    if (next.status === 'running') {
      await tx.stepState.update({ where: { id: current!.id }, data: { data } });
      return false;
    }
    if (next.status === 'breached') {
      await appendEvent(
        {
          incidentId: options.incidentId,
          actor: SYSTEM,
          type: 'stability.breach',
          summary: `Stability breach after ${Math.round((now.getTime() - new Date(watch.startedAt).getTime()) / 1000)} s: ${breaches.map((b) => b.message).join('; ')}`,
          payload: { breaches, sample, source: read.source, requests: read.requests, thresholds: watch.thresholds } as unknown as Record<string, unknown>,
          kubectl: `kubectl get pods -n ${watch.namespace} -l ${watch.selector}`,
        },
        tx,
      );
      await tx.stepState.update({ where: { id: current!.id }, data: { data } });
      await setStepStatus(tx, { incidentId: options.incidentId, step: 8, status: 'failed', actor: SYSTEM, reason: breaches.map((b) => b.message).join('; ') });
      return true;
    }
    await appendEvent(
      {
        incidentId: options.incidentId,
        actor: SYSTEM,
        type: 'stability.passed',
        summary: `Stable for the whole ${watch.windowMinutes}-minute window${watch.clockSpeed !== 1 ? ` (×${watch.clockSpeed} clock)` : ''}: error rate < ${watch.thresholds.maxErrorRatePct}%, P99 < ${watch.thresholds.maxP99Seconds} s, no new restarts (${next.samples} samples)`,
        payload: { samples: next.samples, lastSample: sample, source: read.source } as unknown as Record<string, unknown>,
      },
      tx,
    );
    await tx.stepState.update({ where: { id: current!.id }, data: { data } });
    await setStepStatus(tx, { incidentId: options.incidentId, step: 8, status: 'done', actor: SYSTEM, data: {} });
    return true;
  });
  if (finished) return 'finished';
  await enqueueStabilityPoll({ incidentId: options.incidentId, delayMs: watch.pollIntervalMs });
  return 'continue';
}

function trimCursors(cursors: StabilityWatchState['cursors'], now: Date, rateWindowMs: number): StabilityWatchState['cursors'] {
  const from = now.getTime() - rateWindowMs;
  // Keep the newest cursor at or before the window start, so the rate always spans the window.
  let firstInside = cursors.findIndex((c) => new Date(c.at).getTime() >= from);
  if (firstInside === -1) firstInside = cursors.length - 1;
  return cursors.slice(Math.max(0, firstInside - 1));
}

/** Initial watch state; the first sample's counters and restart counts are the baseline. */
export function newWatchState(options: {
  namespace: string;
  deployment: string;
  selector: string;
  windowMinutes: number;
  clockSpeed: number;
  baseline: { restarts: Record<string, number>; cursor: SampleCursor; source: SampleSource };
  now?: Date;
}): StabilityWatchState {
  const now = options.now ?? new Date();
  const windowMs = (options.windowMinutes * 60_000) / options.clockSpeed;
  const pollIntervalMs = Math.min(15_000, Math.max(500, windowMs / 12));
  return {
    status: 'running',
    startedAt: now.toISOString(),
    endsAt: new Date(now.getTime() + windowMs).toISOString(),
    windowMinutes: options.windowMinutes,
    clockSpeed: options.clockSpeed,
    pollIntervalMs,
    rateWindowMs: Math.max((5 * 60_000) / options.clockSpeed, 3 * pollIntervalMs),
    namespace: options.namespace,
    deployment: options.deployment,
    selector: options.selector,
    baselineRestarts: options.baseline.restarts,
    cursors: options.baseline.cursor.counters ? [{ at: now.toISOString(), counters: options.baseline.cursor.counters }] : [],
    samples: 0,
    lastSample: null,
    lastSource: options.baseline.source,
    lastRequests: null,
    history: [],
    problems: [],
    breaches: [],
    finishedAt: null,
    thresholds: { ...STABILITY_THRESHOLDS },
  };
}
