'use client';

import Link from 'next/link';
import { useLiveResource } from '@/lib/live/use-live-resource';
import type { LiveObject } from '@/lib/live/types';
import { Badge } from '@/components/ui/badge';
import { HEALTH_TONE, toDeploymentRow } from './deployment-row';
import { LiveBanner } from './LiveBanner';

/** Every deployment the console can see, live. */
export function DeploymentsTable({ initialItems, namespace = '' }: { initialItems?: LiveObject[]; namespace?: string }) {
  const live = useLiveResource({ kind: 'deployments', namespace, initialItems });
  const rows = live.items.map(toDeploymentRow);
  return (
    <div>
      <LiveBanner problems={[live.problem]} />
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full text-sm" data-testid="deployments-table">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-3 py-2">Namespace</th>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Ready</th>
              <th className="px-3 py-2">Image</th>
              <th className="px-3 py-2">Revision</th>
              <th className="px-3 py-2">Health</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-slate-500">
                  {live.connection === 'connecting' ? 'Loading deployments…' : 'No deployments found.'}
                </td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={`${r.namespace}/${r.name}`} className="hover:bg-slate-50">
                <td className="px-3 py-2 text-slate-600">{r.namespace}</td>
                <td className="px-3 py-2 font-medium">
                  <Link className="text-sky-700 hover:underline" href={`/deployments/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`}>
                    {r.name}
                  </Link>
                </td>
                <td className="px-3 py-2 tabular-nums">
                  {r.ready}/{r.desired}
                </td>
                <td className="px-3 py-2 font-mono text-xs">{r.images.join(', ')}</td>
                <td className="px-3 py-2 tabular-nums">{r.revision ?? '–'}</td>
                <td className="px-3 py-2">
                  <span title={r.rolloutMessage}>
                    <Badge tone={HEALTH_TONE[r.health]}>{r.health}</Badge>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
