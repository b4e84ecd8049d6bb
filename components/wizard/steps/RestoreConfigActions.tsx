'use client';

import { useState } from 'react';
import { restoreConfig } from '@/app/incidents/[id]/actions';
import type { ConfigComparison } from '@/lib/incidents/compare-config';
import { getStep, renderKubectl, type KubectlVars } from '@/lib/incidents/steps';
import { Badge } from '@/components/ui/badge';
import { Select } from '@/components/ui/field';
import { ActionButton } from '../ActionButton';
import { LiveRecent } from '../LiveRecent';
import { PodsProgress } from '../PodsProgress';
import type { IncidentLiveState } from '../incident-state';

const sourceId = (s: ConfigComparison['sources'][number]) => (s.source === 'snapshot' ? `snapshot:${s.snapshotId}` : `file:${s.file}`);
const sourceLabel = (s: ConfigComparison['sources'][number]) =>
  s.source === 'snapshot' ? `snapshot (${s.reason}, ${s.takenAt.slice(0, 19).replace('T', ' ')} UTC)` : `${s.file} (${s.takenAt.slice(0, 19).replace('T', ' ')} UTC)`;

/** Step 6, one ConfigMap: live vs the chosen snapshot or backup, key by key; restore and restart. */
function ConfigMapRestore({ initial, vars, cm, canAct }: { initial: IncidentLiveState; vars: KubectlVars; cm: ConfigComparison; canAct: boolean }) {
  const incidentId = initial.overview.incident.id;
  // Prefer a backup taken before the release, else the first snapshot with differences.
  const preferred = cm.sources.find((s) => s.source === 'backup' && s.diff.length > 0) ?? cm.sources.find((s) => s.diff.length > 0) ?? cm.sources[0];
  const [chosen, setChosen] = useState(preferred ? sourceId(preferred) : '');
  const source = cm.sources.find((s) => sourceId(s) === chosen);
  const def = getStep(6).actions[0]!;
  const file = source?.source === 'backup' ? source.file : `${cm.name} from the snapshot`;
  return (
    <div className="space-y-2 rounded-md p-3 ring-1 ring-slate-200" data-testid="configmap" data-name={cm.name}>
      <div className="flex flex-wrap items-center gap-2">
        <p className="font-mono text-sm font-semibold">configmap/{cm.name}</p>
        {!cm.exists && <Badge tone="danger">missing in the cluster</Badge>}
        {source && (source.diff.length > 0 ? <Badge tone="warning">{source.diff.length} key(s) differ</Badge> : <Badge tone="success">matches</Badge>)}
        {cm.liveResourceVersion && <span className="text-[11px] text-slate-500">resourceVersion {cm.liveResourceVersion}</span>}
      </div>
      {cm.sources.length > 0 && (
        <label className="block text-xs text-slate-700">
          Compare with
          <Select className="mt-0.5 w-auto" value={chosen} onChange={(e) => setChosen(e.target.value)}>
            {cm.sources.map((s) => (
              <option key={sourceId(s)} value={sourceId(s)}>
                {sourceLabel(s)}
              </option>
            ))}
          </Select>
        </label>
      )}
      {source && source.diff.length > 0 && (
        <table className="w-full table-fixed text-xs" data-testid="configmap-diff">
          <thead className="text-left text-slate-600">
            <tr>
              <th className="w-1/4 px-2 py-1 font-medium">key</th>
              <th className="px-2 py-1 font-medium">live</th>
              <th className="px-2 py-1 font-medium">saved</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 font-mono">
            {source.diff.map((d) => (
              <tr key={d.key}>
                <td className="break-all px-2 py-1">{d.key}</td>
                <td className="break-all bg-red-50 px-2 py-1 text-red-900">{d.live ?? '(absent)'}</td>
                <td className="break-all bg-emerald-50 px-2 py-1 text-emerald-900">{d.saved ?? '(absent)'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {source && canAct && (
        <ActionButton
          incidentId={incidentId}
          testId="action-configmap.restore"
          label={`Restore ${cm.name} and restart`}
          kubectl={def.kubectl.map((k) => renderKubectl(k, { ...vars, configmap: cm.name, file }))}
          destructive
          variant={source.diff.length > 0 ? 'danger' : 'secondary'}
          description="Writes the saved data into the ConfigMap, then restarts the deployment so the pods read it, and waits for the restart to finish."
          progress={
            <div className="space-y-2">
              {vars.selector && <PodsProgress namespace={String(vars.namespace)} selector={String(vars.selector)} />}
              <LiveRecent initial={initial} limit={4} />
            </div>
          }
          run={(idempotencyKey) =>
            restoreConfig({ incidentId, configMap: cm.name, source: source.source === 'snapshot' ? { snapshotId: source.snapshotId } : { file: source.file }, idempotencyKey })
          }
          describeResult={(d) => {
            const r = (d as { result?: { changedKeys?: string[]; restarted?: boolean; revision?: number | null } }).result;
            return r ? (
              <p className="text-sm">
                Restored keys: {r.changedKeys?.join(', ') || 'none changed'}; {r.restarted ? `pods restarted (revision ${r.revision ?? '?'})` : 'no restart'}.
              </p>
            ) : null;
          }}
        />
      )}
    </div>
  );
}

/** Step 6: every ConfigMap the deployment references; the restore buttons only for roles that may act. */
export function RestoreConfigActions({ initial, vars, configMaps, canAct }: { initial: IncidentLiveState; vars: KubectlVars; configMaps: ConfigComparison[]; canAct: boolean }) {
  return (
    <div className="space-y-3">
      {configMaps.map((cm) => (
        <ConfigMapRestore key={cm.name} initial={initial} vars={vars} cm={cm} canAct={canAct} />
      ))}
    </div>
  );
}
