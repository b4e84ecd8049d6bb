'use client';

import type { V1Pod } from '@kubernetes/client-node';
import { summarizePod } from '@/lib/k8s/pod-summary';
import { useLiveResource } from '@/lib/live/use-live-resource';
import type { LiveObject } from '@/lib/live/types';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { formatAge } from '@/components/deployments/deployment-row';
import { LiveBanner } from '@/components/deployments/LiveBanner';
import { useNow } from '@/components/deployments/use-now';

function statusTone(status: string, ready: boolean): BadgeTone {
  if (status === 'Running' && ready) return 'success';
  if (/CrashLoop|Error|OOMKilled|Failed|ImagePull/.test(status)) return 'danger';
  if (status === 'Terminating') return 'neutral';
  return 'warning';
}

/** `kubectl get pods -l SELECTOR`, live: phase/status, ready, restarts, age, image. */
export function PodsTable({ namespace, selector, initialItems }: { namespace: string; selector: string; initialItems?: LiveObject[] }) {
  const live = useLiveResource({ kind: 'pods', namespace, selector, initialItems });
  const now = useNow();
  const pods = live.items.map((p) => summarizePod(p as unknown as V1Pod));
  return (
    <>
      <LiveBanner problems={[live.problem]} />
      <Card
        title={`Pods (${pods.length})`}
        description={
          <code className="text-[11px]">
            kubectl get pods -n {namespace} -l {selector}
          </code>
        }
        actions={
          <span className="text-xs text-slate-500" data-testid="pods-connection">
            {live.connection === 'live' ? '● live' : live.connection}
          </span>
        }
      >
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="pods-table">
            <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-1 pr-3">Name</th>
                <th className="py-1 pr-3">Ready</th>
                <th className="py-1 pr-3">Status</th>
                <th className="py-1 pr-3">Restarts</th>
                <th className="py-1 pr-3">Age</th>
                <th className="py-1">Image</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {pods.length === 0 && (
                <tr>
                  <td colSpan={6} className="py-4 text-center text-slate-500">
                    {live.connection === 'connecting' ? 'Loading pods…' : 'No pods match the selector.'}
                  </td>
                </tr>
              )}
              {pods.map((p) => (
                <tr key={p.name} data-testid="pod-row" data-pod={p.name}>
                  <td className="whitespace-nowrap py-1 pr-3 font-mono text-xs">{p.name}</td>
                  <td className="py-1 pr-3 tabular-nums">
                    {p.readyContainers}/{p.totalContainers}
                  </td>
                  <td className="py-1 pr-3">
                    <Badge tone={statusTone(p.status, p.ready)}>{p.status}</Badge>
                  </td>
                  <td className={p.restarts > 0 ? 'py-1 pr-3 font-semibold text-red-700 tabular-nums' : 'py-1 pr-3 tabular-nums'}>{p.restarts}</td>
                  <td className="py-1 pr-3 tabular-nums">{formatAge(p.createdAt, now)}</td>
                  <td className="whitespace-nowrap py-1 font-mono text-xs">{p.images.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}
