import 'server-only';
import { randomUUID } from 'node:crypto';
import { escapeLiteral } from 'pg';
import type { Tx } from '@/lib/db/client';
import { canonicalEventFormParts, cleanString, normalizeJson } from './canonical';
import { hashEvent } from './hash-event';
import { closeTimelinePool, timelinePool } from './timeline-pool';
import { GENESIS_HASH, type JsonObject, type TimelineActor, type TimelineEventRecord } from './types';

/** Postgres channel carrying `{"incidentId": "...", "seq": N}` for every committed event. */
export const TIMELINE_CHANNEL = 'timeline_events';

// First key of the two-key advisory lock: keeps timeline locks apart from other users of
// pg_advisory_xact_lock (pg-boss, migrations) that lock on a single bigint.
const LOCK_NAMESPACE = 0x71e1;

export type AppendEventInput = {
  incidentId: string;
  actor: TimelineActor;
  /** e.g. incident.declared, action.intent, action.succeeded, step.done, step.skipped, note, k8s.event */
  type: string;
  /** One line a stakeholder understands. */
  summary: string;
  /** Details (resourceVersions, check results...). Never secrets: exports mask them, but do not rely on it. */
  payload?: Record<string, unknown>;
  /** The equivalent kubectl command(s), newline-separated. */
  kubectl?: string | string[] | null;
  /** When it happened; defaults to now. Given only by imports and the worked example. */
  at?: Date;
};

/**
 * Appends one event to an incident's hash-chained timeline and returns it.
 *
 * Serialised per incident with a transaction-scoped advisory lock, so concurrent writers (several
 * server replicas, background jobs) get consecutive seq numbers and each event links to the one
 * before it. Pass the caller's interactive transaction `tx` to commit the event together with the
 * state change it records (CONVENTIONS.md §5); without one, the event is written on a small pg
 * pool in a transaction of its own, batched with other appends to the same incident waiting in
 * this process (one commit for all; each caller still gets its own event after the commit).
 * `tx` must be READ COMMITTED (Prisma's default): the last event is read after the lock is taken.
 * The hash is computed by Postgres inside the insert (same canonical form, checked here), so the
 * lock is held only while Postgres executes the insert and commits.
 *
 * A NOTIFY on `timeline_events` is sent in the same transaction, so listeners hear of the event
 * exactly when it commits, and never of one that rolled back.
 * @see https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 * @see https://www.postgresql.org/docs/current/sql-notify.html
 */
export async function appendEvent(input: AppendEventInput, tx?: Tx): Promise<TimelineEventRecord> {
  const prepared = prepare(input);
  if (tx) return appendWithinPrisma(tx, prepared);
  return appendWithPool(prepared);
}

type Prepared = Omit<TimelineEventRecord, 'seq' | 'prevHash' | 'hash' | 'id'> & { id: string; at: Date; payload: JsonObject };

function prepare(input: AppendEventInput): Prepared {
  const type = cleanString(input.type).trim();
  const summary = cleanString(input.summary).trim();
  if (!input.incidentId) throw new Error('appendEvent: incidentId is required');
  if (!type) throw new Error('appendEvent: type is required');
  if (!summary) throw new Error('appendEvent: summary is required');
  const kubectlText = Array.isArray(input.kubectl) ? input.kubectl.join('\n') : input.kubectl;
  // Store exactly what is hashed: the payload as Postgres will hand it back.
  const normalized = normalizeJson(input.payload ?? {});
  const payload: JsonObject =
    normalized !== null && typeof normalized === 'object' && !Array.isArray(normalized) ? normalized : { value: normalized };
  const actorType = input.actor.type;
  const at = new Date((input.at ?? new Date()).getTime());
  if (Number.isNaN(at.getTime())) throw new Error('appendEvent: invalid time');
  return {
    id: randomUUID(),
    incidentId: input.incidentId,
    at,
    actorType,
    actorId: input.actor.type === 'person' ? input.actor.id : (input.actor.id ?? null),
    actorName: cleanString(input.actor.name).trim() || (actorType === 'system' ? 'Rollback Console' : 'Unknown person'),
    type,
    summary,
    payload,
    kubectl: kubectlText ? cleanString(kubectlText) : null,
  };
}

const TABLE = '"rollback_console"."TimelineEvent"';

/**
 * One statement that reads the last event, inserts the next one with the hash computed by
 * Postgres over the canonical form (canonicalEventFormParts), and NOTIFYs: run it right after
 * taking the lock. `$n` placeholders, in this order:
 * 1 incidentId, 2 id, 3 at, 4 actorType, 5 actorId, 6 actorName, 7 type, 8 summary,
 * 9 payload, 10 kubectl, 11 canonical prefix, 12 canonical suffix.
 */
