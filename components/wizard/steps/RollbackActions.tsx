'use client';

import { useEffect, useState } from 'react';
import { executeRollback, previewRollback } from '@/app/incidents/[id]/actions';
import type { ActionResult } from '@/lib/actions/result';
import type { RollbackPreview } from '@/lib/incidents/preview-rollback';
import { getStep, renderKubectl, type KubectlVars } from '@/lib/incidents/steps';
import type { DiffEntry } from '@/lib/k8s/template-diff';
import { RevisionDiffTable } from '@/components/revisions/RevisionDiffTable';
import { Alert } from '@/components/ui/alert';
import { Select } from '@/components/ui/field';
import { ActionButton } from '../ActionButton';
import { KubectlBlock } from '../KubectlBlock';
import { LiveRecent } from '../LiveRecent';
import { PodsProgress } from '../PodsProgress';
import type { IncidentLiveState } from '../incident-state';

type Source = { mode: 'previous' } | { mode: 'revision'; revision?: number } | { mode: 'manifest'; file?: string };

/** The dry run of one rollback option, loaded when its confirmation dialog opens. */
function RollbackPreviewPanel({ incidentId, source }: { incidentId: string; source: Source }) {
  const [preview, setPreview] = useState<ActionResult<RollbackPreview> | null>(null);
  const sourceKey = JSON.stringify(source);
  useEffect(() => {
    let live = true;
    previewRollback({ incidentId, source: JSON.parse(sourceKey) as Source }).then(
      (r) => live && setPreview(r),
      (e: unknown) => live && setPreview({ ok: false, code: 'network', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [incidentId, sourceKey]);
  if (!preview) return <p className="text-xs text-slate-600" data-testid="dry-run-loading">Dry run (server side) in progress…</p>;
  if (!preview.ok) return <Alert tone="warning">Dry run failed: {preview.message}</Alert>;
  const p = preview.data;
  const changes = (p.diff as { changes?: DiffEntry[] } | null)?.changes ?? [];
  return (
    <div className="space-y-2" data-testid="dry-run">
      <KubectlBlock commands={p.kubectl} label="Dry run (nothing changed)" />
      {p.note && <Alert tone="info">{p.note}</Alert>}
      {p.skipped && <Alert tone="warning">{p.skipped}</Alert>}
      <p className="text-[11px] font-semibold uppercase tracking-wide text-slate-500">What changes (live → {p.toRevision ? `revision ${p.toRevision}` : 'target'})</p>
      <div className="max-h-72 overflow-auto rounded-md ring-1 ring-slate-200">
        {changes.length > 0 ? <RevisionDiffTable changes={changes} fromLabel="live" toLabel={p.toRevision ? `revision ${p.toRevision}` : 'target'} /> : <p className="p-2 text-xs text-slate-600">No differences in the pod template.</p>}
      </div>
    </div>
  );
}

/**
 * Step 4's three options from the runbook: undo to the previous revision, undo to the chosen
 * revision, apply a saved manifest. Each confirms with the kubectl equivalent and the dry-run
 * diff, then follows the rollout live until every pod is ready on the target.
 */
export function RollbackActions({ initial, vars, targetRevision, manifests, stepDone }: { initial: IncidentLiveState; vars: KubectlVars; targetRevision: number | null; manifests: { file: string; takenAt: string }[]; stepDone: boolean }) {
  const incidentId = initial.overview.incident.id;
  const [file, setFile] = useState(manifests[0]?.file ?? '');
  const defs = getStep(4).actions;
  const progress = (
    <div className="space-y-2">
      {vars.selector && <PodsProgress namespace={String(vars.namespace)} selector={String(vars.selector)} />}
      <LiveRecent initial={initial} limit={4} />
    </div>
  );
  const options: { id: string; source: Source; kubectlVars: KubectlVars; extra?: React.ReactNode; disabled?: boolean; disabledReason?: string; primary: boolean }[] = [
    {
      id: 'rollout.undo-to-revision',
      source: { mode: 'revision' },
      kubectlVars: vars,
      disabled: !targetRevision,
      disabledReason: targetRevision ? undefined : 'Choose the target revision in step 3 first.',
      primary: true,
    },
    { id: 'rollout.undo', source: { mode: 'previous' }, kubectlVars: vars, primary: false },
    {
      id: 'deployment.apply',
      source: { mode: 'manifest', file },
      kubectlVars: { ...vars, file: file || '{file}' },
      disabled: !file,
      disabledReason: file ? undefined : 'No saved deployment manifest in the backup folder.',
      primary: false,
      extra: manifests.length > 0 && (
        <label className="text-xs text-slate-700">
          Saved manifest
          <Select className="mt-0.5 w-auto" value={file} onChange={(e) => setFile(e.target.value)}>
            {manifests.map((m) => (
              <option key={m.file} value={m.file}>
                {m.file} (taken {m.takenAt.slice(0, 19).replace('T', ' ')} UTC)
              </option>
            ))}
          </Select>
        </label>
      ),
    },
  ];
  return (
    <div className="space-y-4">
      {stepDone && <Alert tone="success">The rollback rollout completed. Continue with step 5.</Alert>}
      {options.map((o) => {
        const def = defs.find((d) => d.id === o.id)!;
        return (
          <div key={o.id} className="space-y-2 rounded-md p-3 ring-1 ring-slate-200">
            <p className="text-xs font-semibold text-slate-600">
              {o.id === 'rollout.undo-to-revision' ? 'Option B (recommended): to the chosen revision' : o.id === 'rollout.undo' ? 'Option A: to the previous revision' : 'Option C: apply a saved manifest'}
            </p>
            {o.extra}
            <ActionButton
              incidentId={incidentId}
              testId={`action-${o.id}`}
              label={o.id === 'rollout.undo-to-revision' && targetRevision ? `Roll back to revision ${targetRevision}` : def.label}
              kubectl={[...def.kubectl.map((k) => renderKubectl(k, o.kubectlVars)), renderKubectl('kubectl rollout status deployment/{deployment} -n {namespace} --watch', vars)]}
              destructive
              variant={o.primary && !stepDone ? 'danger' : 'secondary'}
              disabled={o.disabled}
              disabledReason={o.disabledReason}
              description="Replaces the pods with the target version. A paused deployment is resumed in the same write. The console follows the rollout until every pod is ready."
              dialogExtra={<RollbackPreviewPanel incidentId={incidentId} source={o.source} />}
              progress={progress}
              run={(idempotencyKey) => executeRollback({ incidentId, source: o.source, idempotencyKey })}
              describeResult={(d) => {
                const r = (d as { result?: { fromRevision?: number | null; toRevision?: number | null; image?: string | null; resumedPausedDeployment?: boolean } }).result;
                return r ? (
                  <p className="text-sm">
                    Revision {r.fromRevision ?? '?'} → {r.toRevision ?? '?'} ({r.image ?? 'target image'}){r.resumedPausedDeployment ? '; the paused deployment was resumed in the same write' : ''}.
                  </p>
                ) : null;
              }}
            />
          </div>
        );
      })}
    </div>
  );
}
