'use client';

import type { IncidentLiveState } from './incident-state';

const DOT: Record<string, string> = {
  'action.failed': 'bg-red-600',
  'rollout.failed': 'bg-red-600',
  'stability.breach': 'bg-red-600',
  'step.failed': 'bg-red-600',
  'action.succeeded': 'bg-emerald-600',
  'rollout.completed': 'bg-emerald-600',
  'stability.passed': 'bg-emerald-600',
  'step.done': 'bg-emerald-600',
};

/** The newest progress events (rollout status, action outcomes, step transitions), live. */
export function RecentProgress({ state, limit = 6 }: { state: IncidentLiveState; limit?: number }) {
  const events = state.recent.slice(0, limit);
  if (events.length === 0) return <p className="text-xs text-slate-500">No actions yet.</p>;
  return (
    <ol className="space-y-1" data-testid="recent-progress">
      {events.map((e) => (
        <li key={e.seq} className="flex gap-2 text-xs">
          <span className={`mt-1 h-2 w-2 flex-none rounded-full ${DOT[e.type] ?? 'bg-sky-500'}`} />
          <span className="w-16 flex-none font-mono tabular-nums text-slate-500">{e.at.slice(11, 19)}</span>
          <span className="min-w-0 break-words text-slate-800">{e.summary}</span>
        </li>
      ))}
    </ol>
  );
}
