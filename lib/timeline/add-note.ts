import 'server-only';
import type { Tx } from '@/lib/db/client';
import { appendEvent } from './append-event';
import type { TimelineEventRecord } from './types';

export type AddNoteOptions = {
  incidentId: string;
  author: { id: string; name: string };
  /** The note as written; rendered safely wherever it is shown (render-note-markdown.ts). */
  markdown: string;
};

/** The one-line summary of a note: its first non-empty line as plain text, at most 140 characters. */
export function noteSummary(markdown: string): string {
  const first =
    markdown
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? '';
  const plain = first
    .replace(/^(#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)/, '')
    .replace(/[*_`~]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim();
  return plain.length > 140 ? `${plain.slice(0, 139)}…` : plain || 'Note';
}

/** Records a note by a person on the incident's timeline (type `note`, Markdown in the payload). */
export async function addNote({ incidentId, author, markdown }: AddNoteOptions, tx?: Tx): Promise<TimelineEventRecord> {
  return appendEvent(
    {
      incidentId,
      actor: { type: 'person', id: author.id, name: author.name },
      type: 'note',
      summary: noteSummary(markdown),
      payload: { markdown },
    },
    tx,
  );
}
