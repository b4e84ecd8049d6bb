'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { AppError } from '@/lib/errors';
import { addNote as addNoteToTimeline } from '@/lib/timeline/add-note';
import { findIncidentRef } from '@/lib/timeline/find-incident-ref';

const noteInput = z.object({
  incidentId: z.string().min(1),
  markdown: z.string().trim().min(1, 'Write the note first.').max(20_000, 'Notes are limited to 20,000 characters.'),
});

/**
 * Adds a Markdown note to the incident's timeline as the signed-in person. Commanders and authors
 * (timeline.note); the server refuses everyone else, whatever the page showed them.
 */
export const addNote = defineAction({
  name: 'addNote',
  permission: 'timeline.note',
  input: noteInput,
  run: async ({ incidentId, markdown }, { user }) => {
    const ref = await findIncidentRef({ idOrKey: incidentId });
    // Why: a stale tab may post to an incident id that never existed on this server.
    if (!ref) throw new AppError('not_found', 'There is no such incident.');
    const event = await addNoteToTimeline({ incidentId: ref.id, author: { id: user.id, name: user.name }, markdown });
    return { seq: event.seq };
  },
});
