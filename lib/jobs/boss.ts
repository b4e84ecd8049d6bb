import 'server-only';
import PgBoss from 'pg-boss';
import { env } from '@/lib/env';

/** pg-boss keeps its tables in their own Postgres schema of the console's database. */
export const BOSS_SCHEMA = 'pgboss';

export const QUEUES = {
  stabilityWatch: 'stability-watch',
  escalationSweep: 'escalation-sweep',
  reconcileActions: 'reconcile-actions',
} as const;

type Holder = { boss: PgBoss; url: string; started: Promise<PgBoss> };
const g = globalThis as typeof globalThis & { __rollbackConsoleBoss?: Holder };

/**
 * The process's pg-boss instance on DATABASE_URL, started (schema installed, queues created) on
 * first use. Sending jobs needs only this; workers are registered by startJobs().
 * @see https://github.com/timgit/pg-boss/blob/10.1.6/docs/readme.md
 */
export async function getBoss(): Promise<PgBoss> {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: background jobs need the console database');
  const held = g.__rollbackConsoleBoss;
  if (held && held.url === url) return held.started;
  if (held) void held.boss.stop({ graceful: false, wait: false }).catch(() => {});
  const boss = new PgBoss({ connectionString: url, schema: BOSS_SCHEMA, max: 4, application_name: 'rollback-console-jobs' });
  // pg-boss emits errors (lost connection, failed maintenance) instead of throwing; keep them visible.
  boss.on('error', (error) => console.error('[jobs] pg-boss error:', error.message));
  const started = (async () => {
    await boss.start();
    // stately: at most one queued and one running job per singletonKey (per incident), across replicas.
    await ensureQueue(boss, QUEUES.stabilityWatch, { policy: 'stately', retryLimit: 5, retryDelay: 1, expireInSeconds: 60 });
    await ensureQueue(boss, QUEUES.escalationSweep, { policy: 'stately', retryLimit: 2, retryDelay: 1, expireInSeconds: 60 });
    await ensureQueue(boss, QUEUES.reconcileActions, { policy: 'stately', retryLimit: 2, retryDelay: 1, expireInSeconds: 120 });
    return boss;
  })();
  g.__rollbackConsoleBoss = { boss, url, started };
  try {
    return await started;
  } catch (error) {
    if (g.__rollbackConsoleBoss?.boss === boss) g.__rollbackConsoleBoss = undefined;
    throw error;
  }
}

async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, 'name'>): Promise<void> {
  const existing = await boss.getQueue(name);
  if (!existing) {
    try {
      await boss.createQueue(name, { name, ...options });
    } catch (error) {
      // Another replica created it between our check and create.
      if (!(await boss.getQueue(name))) throw error;
    }
  }
}

/** Stops this process's pg-boss (workers finish their current job first unless `graceful: false`). */
export async function stopBoss(options: { graceful?: boolean } = {}): Promise<void> {
  const held = g.__rollbackConsoleBoss;
  if (!held) return;
  g.__rollbackConsoleBoss = undefined;
  const boss = await held.started.catch(() => null);
  if (!boss) return;
  // wait (the default) resolves once workers stopped and the pool closed; running jobs are failed
  // and retried by whichever replica picks them up next.
  await boss.stop({ graceful: options.graceful ?? true, timeout: 5_000 }).catch(() => {});
}
