import type { TimelineExportData } from './export-types';
import { canonicalJson } from './canonical';
import { toCsv } from './csv';
import { isoUtc } from './format-time';
import { redactEvent } from './redact-event';

const HEADER = ['seq', 'time_utc', 'actor_type', 'actor_id', 'actor_name', 'type', 'summary', 'kubectl', 'payload_json', 'prev_hash', 'hash'];

/**
 * One row per event, times in UTC ISO 8601 (the Z is the +00:00 offset), secrets masked, and
 * every text cell neutralised against spreadsheet formula injection.
 */
export function buildCsvExport({ events }: Pick<TimelineExportData, 'events'>): string {
  const rows = [...events]
    .sort((a, b) => a.seq - b.seq)
    .map((raw) => {
      const { event } = redactEvent(raw);
      return [
        event.seq,
        isoUtc(event.at),
        event.actorType,
        event.actorId ?? '',
        event.actorName,
        event.type,
        event.summary,
        event.kubectl ?? '',
        canonicalJson(event.payload),
        event.prevHash,
        event.hash,
      ];
    });
  return toCsv([HEADER, ...rows]);
}
