'use client';

import Link from 'next/link';
import { cn } from '@/components/ui/cn';
import { STEP_STATUS_LABEL } from './format';
import type { IncidentLiveState } from './incident-state';

const SEGMENT: Record<string, string> = {
  pending: 'bg-white text-slate-700 ring-slate-300',
  in_progress: 'bg-sky-50 text-sky-900 ring-sky-500',
  done: 'bg-emerald-600 text-white ring-emerald-700',
  skipped: 'bg-violet-100 text-violet-900 ring-violet-400',
  failed: 'bg-red-600 text-white ring-red-700',
};

const MARK: Record<string, string> = { done: '✓', skipped: '↷', failed: '✗', in_progress: '●', pending: '' };

/** The ten steps as a bar: done / skipped / failed / current, each linking to its step page. */
export function StepProgress({ state, activeStep }: { state: IncidentLiveState; activeStep?: number }) {
  const { steps, progress, incident } = state.overview;
  return (
    <nav aria-label="Runbook steps" className="space-y-1">
      <p className="text-xs text-slate-600" data-testid="step-progress-summary">
        <span className="font-semibold text-slate-900">{progress.finished}</span> of {progress.total} steps finished
        {progress.current ? (
          <>
            {' '}
            · current: step {progress.current}
          </>
        ) : null}
      </p>
      <ol className="grid grid-cols-5 gap-1 lg:grid-cols-10">
        {steps.map((s) => {
          const current = progress.current === s.number;
          return (
            <li key={s.number}>
              <Link
                href={`/incidents/${incident.id}/steps/${s.number}`}
                data-testid="step-segment"
                data-step={s.number}
                data-status={s.status}
                title={`Step ${s.number}: ${s.title} (${STEP_STATUS_LABEL[s.status] ?? s.status})${s.reason ? ` — ${s.reason}` : ''}`}
                className={cn(
                  'flex h-full min-h-[3.25rem] flex-col rounded px-1.5 py-1 text-[11px] leading-tight ring-1 ring-inset hover:brightness-95',
                  SEGMENT[s.status] ?? SEGMENT.pending,
                  current && 'outline outline-2 outline-offset-1 outline-sky-600',
                  activeStep === s.number && 'outline outline-2 outline-offset-1 outline-slate-900',
                )}
              >
                <span className="font-semibold">
                  {s.number} {MARK[s.status]}
                </span>
                <span className="line-clamp-2">{s.title}</span>
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
