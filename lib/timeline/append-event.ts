import 'server-only';
import { db, type Tx } from '@/lib/db/client';
import { cleanString, normalizeJson } from './canonical';
import { hashEvent } from './hash-event';
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
 * state change it records (CONVENTIONS.md §5); without one, a transaction is opened here.
 * `tx` must be READ COMMITTED (Prisma's default): the last event is read after the lock is taken.
 *
 * A NOTIFY on `timeline_events` is sent in the same transaction, so listeners hear of the event
 * exactly when it commits, and never of one that rolled back.
 * @see https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 * @see https://www.postgresql.org/docs/current/sql-notify.html
 */
export async function appendEvent(input: AppendEventInput, tx?: Tx): Promise<TimelineEventRecord> {
  if (tx) return appendWithin(tx, input);
  return db.$transaction((inner) => appendWithin(inner, input), { maxWait: 20_000, timeout: 20_000 });
}

async function appendWithin(tx: Tx, input: AppendEventInput): Promise<TimelineEventRecord> {
  const type = cleanString(input.type).trim();
  const summary = cleanString(input.summary).trim();
  if (!input.incidentId) throw new Error('appendEvent: incidentId is required');
  if (!type) throw new Error('appendEvent: type is required');
  if (!summary) throw new Error('appendEvent: summary is required');

  const kubectlText = Array.isArray(input.kubectl) ? input.kubectl.join('\n') : input.kubectl;
  const kubectl = kubectlText ? cleanString(kubectlText) : null;
  // Store exactly what is hashed: the payload as Postgres will hand it back.
  const normalized = normalizeJson(input.payload ?? {});
  const payload: JsonObject =
    normalized !== null && typeof normalized === 'object' && !Array.isArray(normalized) ? normalized : { value: normalized };
  const actorType = input.actor.type;
  const actorId = input.actor.type === 'person' ? input.actor.id : (input.actor.id ?? null);
  const actorName = cleanString(input.actor.name).trim() || (actorType === 'system' ? 'Rollback Console' : 'Unknown person');
  const at = input.at ?? new Date();
  if (Number.isNaN(at.getTime())) throw new Error('appendEvent: invalid time');

  // Separate statement from the read below: in READ COMMITTED each statement takes a fresh
  // snapshot, so the read sees the event committed by whoever held the lock before us.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, hashtext(${input.incidentId}))`;
  const last = await tx.timelineEvent.findFirst({
    where: { incidentId: input.incidentId },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const fields = {
    incidentId: input.incidentId,
    seq: (last?.seq ?? 0) + 1,
    at: new Date(at.getTime()),
    actorType,
    actorId,
    actorName,
    type,
    summary,
    payload,
    kubectl,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = hashEvent(fields);
  const created = await tx.timelineEvent.create({ data: { ...fields, hash }, select: { id: true } });
  const message = JSON.stringify({ incidentId: fields.incidentId, seq: fields.seq });
  await tx.$executeRaw`SELECT pg_notify(${TIMELINE_CHANNEL}, ${message})`;
  return { ...fields, id: created.id, hash };
}
