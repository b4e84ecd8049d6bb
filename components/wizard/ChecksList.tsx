import { Badge } from '@/components/ui/badge';

export type CheckItem = { id: string; label: string; status: 'pass' | 'fail' | 'unknown' | 'pending'; details?: string; command?: string };

const TONE = { pass: 'success', fail: 'danger', unknown: 'warning', pending: 'neutral' } as const;
const WORD = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN', pending: 'NOT RUN' } as const;

/** Live checks with pass/fail, details and the command each one stands for. */
export function ChecksList({ checks, testId = 'checks' }: { checks: CheckItem[]; testId?: string }) {
  return (
    <ul className="divide-y divide-slate-200 rounded-md ring-1 ring-slate-200" data-testid={testId}>
      {checks.map((c) => (
        <li key={c.id} className="grid gap-1 px-3 py-2 sm:grid-cols-[6.5rem_1fr]" data-testid="check" data-check={c.id} data-status={c.status}>
          <div>
            <Badge tone={TONE[c.status]}>{WORD[c.status]}</Badge>
          </div>
          <div className="min-w-0">
            <p className="text-sm font-medium text-slate-900">{c.label}</p>
            {c.details && <p className="break-words text-xs text-slate-700">{c.details}</p>}
            {c.command && <code className="block truncate text-[11px] text-slate-500" title={c.command}>$ {c.command}</code>}
          </div>
        </li>
      ))}
    </ul>
  );
}
