'use client';

import { useQuery } from '@tanstack/react-query';
import type { ValidationItem } from '@/lib/incidents/validation-checklist';
import { Alert } from '@/components/ui/alert';
import { ChecksList } from './ChecksList';

type Answer = { items: ValidationItem[]; passed: boolean; checkedAt: string };

/** The runbook's Validation checklist, computed live on the server every 15 s. */
export function ValidationChecklist({ incidentId }: { incidentId: string }) {
  const q = useQuery({
    queryKey: ['incident-validation', incidentId],
    queryFn: async ({ signal }): Promise<Answer> => {
      const res = await fetch(`/incidents/${encodeURIComponent(incidentId)}/steps/validation`, { signal, cache: 'no-store' });
      const body = (await res.json()) as Answer & { message?: string };
      if (!res.ok) throw new Error(body.message ?? `HTTP ${res.status}`);
      return body;
    },
    refetchInterval: 15_000,
    refetchOnWindowFocus: false,
  });
  if (q.isPending) return <p className="text-xs text-slate-500">Checking the validation list against the live cluster…</p>;
  if (q.isError) return <Alert tone="warning">Validation checklist unavailable: {q.error.message}</Alert>;
  const { items, passed, checkedAt } = q.data;
  return (
    <div className="space-y-2" data-testid="validation-checklist" data-passed={passed}>
      <p className="text-xs text-slate-600">
        {passed ? <span className="font-semibold text-emerald-800">All checks pass.</span> : <span className="font-semibold text-amber-900">Not all checks pass yet.</span>} Checked{' '}
        {checkedAt.slice(11, 19)} UTC, every 15 s.
      </p>
      <ChecksList checks={items.map((i) => ({ id: i.id, label: i.label, status: i.status, details: i.details, command: i.command }))} testId="validation-items" />
    </div>
  );
}
