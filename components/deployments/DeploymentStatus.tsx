'use client';

import { useLiveResource } from '@/lib/live/use-live-resource';
import type { LiveObject } from '@/lib/live/types';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { HEALTH_TONE, toDeploymentRow } from './deployment-row';
import { LiveBanner } from './LiveBanner';

/**
 * Replicas, paused, conditions, image and revision of one deployment, live from the shared
 * deployments watch of its namespace.
 */
export function DeploymentStatus({ namespace, name, initialItems }: { namespace: string; name: string; initialItems?: LiveObject[] }) {
  const live = useLiveResource({ kind: 'deployments', namespace, initialItems });
  const obj = live.items.find((d) => d.metadata?.name === name);
  if (!obj) {
    return (
      <>
        <LiveBanner problems={[live.problem]} />
        <Card title="Status">
          <p className="text-sm text-slate-600">
            {live.connection === 'connecting' ? 'Loading…' : `Deployment ${namespace}/${name} is no longer in the cluster.`}
          </p>
        </Card>
      </>
    );
  }
  const r = toDeploymentRow(obj);
  return (
    <>
      <LiveBanner problems={[live.problem]} />
      <Card
        title="Status"
        description={r.rolloutMessage}
        actions={
          <span className="flex gap-1">
            {r.paused && <Badge tone="warning">paused</Badge>}
            <Badge tone={HEALTH_TONE[r.health]}>{r.health}</Badge>
          </span>
        }
      >
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4" data-testid="deployment-status">
          <Stat label="Ready" value={`${r.ready}/${r.desired}`} />
          <Stat label="Up-to-date" value={String(r.updated)} />
          <Stat label="Available" value={String(r.available)} />
          <Stat label="Paused" value={r.paused ? 'yes' : 'no'} />
          <Stat label="Current image" value={r.images.join(', ')} mono wide testId="current-image" />
          <Stat label="Current revision" value={r.revision ?? '–'} testId="current-revision" />
          <Stat label="Selector" value={r.selector} mono />
        </dl>
        {r.conditions.length > 0 && (
          <table className="mt-3 w-full text-xs">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="py-1 pr-2">Condition</th>
                <th className="py-1 pr-2">Status</th>
                <th className="py-1 pr-2">Reason</th>
                <th className="py-1">Message</th>
              </tr>
            </thead>
            <tbody>
              {r.conditions.map((c) => (
                <tr key={c.type} className="border-t border-slate-100">
                  <td className="py-1 pr-2 font-medium">{c.type}</td>
                  <td className={c.status === 'True' ? 'py-1 pr-2 text-emerald-700' : 'py-1 pr-2 text-red-700'}>{c.status}</td>
                  <td className="py-1 pr-2">{c.reason ?? ''}</td>
                  <td className="py-1 text-slate-600">{c.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}

function Stat({ label, value, mono, wide, testId }: { label: string; value: string; mono?: boolean; wide?: boolean; testId?: string }) {
  return (
    <div className={wide ? 'col-span-2' : undefined}>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={mono ? 'break-all font-mono text-xs' : 'font-semibold tabular-nums'} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
