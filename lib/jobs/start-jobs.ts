import 'server-only';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { getBoss, QUEUES, stopBoss } from './boss';
import { enqueueEscalationSweep, runEscalationSweep, sweepIntervalMs } from './escalation-reminders';
import { enqueueReconcile, reconcileActions } from './reconcile-actions';
import { enqueueStabilityPoll, runStabilityPoll, type StabilityWatchState } from './stability-watch';

const g = globalThis as typeof globalThis & { __rollbackConsoleJobs?: Promise<void> };

/** Reconciliation re-runs this often, so an intent left by a crash is resolved soon after it ages. */
const RECONCILE_EVERY_MS = 60_000;

/**
 * Starts the background work of this server process, once (instrumentation.ts calls it):
 * pg-boss in the console database (schema `pgboss`), workers for the stability watch, the
 * escalation sweep and reconciliation; then, at start-up, reconciliation of dangling intents,
 * the first escalation sweep, and a poll for every stability watch that was running when the
 * previous process stopped. Queues are `stately` with singleton keys: a job runs once across
 * replicas.
 */
export function startJobs(options: { reconcileOlderThanMs?: number } = {}): Promise<void> {
  g.__rollbackConsoleJobs ??= start(options).catch((error: unknown) => {
    g.__rollbackConsoleJobs = undefined;
    throw error;
  });
  return g.__rollbackConsoleJobs;
}

async function start(options: { reconcileOlderThanMs?: number }): Promise<void> {
  const boss = await getBoss();
  const speed = env().CLOCK_SPEED;
  await boss.work<{ incidentId: string }>(QUEUES.stabilityWatch, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async ([job]) => {
    if (job) await runStabilityPoll({ incidentId: job.data.incidentId });
  });
  await boss.work(QUEUES.escalationSweep, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async () => {
    try {
      await runEscalationSweep();
    } finally {
      await enqueueEscalationSweep({ delayMs: sweepIntervalMs(speed) });
    }
  });
  await boss.work(QUEUES.reconcileActions, { pollingIntervalSeconds: 1, batchSize: 1 }, async () => {
    try {
      await reconcileActions({ olderThanMs: options.reconcileOlderThanMs });
    } finally {
      await enqueueReconcile({ delayMs: RECONCILE_EVERY_MS });
    }
  });
  await enqueueReconcile();
  await enqueueEscalationSweep();
  await resumeStabilityWatches();
}

/** Queues a poll for every watch still marked running (the process that ran it may have died). */
export async function resumeStabilityWatches(): Promise<string[]> {
  const states = await db.stepState.findMany({ where: { step: 8, status: 'in_progress' }, select: { incidentId: true, data: true } });
  const resumed: string[] = [];
  for (const s of states) {
    const watch = (s.data as { watch?: StabilityWatchState } | null)?.watch;
    if (watch?.status !== 'running') continue;
    await enqueueStabilityPoll({ incidentId: s.incidentId });
    resumed.push(s.incidentId);
  }
  return resumed;
}

/** Stops the workers and pg-boss of this process (tests; graceful shutdown). */
export async function stopJobs(): Promise<void> {
  const running = g.__rollbackConsoleJobs;
  g.__rollbackConsoleJobs = undefined;
  await running?.catch(() => {});
  await stopBoss();
}
