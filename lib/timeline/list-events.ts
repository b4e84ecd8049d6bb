import 'server-only';
import { db } from '@/lib/db/client';
import type { JsonValue, TimelineEventRecord } from './types';

export type ListEventsOptions = {
  incidentId: string;
  /** Only events with seq greater than this (replay after a reconnect). */
  afterSeq?: number;
  /** At most this many, oldest first. */
  limit?: number;
};

/** An incident's events in seq order, as plain records. */
export async function listEvents({ incidentId, afterSeq, limit }: ListEventsOptions): Promise<TimelineEventRecord[]> {
  const rows = await db.timelineEvent.findMany({
    where: { incidentId, ...(afterSeq !== undefined ? { seq: { gt: afterSeq } } : {}) },
    orderBy: { seq: 'asc' },
    ...(limit !== undefined ? { take: limit } : {}),
  });
  return rows.map((row) => ({ ...row, payload: row.payload as JsonValue }));
}