const INSERT_SQL = `
WITH last AS (
  SELECT "seq", "hash" FROM ${TABLE} WHERE "incidentId" = $1 ORDER BY "seq" DESC LIMIT 1
), base AS (
  SELECT COALESCE((SELECT "seq" FROM last), 0) + 1 AS seq, COALESCE((SELECT "hash" FROM last), '${GENESIS_HASH}') AS prev
), inserted AS (
  INSERT INTO ${TABLE} ("id", "incidentId", "seq", "at", "actorType", "actorId", "actorName", "type", "summary", "payload", "kubectl", "prevHash", "hash")
  SELECT $2, $1, base.seq, $3::timestamptz, $4, $5, $6, $7, $8, $9::jsonb, $10, base.prev,
    encode(sha256(convert_to($11 || '"prevHash":"' || base.prev || '","seq":' || base.seq::text || ',' || $12, 'UTF8')), 'hex')
  FROM base
  RETURNING "incidentId", "seq", "prevHash", "hash"
)
SELECT inserted."seq", inserted."prevHash", inserted."hash"
FROM inserted CROSS JOIN LATERAL pg_notify('${TIMELINE_CHANNEL}', json_build_object('incidentId', inserted."incidentId", 'seq', inserted."seq")::text) AS notified`;

function insertParams(prepared: Prepared): (string | null)[] {
  const { prefix, suffix } = canonicalEventFormParts(prepared);
  return [
    prepared.incidentId,
    prepared.id,
    prepared.at.toISOString(),
    prepared.actorType,
    prepared.actorId,
    prepared.actorName,
    prepared.type,
    prepared.summary,
    JSON.stringify(prepared.payload),
    prepared.kubectl,
    prefix,
    suffix,
  ];
}

/** The stored event, checked against the hash computed here: the two canonical forms must agree. */
function finish(prepared: Prepared, row: { seq: number | bigint; prevHash: string; hash: string } | undefined): TimelineEventRecord {
  if (!row) throw new Error('appendEvent: the insert returned no row');
  const event = { ...prepared, seq: Number(row.seq), prevHash: row.prevHash };
  const expected = hashEvent(event);
  if (expected !== row.hash) {
    // Cannot happen unless canonical.ts and INSERT_SQL drift apart; the chain would then not verify.
    throw new Error(`appendEvent: hash computed by Postgres (${row.hash}) differs from canonical hash (${expected}) for event #${event.seq}`);
  }
  return { ...event, hash: row.hash };
}

/** Inside the caller's transaction: lock, then insert + NOTIFY in one statement. */
async function appendWithinPrisma(tx: Tx, prepared: Prepared): Promise<TimelineEventRecord> {
  // Separate statement from the insert: in READ COMMITTED each statement takes a fresh snapshot,
  // so the insert sees the event committed by whoever held the lock before us.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, hashtext(${prepared.incidentId}))`;
  const rows = await tx.$queryRawUnsafe<{ seq: number; prevHash: string; hash: string }[]>(INSERT_SQL, ...insertParams(prepared));
  return finish(prepared, rows[0]);
}

type Pending = { prepared: Prepared; resolve: (event: TimelineEventRecord) => void; reject: (error: unknown) => void };

// Appends waiting per incident in this process, and whether a batch is being written.
const queues = new Map<string, { pending: Pending[]; running: boolean }>();
const MAX_BATCH = 100;

/**
 * Without a caller transaction: a transaction of our own on a small pg pool.
 *
 * Appends to one incident are serialised by the lock, and each commit waits for its WAL flush
 * while holding it, so one event per transaction tops out at one fsync per event. Concurrent
 * appends to the same incident from this process are therefore written together: while one
 * batch commits, the next ones queue, and the following transaction writes them all (each
 * chained to the one before) in ONE round trip — BEGIN, lock, one INSERT per event, COMMIT —
 * with one flush. Each caller still gets its own event back, after the commit.
 */
function appendWithPool(prepared: Prepared): Promise<TimelineEventRecord> {
  return new Promise<TimelineEventRecord>((resolve, reject) => {
    let queue = queues.get(prepared.incidentId);
    if (!queue) queues.set(prepared.incidentId, (queue = { pending: [], running: false }));
    queue.pending.push({ prepared, resolve, reject });
    if (!queue.running) void drain(prepared.incidentId, queue);
  });
}

