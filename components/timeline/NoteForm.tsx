'use client';

import { useState, useTransition } from 'react';
import { addNote } from '@/app/incidents/[id]/timeline-actions';
import { Button } from '@/components/ui/button';

/**
 * Adds a Markdown note to the timeline. Rendered only for roles with timeline.note (pass
 * `canNote={can(user.role, 'timeline.note')}`); the server action refuses everyone else anyway.
 * The note appears in the timeline through the live stream, like any other event.
 */
export function NoteForm({ incidentId, canNote }: { incidentId: string; canNote: boolean }) {
  const [markdown, setMarkdown] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (!canNote) return null;

  const submit = () => {
    setError(null);
    startTransition(async () => {
      const result = await addNote({ incidentId, markdown });
      if (result.ok) setMarkdown('');
      else setError(result.fieldErrors?.markdown?.[0] ?? result.message);
    });
  };

  return (
    <form
      className="flex flex-col gap-2"
      aria-label="Add a note to the timeline"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`note-${incidentId}`} className="text-xs font-medium text-slate-700">
        Add a note (Markdown)
      </label>
      <textarea
        id={`note-${incidentId}`}
        name="markdown"
        value={markdown}
        onChange={(e) => setMarkdown(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) submit();
        }}
        rows={3}
        maxLength={20_000}
        placeholder="What did you see or decide? Ctrl+Enter to add."
        className="w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
      />
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
      <div>
        <Button type="submit" variant="primary" size="sm" disabled={pending || markdown.trim() === ''}>
          {pending ? 'Adding…' : 'Add note'}
        </Button>
      </div>
    </form>
  );
}
