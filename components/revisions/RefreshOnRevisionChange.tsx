'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { useLiveResource } from '@/lib/live/use-live-resource';

/**
 * Re-renders the server parts of the page (revision history, diff) when the deployment's
 * ReplicaSets change revision (an undo, a new rollout), as seen by the shared ReplicaSet watch.
 * Costs no API request per viewer: the watch is shared, the refresh reads through lib/k8s once.
 */
export function RefreshOnRevisionChange({ namespace, selector }: { namespace: string; selector: string }) {
  const router = useRouter();
  const live = useLiveResource({ kind: 'replicasets', namespace, selector });
  const signature = live.items
    .map((rs) => `${rs.metadata?.name}:${rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? ''}`)
    .sort()
    .join(',');
  const seen = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (live.connection !== 'live') return;
    if (seen.current === undefined) {
      seen.current = signature;
      return;
    }
    if (seen.current !== signature) {
      seen.current = signature;
      router.refresh();
    }
  }, [signature, live.connection, router]);
  return null;
}
