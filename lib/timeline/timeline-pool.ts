import 'server-only';
import { Pool } from 'pg';
import { env } from '@/lib/env';

const globalForPool = globalThis as typeof globalThis & { __timelinePool?: { url: string; pool: Pool } };

/**
 * A small pg pool for the timeline's own hot paths: batched appends (one multi-statement round
 * trip, which Prisma cannot send) and reading whole timelines (about half the CPU of Prisma's
 * row mapping for 10,000 events). Everything else uses the Prisma client.
 */
export function timelinePool(): Pool {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: the timeline needs the console database.');
  const held = globalForPool.__timelinePool;
  if (held && held.url === url) return held.pool;
  if (held) void held.pool.end().catch(() => {});
  // allowExitOnIdle: a script that appended an event can still exit without closing the pool.
  const pool = new Pool({ connectionString: url, max: 8, idleTimeoutMillis: 30_000, allowExitOnIdle: true, application_name: 'rollback-console:timeline' });
  // An idle client dropped by the server must not crash the process.
  pool.on('error', () => {});
  globalForPool.__timelinePool = { url, pool };
  return pool;
}

/** Closes the pool (tests and scripts that switch databases or want to exit at once). */
export async function closeTimelinePool(): Promise<void> {
  const held = globalForPool.__timelinePool;
  globalForPool.__timelinePool = undefined;
  if (held) await held.pool.end();
}
