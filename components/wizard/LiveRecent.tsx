'use client';

import { useIncidentState, type IncidentLiveState } from './incident-state';
import { RecentProgress } from './RecentProgress';

/** RecentProgress bound to the polled incident state. */
export function LiveRecent({ initial, limit }: { initial: IncidentLiveState; limit?: number }) {
  const { data } = useIncidentState(initial.overview.incident.id, initial);
  return <RecentProgress state={data} limit={limit} />;
}
