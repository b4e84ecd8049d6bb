import 'server-only';
import { Prisma } from '@/lib/generated/prisma/client';
import { db } from '@/lib/db/client';

export type SearchEventsOptions = {
  /** Words to find in an event's summary, payload (notes included), kubectl or actor name. */
  query: string;
  /** Search one incident's timeline; omitted = across all incidents. */
  incidentId?: string;
  /** At most this many hits (default 50, max 500). */
  limit?: number;
};

export type EventSearchHit = {
  incidentId: string;
  incidentKey: string;
  incidentTitle: string;
  seq: number;
  at: string;
  type: string;
  actorName: string;
  summary: string;
};

/**
 * Text search over timeline events: every word must appear (case-insensitive) in the summary,
 * payload, kubectl or actor name. Newest first. Used by the incident page's filter and the
 * incidents list's search box (`incidentIdsOf()` of the hits gives the incidents to show).
 */
export async function searchEvents({ query, incidentId, limit = 50 }: SearchEventsOptions): Promise<EventSearchHit[]> {
  const words = query
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8);
  if (words.length === 0) return [];
  const take = Math.min(Math.max(1, Math.floor(limit)), 500);
  const conditions = words.map((word) => {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return Prisma.sql`(e."summary" ILIKE ${pattern} OR e."payload"::text ILIKE ${pattern} OR coalesce(e."kubectl", '') ILIKE ${pattern} OR e."actorName" ILIKE ${pattern})`;
  });
  const where = Prisma.join(incidentId ? [Prisma.sql`e."incidentId" = ${incidentId}`, ...conditions] : conditions, ' AND ');
  const rows = await db.$queryRaw<
    { incidentId: string; incidentKey: string; incidentTitle: string; seq: number; at: Date; type: string; actorName: string; summary: string }[]
  >(Prisma.sql`
    SELECT e."incidentId", i."key" AS "incidentKey", i."title" AS "incidentTitle", e."seq", e."at", e."type", e."actorName", e."summary"
    FROM "rollback_console"."TimelineEvent" e
    JOIN "rollback_console"."Incident" i ON i."id" = e."incidentId"
    WHERE ${where}
    ORDER BY e."at" DESC, e."seq" DESC
    LIMIT ${take}`);
  return rows.map((r) => ({ ...r, seq: Number(r.seq), at: new Date(r.at).toISOString() }));
}

/** The distinct incidents among search hits, in order of their newest hit. */
export function incidentIdsOf(hits: readonly EventSearchHit[]): string[] {
  return [...new Set(hits.map((h) => h.incidentId))];
}
