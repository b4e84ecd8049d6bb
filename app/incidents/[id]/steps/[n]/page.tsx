import { notFound } from 'next/navigation';
import { getStep, isStepNumber, type KubectlVars } from '@/lib/incidents/steps';
import { PodsTable } from '@/components/pods/PodsTable';
import { RevisionDiffTable } from '@/components/revisions/RevisionDiffTable';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { ChecksList, type CheckItem } from '@/components/wizard/ChecksList';
import { IncidentHeader } from '@/components/wizard/IncidentHeader';
import { KubectlBlock } from '@/components/wizard/KubectlBlock';
import { LiveRecent } from '@/components/wizard/LiveRecent';
import { RunbookCommands } from '@/components/wizard/RunbookCommands';
import { StepControls, StepNav } from '@/components/wizard/StepControls';
import { LiveStepStatus } from '@/components/wizard/LiveStepStatus';
import { loadPageContext } from '@/components/wizard/load-page-context';
import { loadStepData, type StepData } from '@/components/wizard/load-step-data';
import { ChooseRevision } from '@/components/wizard/steps/ChooseRevision';
import { DocumentPanel } from '@/components/wizard/steps/DocumentPanel';
import { PauseRolloutAction } from '@/components/wizard/steps/PauseRolloutAction';
import { RestoreConfigActions } from '@/components/wizard/steps/RestoreConfigActions';
import { RestoreDatabaseAction } from '@/components/wizard/steps/RestoreDatabaseAction';
import { RestoreHpaAction } from '@/components/wizard/steps/RestoreHpaAction';
import { RollbackActions } from '@/components/wizard/steps/RollbackActions';
import { StabilityPanel } from '@/components/wizard/steps/StabilityPanel';
import { VerifyPanel } from '@/components/wizard/steps/VerifyPanel';
import type { IncidentPageContext } from '@/components/wizard/load-page-context';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string; n: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props) {
  const { n } = await params;
  const num = Number(n);
  return { title: isStepNumber(num) ? `Step ${num}: ${getStep(num).title}` : 'Step' };
}

/**
 * One runbook step of one incident: purpose, live checks, the actions (each confirmed with its
 * kubectl equivalent), skip/complete, the runbook commands it replaces, and navigation. A role
 * without step.update / rollback.execute gets the same page without any control.
 */
export default async function StepPage({ params, searchParams }: Props) {
  const { id, n } = await params;
  const num = Number(n);
  if (!isStepNumber(num)) notFound();
  const ctx = await loadPageContext({ idOrKey: id, path: `/incidents/${id}/steps/${n}` });
  const sp = await searchParams;
  const diffTo = typeof sp.diff === 'string' && /^\d{1,6}$/.test(sp.diff) ? Number(sp.diff) : undefined;
  const { state, may, deployment } = ctx;
  const inc = state.overview.incident;
  const def = getStep(num);
  const st = state.overview.steps.find((s) => s.number === num)!;
  const data = await loadStepData({ step: num, overview: state.overview, diffTo });
  const vars: KubectlVars = {
    namespace: inc.namespace,
    deployment: inc.deployment,
    revision: inc.targetRevision ?? '{revision}',
    replicas: deployment?.replicas ?? '{replicas}',
    selector: deployment?.selector ?? `app=${inc.deployment}`,
  };
  const open = inc.status !== 'closed';
  const showPods = [2, 4, 5, 6, 7, 8].includes(num) && deployment;

  return (
    <div className="space-y-4">
      <IncidentHeader initial={state} activeStep={num} />
      <StepNav incidentId={inc.id} step={num} />

      <section className="space-y-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="step" data-step={num} data-status={st.status}>
        <header className="flex flex-wrap items-start justify-between gap-2">
          <div>
            <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Step {num} of 10</p>
            <h2 className="text-lg font-semibold text-slate-900">{def.title}</h2>
            <p className="text-sm text-slate-700">{def.purpose}</p>
          </div>
          <LiveStepStatus initial={state} step={num} />
        </header>
        {st.reason && (
          <Alert tone={st.status === 'failed' ? 'danger' : 'info'} title={st.status === 'skipped' ? 'Skipped' : st.status === 'failed' ? 'Failed' : 'Note'}>
            {st.reason}
          </Alert>
        )}
        {!open && <Alert tone="info">The incident is closed: this page is read-only.</Alert>}
        {data.error && <Alert tone="danger" title="Could not load the live state for this step">{data.error}</Alert>}

        <StepBody num={num} data={data} ctx={ctx} vars={vars} canExecute={may.execute && open} canAct={may.act && open} />

        {may.act && open && <StepControls incidentId={inc.id} step={num} status={st.status} skipReasons={def.skipReasons} completeWhen={def.completeWhen} />}
        {!(may.act && open) && <p className="text-xs text-slate-600">Done when: {def.completeWhen}</p>}

        <RunbookCommands block={def.runbookBlock} title={def.runbookTitle} />
      </section>

      {showPods ? (
        <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="min-w-0">
            <PodsTable namespace={inc.namespace} selector={deployment.selector} initialItems={ctx.pods} />
          </div>
          <Card title="Latest progress" className="min-w-0">
            <LiveRecent initial={state} />
          </Card>
        </div>
      ) : (
        <Card title="Latest progress">
          <LiveRecent initial={state} />
        </Card>
      )}
      <StepNav incidentId={inc.id} step={num} />
    </div>
  );
}

