'use client';

import { Alert } from '@/components/ui/alert';
import { useIncidentState, type IncidentLiveState } from './incident-state';

/** The runbook's escalation ladder as it fired for this incident (reminders while unmitigated). */
export function EscalationReminders({ initial }: { initial: IncidentLiveState }) {
  const { data } = useIncidentState(initial.overview.incident.id, initial);
  if (data.reminders.length === 0) {
    return <p className="text-xs text-slate-600">No escalation reminder yet. Reminders fire at 5, 10, 15 and 20 minutes without recovery, and after two failed rollback attempts.</p>;
  }
  return (
    <div className="space-y-1.5" data-testid="escalation-reminders">
      {data.reminders.map((r) => (
        <Alert key={r.seq} tone={r.type === 'escalation' ? 'danger' : 'warning'}>
          <span className="font-mono text-xs">{r.at.slice(11, 19)}</span> {r.summary}
        </Alert>
      ))}
    </div>
  );
}
