import 'server-only';
import type { TimelineEventRecord } from './types';
import { timelinePool } from './timeline-pool';

export type ListEventsOptions = {
  incidentId: string;
  /** Only events with seq greater than this (replay after a reconnect). */
  afterSeq?: number;
  /** At most this many, oldest first. */
  limit?: number;
};

/** An incident's events in seq order, as plain records (times as Date, payload parsed). */
export async function listEvents({ incidentId, afterSeq, limit }: ListEventsOptions): Promise<TimelineEventRecord[]> {
  const { rows } = await timelinePool().query<TimelineEventRecord>(
    `SELECT "id", "incidentId", "seq", "at", "actorType", "actorId", "actorName", "type", "summary", "payload", "kubectl", "prevHash", "hash"
     FROM "rollback_console"."TimelineEvent"
     WHERE "incidentId" = $1 AND "seq" > $2
     ORDER BY "seq" ASC
     LIMIT $3`,
    [incidentId, afterSeq ?? 0, limit ?? null],
  );
  return rows;
}