function StepBody({ num, data, ctx, vars, canExecute, canAct }: { num: number; data: StepData; ctx: IncidentPageContext; vars: KubectlVars; canExecute: boolean; canAct: boolean }) {
  const { state } = ctx;
  const inc = state.overview.incident;
  const st = state.overview.steps.find((s) => s.number === num)!;
  const checksOf = (items: { id: string; label: string; status: 'pass' | 'fail' | 'unknown'; details: string; command: string }[]): CheckItem[] => items;

  if (data.step === 1) {
    const announcement = (st.data as { announcement?: string; announcementPosted?: boolean }).announcement;
    return (
      <div className="space-y-3">
        <h3 className="text-sm font-semibold">Scope, live</h3>
        {data.scope && <ChecksList checks={checksOf(data.scope.step1)} />}
        {announcement && (
          <div className="space-y-1">
            <h3 className="text-sm font-semibold">Announcement</h3>
            <p className="text-xs text-slate-600">{(st.data as { announcementPosted?: boolean }).announcementPosted ? 'Posted to Slack.' : 'Not posted to Slack: copy it into #incidents, then mark this step done.'}</p>
            <pre className="whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-[13px] ring-1 ring-slate-200" data-testid="announcement-text">
              {announcement}
            </pre>
          </div>
        )}
        <KubectlBlock commands={getStep(1).actions[0]!.kubectl.map((k) => k.replace('{deployment}', inc.deployment).replaceAll('{namespace}', inc.namespace))} label="Snapshot taken at declaration (equivalent)" />
      </div>
    );
  }
  if (data.step === 2) {
    return (
      <div className="space-y-3">
        {data.scope && <ChecksList checks={checksOf(data.scope.step2)} />}
        {data.scope && !data.scope.rolloutInProgress && !data.scope.paused && (
          <Alert tone="info">No rollout is in progress: the failing version finished rolling out. Skip this step with the runbook&apos;s reason.</Alert>
        )}
        {canExecute && data.scope && <PauseRolloutAction incidentId={inc.id} vars={vars} rolloutInProgress={data.scope.rolloutInProgress} paused={data.scope.paused} />}
      </div>
    );
  }
  if (data.step === 3) {
    return (
      <div className="space-y-3">
        {data.suggestion && (
          <Alert tone="success" title={`Suggested: revision ${data.suggestion.revision} (${data.suggestion.image ?? 'unknown image'})`}>
            {data.suggestion.reason}
          </Alert>
        )}
        <ChooseRevision
          incidentId={inc.id}
          revisions={data.revisions}
          suggested={data.suggestion?.revision ?? null}
          chosen={data.chosen}
          diffAgainst={data.diffAgainst}
          vars={vars}
          canChoose={canAct}
        />
        <section id="diff" className="space-y-1">
          <h3 className="text-sm font-semibold">{data.diff ? `Diff: ${data.diff.fromLabel} → ${data.diff.toLabel}` : 'Diff'}</h3>
          {data.diff ? (
            <>
              <RevisionDiffTable changes={data.diff.changes} fromLabel={data.diff.fromLabel} toLabel={data.diff.toLabel} />
              <p className="text-[11px] text-slate-500">{data.diff.kubectl.join(' ; ')}</p>
            </>
          ) : (
            <p className="text-xs text-slate-600">Choose a revision to compare with the current one.</p>
          )}
        </section>
        <KubectlBlock commands={data.kubectl} label="Equivalent" />
      </div>
    );
  }
  if (data.step === 4) {
    const d = ctx.deployment;
    return (
      <div className="space-y-3">
        <ChecksList
          checks={[
            { id: 'deployment-paused', label: 'Deployment paused', status: d ? (d.paused ? 'unknown' : 'pass') : 'unknown', details: d ? (d.paused ? 'paused: the rollback resumes it in the same write' : 'not paused') : 'cluster not answering' },
            {
              id: 'rollout-progress',
              label: 'Rollout progress',
              status: d ? (d.rollout.state === 'complete' ? 'pass' : 'unknown') : 'unknown',
              details: d ? `revision ${d.revision ?? '?'}: ${d.status.updated} updated, ${d.status.ready} ready, ${d.status.available} available of ${d.replicas}; ${d.rollout.message}` : '',
            },
            {
              id: 'pods-on-target',
              label: 'Pods on the target image',
              status: d && inc.targetImage ? (d.image === inc.targetImage ? 'pass' : 'fail') : d && inc.failedImage ? (d.image === inc.failedImage ? 'fail' : 'pass') : 'unknown',
              details: d ? `template image ${d.image ?? '?'}${inc.targetRevision ? `; target revision ${inc.targetRevision}` : ''}` : '',
            },
          ]}
        />
        {canExecute ? (
          <RollbackActions initial={state} vars={vars} targetRevision={inc.targetRevision} manifests={data.manifests} stepDone={st.status === 'done'} />
        ) : (
          <KubectlBlock commands={getStep(4).actions.map((a) => a.kubectl[0]!.replace('{deployment}', inc.deployment).replace('{namespace}', inc.namespace).replace('{revision}', String(inc.targetRevision ?? '{revision}')))} label="Options" />
        )}
      </div>
    );
  }
  if (data.step === 5) {
    const done = st.data as { schemaVersion?: string; backup?: string };
    return (
      <div className="space-y-3">
        <ChecksList
          checks={[
            { id: 'backups', label: 'Backups available', status: data.backups.length > 0 ? 'pass' : 'fail', details: data.backups.map((b) => b.name).join(', ') || 'no backup-*.sql.gz in the backup folder', command: 'ls -lh backup-*.sql.gz' },
            { id: 'schema-version', label: 'Current schema version', status: data.schemaVersion ? 'pass' : 'unknown', details: data.schemaVersion ?? 'could not read schema_migrations', command: 'SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1;' },
            { id: 'pods-gone', label: 'No application pod running during the restore', status: done.schemaVersion ? 'pass' : 'unknown', details: done.schemaVersion ? `restored ${done.backup} → schema ${done.schemaVersion}` : 'checked by the action: the restore is refused while any pod runs' },
          ]}
        />
        {canExecute && <RestoreDatabaseAction initial={state} vars={vars} backups={data.backups} />}
      </div>
    );
  }
  if (data.step === 6) {
    return (
      <div className="space-y-3">
        <Alert tone={data.changed ? 'warning' : 'success'}>{data.changed ? 'The live ConfigMap differs from the saved version: restore it.' : 'The ConfigMaps match the snapshot: skip this step with the runbook\u2019s reason, or restore anyway.'}</Alert>
        <RestoreConfigActions initial={state} vars={vars} configMaps={data.configMaps} canAct={canExecute} />
      </div>
    );
  }
  if (data.step === 9) {
    return (
      <div className="space-y-3">
        <table className="w-full text-sm" data-testid="hpa-comparison">
          <thead className="border-b border-slate-200 text-left text-xs text-slate-600">
            <tr>
              <th className="px-2 py-1.5 font-medium">HPA</th>
              <th className="px-2 py-1.5 font-medium">present</th>
              <th className="px-2 py-1.5 font-medium">live min/max/cpu</th>
              <th className="px-2 py-1.5 font-medium">snapshot min/max/cpu</th>
              <th className="px-2 py-1.5 font-medium">matches</th>
              <th className="px-2 py-1.5 font-medium">active</th>
            </tr>
          </thead>
          <tbody>
            {data.hpas.map((h) => (
              <tr key={h.name} className="border-b border-slate-100">
                <td className="px-2 py-1.5 font-mono">{h.name}</td>
                <td className="px-2 py-1.5">{h.present ? <Badge tone="success">yes</Badge> : <Badge tone="danger">deleted</Badge>}</td>
                <td className="px-2 py-1.5 font-mono text-xs">{h.live ? `${h.live.minReplicas ?? '?'} / ${h.live.maxReplicas} / ${h.live.targetCpu ?? '?'}%` : '—'}</td>
                <td className="px-2 py-1.5 font-mono text-xs">
                  {h.saved.minReplicas ?? '?'} / {h.saved.maxReplicas ?? '?'} / {h.saved.targetCpu ?? '?'}%
                </td>
                <td className="px-2 py-1.5">{h.matches ? <Badge tone="success">yes</Badge> : <Badge tone="warning">no</Badge>}</td>
                <td className="px-2 py-1.5">{h.active ? <Badge tone="success">ScalingActive</Badge> : <Badge tone="warning">no</Badge>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {data.hpas.length === 0 && <p className="text-sm text-slate-600">No HPA was captured for this deployment at declaration.</p>}
        {data.untouched && <Alert tone="info">The HPA matches the snapshot and is active: skip this step with the runbook&apos;s reason.</Alert>}
        {canExecute && data.hpas[0] && <RestoreHpaAction incidentId={inc.id} vars={vars} hpa={data.hpas[0].name} untouched={data.untouched} />}
      </div>
    );
  }
  if (num === 7) return <VerifyPanel initial={state} vars={vars} canAct={canAct} />;
  if (num === 8) return <StabilityPanel initial={state} vars={vars} markers={ctx.markers} canAct={canAct} />;
  if (num === 10) return <DocumentPanel initial={state} canAct={ctx.may.update && inc.status !== 'closed'} />;
  return null;
}
