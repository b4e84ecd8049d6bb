import { isoUtc } from './format-time';
import { redactEvent } from './redact-event';
import { renderNoteMarkdown } from './render-note-markdown';
import type { TimelineEventRecord, TimelineEventView } from './types';

/**
 * What the browser receives for one event: secrets masked, times as UTC ISO strings, and a note's
 * Markdown rendered on the server to safe HTML (the client never renders user Markdown itself).
 */
export function toEventView(record: TimelineEventRecord): TimelineEventView {
  const { event } = redactEvent(record);
  const view: TimelineEventView = {
    id: event.id ?? `${event.incidentId}:${event.seq}`,
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
  };
  const markdown =
    event.type === 'note' && event.payload && typeof event.payload === 'object' && !Array.isArray(event.payload)
      ? event.payload.markdown
      : undefined;
  if (typeof markdown === 'string') view.noteHtml = renderNoteMarkdown({ markdown });
  return view;
}
