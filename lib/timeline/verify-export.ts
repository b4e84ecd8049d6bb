import { z } from 'zod';
import { JSON_EXPORT_FORMAT } from './export-types';
import type { ChainVerification, JsonValue, TimelineEventRecord } from './types';
import { verifyChain } from './verify-chain';

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const exportSchema = z.object({
  format: z.literal(JSON_EXPORT_FORMAT),
  version: z.literal(1),
  incident: z.object({ id: z.string(), key: z.string() }).passthrough(),
  chain: z.object({ count: z.number().int().nonnegative(), headHash: z.string() }).passthrough(),
  events: z.array(
    z.object({
      incidentId: z.string(),
      seq: z.number().int().positive(),
      at: z.string(),
      actorType: z.string(),
      actorId: z.string().nullable(),
      actorName: z.string(),
      type: z.string(),
      summary: z.string(),
      payload: jsonValue,
      kubectl: z.string().nullable(),
      prevHash: z.string(),
      hash: z.string(),
      redacted: z.literal(true).optional(),
    }),
  ),
});

export type ExportVerification = ChainVerification & { incidentKey?: string };

/**
 * Verifies a parsed JSON export (`/incidents/[id]/export?format=json`) offline: the file's shape,
 * every event's hash and link, and that the events listed match the count and head hash the file
 * declares. An edited export fails and names the first event that does not match.
 */
export function verifyExport({ data }: { data: unknown }): ExportVerification {
  const parsed = exportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      count: 0,
      headHash: '',
      reason: `not a Rollback Console timeline export (${issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid'})`,
    };
  }
  const { incident, chain, events } = parsed.data;
  const redacted = new Set(events.filter((e) => e.redacted).map((e) => e.seq));
  const result = verifyChain({
    events: events as TimelineEventRecord[],
    incidentId: incident.id,
    contentUnverifiable: redacted,
  });
  if (!result.ok) return { ...result, incidentKey: incident.key };
  if (chain.count !== result.count || chain.headHash !== result.headHash) {
    return {
      ...result,
      ok: false,
      incidentKey: incident.key,
      firstBadSeq: result.count + 1,
      reason: `the file declares ${chain.count} events ending in ${chain.headHash.slice(0, 12)}…, but lists ${result.count} ending in ${result.headHash.slice(0, 12)}… (events were removed or added)`,
    };
  }
  return { ...result, incidentKey: incident.key };
}
