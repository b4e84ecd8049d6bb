'use client';

import { useLiveResource } from '@/lib/live/use-live-resource';
import type { LiveObject } from '@/lib/live/types';
import { Card } from '@/components/ui/card';
import { formatAge } from './deployment-row';
import { useNow } from './use-now';

type EventObject = LiveObject & {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  involvedObject?: { kind?: string; name?: string };
};

function when(e: EventObject): string | undefined {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
}

/**
 * Recent events of the deployment, its ReplicaSets and pods (`kubectl get events`), live from
 * the namespace's events watch. Objects are matched by name prefix, as the names of a
 * deployment's ReplicaSets and pods begin with it.
 */
export function EventsList({ namespace, name, initialItems, limit = 15 }: { namespace: string; name: string; initialItems?: LiveObject[]; limit?: number }) {
  const live = useLiveResource({ kind: 'events', namespace, initialItems });
  const now = useNow(10_000);
  const events = (live.items as EventObject[])
    .filter((e) => (e.involvedObject?.name ?? '').startsWith(name))
    .sort((a, b) => Date.parse(when(b) ?? '') - Date.parse(when(a) ?? ''))
    .slice(0, limit);
  return (
    <Card title="Recent events" description={<code className="text-[11px]">kubectl get events -n {namespace} --sort-by=.lastTimestamp</code>}>
      {events.length === 0 ? (
        <p className="text-sm text-slate-500">No recent events.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="events-list">
          {events.map((e) => (
            <li key={e.metadata?.name ?? `${e.reason}-${when(e)}`} className="flex gap-3 py-1">
              <span className="w-10 shrink-0 tabular-nums text-slate-500">{formatAge(when(e), now)}</span>
              <span className={e.type === 'Warning' ? 'w-16 shrink-0 font-medium text-red-700' : 'w-16 shrink-0 text-slate-600'}>{e.type}</span>
              <span className="w-36 shrink-0 font-medium">{e.reason}</span>
              <span className="line-clamp-2 min-w-0 flex-1 break-words text-slate-700" title={e.message}>
                <span className="font-mono text-xs text-slate-500">
                  {e.involvedObject?.kind?.toLowerCase()}/{e.involvedObject?.name}
                </span>{' '}
                {e.message}
                {(e.count ?? 1) > 1 && <span className="text-slate-500"> (×{e.count})</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
