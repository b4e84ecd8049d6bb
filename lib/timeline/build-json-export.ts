import { GENESIS_HASH, type TimelineEventView } from './types';
import { JSON_EXPORT_FORMAT, type TimelineExportData } from './export-types';
import { isoUtc } from './format-time';
import { redactEvent } from './redact-event';

/** An event as exported: the browser's view of it without rendered HTML, plus a redaction mark. */
export type JsonExportEvent = Omit<TimelineEventView, 'id' | 'noteHtml'> & {
  id?: string;
  /** Present when a secret-looking value was masked: the content no longer matches the hash. */
  redacted?: true;
};

/**
 * The complete, machine-readable record: the incident, its steps and every event with its seq and
 * hashes, so `npm run timeline:verify -- --file export.json` can recompute the chain offline.
 */
export function buildJsonExport({ incident, steps, events, generatedAt }: TimelineExportData): string {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const out = {
    format: JSON_EXPORT_FORMAT,
    version: 1,
    generatedAt: isoUtc(generatedAt),
    timeZone: 'UTC (+00:00)',
    incident: {
      ...incident,
      detectedAt: isoUtc(incident.detectedAt),
      declaredAt: isoUtc(incident.declaredAt),
      mitigatedAt: isoUtc(incident.mitigatedAt) || null,
      resolvedAt: isoUtc(incident.resolvedAt) || null,
      closedAt: isoUtc(incident.closedAt) || null,
    },
    steps: steps.map((s) => ({ ...s, completedAt: isoUtc(s.completedAt) || null })),
    chain: {
      algorithm: 'SHA-256',
      canonicalForm:
        'JSON with keys sorted at every depth, no whitespace, of {incidentId, seq, at (UTC ISO 8601 with ms), actorType, actorId, actorName, type, summary, payload, kubectl, prevHash}',
      genesisHash: GENESIS_HASH,
      count: sorted.length,
      headHash: sorted.at(-1)?.hash ?? GENESIS_HASH,
      // No verdict here: the events are exported exactly as stored, so the verifier finds any
      // break that already existed, and an edit made to the file after export as well.
      verify: 'npm run timeline:verify -- --file <this file>',
    },
    events: sorted.map((raw): JsonExportEvent => {
      const { event, redacted } = redactEvent(raw);
      return {
        ...(event.id ? { id: event.id } : {}),
        incidentId: event.incidentId,
        seq: event.seq,
        at: isoUtc(event.at),
        actorType: event.actorType,
        actorId: event.actorId,
        actorName: event.actorName,
        type: event.type,
        summary: event.summary,
        payload: event.payload,
        kubectl: event.kubectl,
        prevHash: event.prevHash,
        hash: event.hash,
        ...(redacted ? { redacted: true as const } : {}),
      };
    }),
  };
  // Readable header, one event per line: half the size and time of indenting 10,000 events.
  const { events: list, ...head } = out;
  const header = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${header},\n  "events": [\n${list.map((e) => `    ${JSON.stringify(e)}`).join(',\n')}\n  ]\n}\n`;
}
