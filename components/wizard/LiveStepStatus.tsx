'use client';

import { Badge } from '@/components/ui/badge';
import { STEP_STATUS_LABEL, STEP_STATUS_TONE, formatUtc } from './format';
import { useIncidentState, type IncidentLiveState } from './incident-state';

/** The step's status badge, live (the background watch or another commander may change it). */
export function LiveStepStatus({ initial, step }: { initial: IncidentLiveState; step: number }) {
  const { data } = useIncidentState(initial.overview.incident.id, initial);
  const st = data.overview.steps.find((s) => s.number === step);
  const status = st?.status ?? 'pending';
  return (
    <div className="text-right">
      <Badge tone={STEP_STATUS_TONE[status] ?? 'neutral'} className="text-sm uppercase">
        <span data-testid="step-status">{STEP_STATUS_LABEL[status] ?? status}</span>
      </Badge>
      {st?.completedAt && <p className="mt-1 text-[11px] text-slate-500">{formatUtc(st.completedAt)}</p>}
    </div>
  );
}
