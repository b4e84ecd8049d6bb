import 'server-only';
import { env } from '@/lib/env';
import { startJobs } from './start-jobs';

/**
 * What instrumentation.ts runs: start the jobs when a database is configured (a `next build`
 * without one must not fail), and never crash the web server over them — a failure is logged
 * and retried, since the rollback itself must stay usable.
 */
export async function startJobsOnBoot(): Promise<void> {
  let configured = false;
  try {
    configured = Boolean(env().DATABASE_URL);
  } catch (error) {
    console.error('[jobs] not started:', error instanceof Error ? error.message : error);
    return;
  }
  if (!configured) {
    console.warn('[jobs] DATABASE_URL is not set: background jobs (stability watch, escalation reminders, reconciliation) are off');
    return;
  }
  const attempt = async (n: number): Promise<void> => {
    try {
      await startJobs();
      console.log('[jobs] started: stability watch, escalation reminders, reconciliation');
    } catch (error) {
      console.error(`[jobs] start failed (attempt ${n}):`, error instanceof Error ? error.message : error);
      if (n < 10) setTimeout(() => void attempt(n + 1), Math.min(30_000, 1000 * 2 ** n)).unref();
    }
  };
  // Not awaited: the web server should answer while pg-boss installs its schema.
  void attempt(1);
}
