'use client';

import { useQuery } from '@tanstack/react-query';
import type { IncidentOverview } from '@/lib/incidents/get-incident-overview';
import type { StabilityWatchState } from '@/lib/jobs/stability-watch';

/** What GET /incidents/[id]/steps/status answers (see load-incident-state.ts). */
export type IncidentLiveState = {
  overview: IncidentOverview;
  watch: StabilityWatchState | null;
  /** Newest first: action and rollout progress, step transitions. */
  recent: { seq: number; at: string; type: string; summary: string; kubectl: string | null; actorName: string }[];
  /** Newest first: escalation reminders and the two-failed-attempts escalation. */
  reminders: { seq: number; at: string; type: string; summary: string }[];
  serverNow: string;
};

export const incidentStateKey = (incidentId: string) => ['incident-state', incidentId] as const;

/**
 * The incident's live state, polled every 2 s while the incident is open (10 s once closed).
 * Every panel of the incident and step pages reads this one query, so a page polls once.
 */
export function useIncidentState(incidentId: string, initial: IncidentLiveState) {
  return useQuery({
    queryKey: incidentStateKey(incidentId),
    queryFn: async ({ signal }): Promise<IncidentLiveState> => {
      const res = await fetch(`/incidents/${encodeURIComponent(incidentId)}/steps/status`, { signal, cache: 'no-store' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.json()) as IncidentLiveState;
    },
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.overview.incident.status === 'closed' ? 10_000 : 2_000),
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: false,
  });
}
