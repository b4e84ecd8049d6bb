'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { updateIncident } from '@/app/incidents/[id]/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';

/** <input type="datetime-local"> value (local time) of an ISO instant. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Corrects the incident's title, severity and detection time (the recovery clock counts from it).
 * Commanders only (rendered by the page when the role has incident.update); every change is
 * recorded on the timeline with before and after.
 */
export function EditIncidentForm({ incident }: { incident: { id: string; title: string; severity: string; detectedAt: string } }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const [detected, setDetected] = useState(() => toLocalInput(incident.detectedAt));
  return (
    <details className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <summary className="cursor-pointer px-4 py-2 text-sm font-medium text-slate-800">Edit title, severity or detection time</summary>
      <form
        className="grid gap-3 border-t border-slate-200 p-4 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          startTransition(async () => {
            const r = await updateIncident({
              incidentId: incident.id,
              title: String(form.get('title') ?? ''),
              severity: String(form.get('severity') ?? 'SEV1') as 'SEV1' | 'SEV2' | 'SEV3',
              detectedAt: detected ? new Date(detected).toISOString() : undefined,
            });
            if (r.ok) {
              setMessage({ tone: 'success', text: r.data.changed.length ? `Changed: ${r.data.changed.join(', ')}` : 'Nothing changed.' });
              router.refresh();
            } else setMessage({ tone: 'danger', text: r.message });
          });
        }}
      >
        <Field label="Title" htmlFor="edit-title">
          <Input id="edit-title" name="title" defaultValue={incident.title} />
        </Field>
        <Field label="Severity" htmlFor="edit-severity">
          <Select id="edit-severity" name="severity" defaultValue={incident.severity}>
            <option value="SEV1">SEV1</option>
            <option value="SEV2">SEV2</option>
            <option value="SEV3">SEV3</option>
          </Select>
        </Field>
        <Field label="Detected at (local time)" htmlFor="edit-detected">
          <Input id="edit-detected" type="datetime-local" step={1} value={detected} onChange={(e) => setDetected(e.target.value)} />
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save'}
        </Button>
        {message && (
          <Alert tone={message.tone} className="sm:col-span-4">
            {message.text}
          </Alert>
        )}
      </form>
    </details>
  );
}
