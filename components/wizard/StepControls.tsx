'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useQueryClient } from '@tanstack/react-query';
import { useState, useTransition } from 'react';
import { completeStep, skipStep } from '@/app/incidents/[id]/actions';
import type { SkipReason } from '@/lib/incidents/steps';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Select, Input } from '@/components/ui/field';
import { incidentStateKey } from './incident-state';

/**
 * Complete the step, or skip it with one of the runbook's reasons (recorded on the timeline).
 * Only rendered for roles with step.update; the server refuses everyone else anyway.
 */
export function StepControls({ incidentId, step, status, skipReasons, completeWhen }: { incidentId: string; step: number; status: string; skipReasons: readonly SkipReason[]; completeWhen: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [reasonId, setReasonId] = useState(skipReasons[0]?.id ?? '');
  const [note, setNote] = useState('');

  const after = async (r: { ok: boolean; message?: string }) => {
    if (!r.ok) setError(r.message ?? 'Refused');
    else setError(null);
    await queryClient.invalidateQueries({ queryKey: incidentStateKey(incidentId) });
    router.refresh();
  };

  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200" data-testid="step-controls">
      <p className="text-xs text-slate-700">
        <span className="font-semibold">Done when:</span> {completeWhen}
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <Button
          // Secondary on purpose: the step's own action is the primary button; this only records the decision.
          variant="secondary"
          disabled={pending || status === 'done'}
          data-testid="complete-step"
          onClick={() => startTransition(async () => after(await completeStep({ incidentId, step })))}
        >
          {status === 'done' ? 'Step done' : 'Mark step done'}
        </Button>
        {skipReasons.length > 0 && status !== 'done' && status !== 'skipped' && (
          <div className="flex flex-wrap items-end gap-2">
            <label className="text-xs text-slate-700">
              Skip because
              <Select className="mt-0.5 w-auto max-w-md" value={reasonId} onChange={(e) => setReasonId(e.target.value)} data-testid="skip-reason">
                {skipReasons.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
              </Select>
            </label>
            <label className="text-xs text-slate-700">
              Note (optional)
              <Input className="mt-0.5 w-56" value={note} onChange={(e) => setNote(e.target.value)} />
            </label>
            <Button disabled={pending} data-testid="skip-step" onClick={() => startTransition(async () => after(await skipStep({ incidentId, step, reasonId, note: note || undefined })))}>
              Skip step
            </Button>
          </div>
        )}
      </div>
      {error && <Alert tone="danger">{error}</Alert>}
    </div>
  );
}

/** Previous / next step links. */
export function StepNav({ incidentId, step }: { incidentId: string; step: number }) {
  const link = 'rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-inset ring-slate-300 bg-white hover:bg-slate-50';
  return (
    <nav aria-label="Step navigation" className="flex items-center justify-between gap-2">
      {step > 1 ? (
        <Link className={link} href={`/incidents/${incidentId}/steps/${step - 1}`} data-testid="prev-step">
          ← Step {step - 1}
        </Link>
      ) : (
        <span />
      )}
      <Link className="text-sm text-slate-700 underline" href={`/incidents/${incidentId}`}>
        Incident overview
      </Link>
      {step < 10 ? (
        <Link className={link} href={`/incidents/${incidentId}/steps/${step + 1}`} data-testid="next-step">
          Step {step + 1} →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