async function drain(incidentId: string, queue: { pending: Pending[]; running: boolean }): Promise<void> {
  queue.running = true;
  try {
    // Let callers woken by the previous commit queue their next event first (one tick), so a
    // batch takes everyone who is waiting instead of alternating 1, 7, 1, 7...
    await new Promise((resolve) => setImmediate(resolve));
    while (queue.pending.length > 0) {
      const batch = queue.pending.splice(0, MAX_BATCH);
      try {
        const events = await insertBatch(batch.map((p) => p.prepared));
        batch.forEach((p, i) => p.resolve(events[i]!));
      } catch (error) {
        if (batch.length === 1) {
          batch[0]!.reject(error);
          continue;
        }
        // One bad event must not fail its neighbours: write them one by one.
        for (const p of batch) {
          try {
            p.resolve((await insertBatch([p.prepared]))[0]!);
          } catch (single) {
            p.reject(single);
          }
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    queue.running = false;
    if (queue.pending.length === 0 && queues.get(incidentId) === queue) queues.delete(incidentId);
  }
}

/**
 * The batch as ONE statement: a recursive CTE chains the events (each hash over the previous
 * one, computed by Postgres over the canonical form), inserts them and NOTIFYs each. One parse
 * and plan per batch instead of one per event. Values are escaped literals (simple protocol,
 * so BEGIN, the lock, the insert and COMMIT travel in one round trip).
 */
function batchInsertSql(batch: Prepared[]): string {
  const lit = (v: string | null) => (v === null ? 'NULL::text' : `${escapeLiteral(v)}::text`);
  const incident = escapeLiteral(batch[0]!.incidentId);
  const rows = batch.map((p, i) => {
    const { prefix, suffix } = canonicalEventFormParts(p);
    return `(${i + 1}, ${lit(p.id)}, ${escapeLiteral(p.at.toISOString())}::timestamptz, ${lit(p.actorType)}, ${lit(p.actorId)}, ${lit(p.actorName)}, ${lit(p.type)}, ${lit(p.summary)}, ${escapeLiteral(JSON.stringify(p.payload))}::jsonb, ${lit(p.kubectl)}, ${lit(prefix)}, ${lit(suffix)})`;
  });
  return `
WITH RECURSIVE input (ord, id, at, actor_type, actor_id, actor_name, type, summary, payload, kubectl, prefix, suffix) AS (
  VALUES ${rows.join(',\n    ')}
), last AS (
  SELECT "seq", "hash" FROM ${TABLE} WHERE "incidentId" = ${incident} ORDER BY "seq" DESC LIMIT 1
), chain (ord, seq, prev, hash) AS (
  SELECT 0, COALESCE((SELECT "seq" FROM last), 0), NULL::text, COALESCE((SELECT "hash" FROM last), '${GENESIS_HASH}')
  UNION ALL
  SELECT i.ord, c.seq + 1, c.hash,
    encode(sha256(convert_to(i.prefix || '"prevHash":"' || c.hash || '","seq":' || (c.seq + 1)::text || ',' || i.suffix, 'UTF8')), 'hex')
  FROM chain c JOIN input i ON i.ord = c.ord + 1
), inserted AS (
  INSERT INTO ${TABLE} ("id", "incidentId", "seq", "at", "actorType", "actorId", "actorName", "type", "summary", "payload", "kubectl", "prevHash", "hash")
  SELECT i.id, ${incident}, c.seq, i.at, i.actor_type, i.actor_id, i.actor_name, i.type, i.summary, i.payload, i.kubectl, c.prev, c.hash
  FROM chain c JOIN input i ON i.ord = c.ord
  RETURNING "seq", "prevHash", "hash"
)
SELECT inserted."seq", inserted."prevHash", inserted."hash"
FROM inserted CROSS JOIN LATERAL pg_notify('${TIMELINE_CHANNEL}', json_build_object('incidentId', ${incident}::text, 'seq', inserted."seq")::text) AS notified
ORDER BY inserted."seq"`;
}

async function insertBatch(batch: Prepared[]): Promise<TimelineEventRecord[]> {
  const first = batch[0]!;
  const client = await timelinePool().connect();
  try {
    const results = (await client.query(
      `BEGIN; SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${escapeLiteral(first.incidentId)})); ${batchInsertSql(batch)}; COMMIT`,
    )) as unknown as { rows: { seq: number; prevHash: string; hash: string }[] }[];
    const rows = results[2]?.rows ?? [];
    return batch.map((prepared, i) => finish(prepared, rows[i]));
  } catch (error) {
    // A failed statement leaves the implicit transaction aborted on this connection.
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Closes the timeline's pg pool (scripts and tests that want their process to exit at once). */
export async function closeAppendPool(): Promise<void> {
  await closeTimelinePool();
}
