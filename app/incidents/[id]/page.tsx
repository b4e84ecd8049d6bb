import Link from 'next/link';
import { ChainBadge } from '@/components/timeline/ChainBadge';
import { ExportLinks, NoteForm, Timeline } from '@/components/timeline';
import { MetricPanels } from '@/components/charts/MetricPanels';
import { PodsTable } from '@/components/pods/PodsTable';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { EditIncidentForm } from '@/components/incidents/EditIncidentForm';
import { EscalationReminders } from '@/components/wizard/EscalationReminders';
import { IncidentHeader } from '@/components/wizard/IncidentHeader';
import { LiveRecent } from '@/components/wizard/LiveRecent';
import { ValidationChecklist } from '@/components/wizard/ValidationChecklist';
import { loadPageContext } from '@/components/wizard/load-page-context';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props) {
  const { id } = await params;
  return { title: `Incident ${id}` };
}

/**
 * One incident, live: status, step progress, recovery clock, pods, error rate and P99 with the
 * actions marked, the Validation checklist, escalation reminders and the timeline. Commanders get
 * a link into the current step; a viewer (stakeholder) sees the same page with no controls at all.
 */
export default async function IncidentPage({ params }: Props) {
  const { id } = await params;
  const ctx = await loadPageContext({ idOrKey: decodeURIComponent(id), path: `/incidents/${id}` });
  const { state, may, deployment } = ctx;
  const inc = state.overview.incident;
  const current = state.overview.progress.current;
  const open = inc.status !== 'closed';
  return (
    <div className="space-y-4">
      <IncidentHeader initial={state} />

      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          {may.act && open && current && (
            <Link href={`/incidents/${inc.id}/steps/${current}`} className="rounded-md bg-sky-700 px-3.5 py-2 text-sm font-medium text-white hover:bg-sky-800" data-testid="continue-step">
              Continue with step {current} →
            </Link>
          )}
          <ChainBadge incidentId={inc.id} />
        </div>
        <ExportLinks incident={inc.key} canExport={may.export} />
      </div>

      {may.update && open && <EditIncidentForm incident={{ id: inc.id, title: inc.title, severity: inc.severity, detectedAt: inc.detectedAt }} />}

      {ctx.deploymentError && (
        <Alert tone="warning" title="The cluster is not answering">
          {ctx.deploymentError}. Pods and metrics appear as soon as it is back.
        </Alert>
      )}

      {(inc.status === 'resolved' || inc.status === 'closed') && (
        // Pods, charts and the checklist are live: after the incident they describe today's cluster.
        <Alert tone="info" title={`This incident is ${inc.status}`}>
          Pods, metrics and the validation checklist below show the deployment as it is now; the timeline is the record of the incident.
        </Alert>
      )}

      <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="min-w-0 space-y-4">
          {deployment && <PodsTable namespace={inc.namespace} selector={deployment.selector} initialItems={ctx.pods} />}
          <Card title="Error rate and P99 latency" description="The runbook's signals: error rate above 5% is the incident, below 1% is recovery; P99 under 2 s. Markers show the incident's actions.">
            {deployment ? (
              <MetricPanels namespace={inc.namespace} deployment={inc.deployment} selector={deployment.selector} panels={['errorRate', 'p99Latency']} markers={ctx.markers} range={1800} />
            ) : (
              <p className="text-sm text-slate-500">Waiting for the cluster.</p>
            )}
          </Card>
        </div>
        <div className="min-w-0 space-y-4">
          <Card title="Latest progress">
            <LiveRecent initial={state} />
          </Card>
          <Card title="Escalation">
            <EscalationReminders initial={state} />
          </Card>
          <Card title="Validation checklist" description="The runbook's Validation section, live.">
            <ValidationChecklist incidentId={inc.id} />
          </Card>
        </div>
      </div>

      <Card title="Timeline" description="Every action, step and note, recorded by the console; hash-chained.">
        <div className="space-y-3">
          <NoteForm incidentId={inc.id} canNote={may.note && open} />
          <Timeline incidentId={inc.id} height="60vh" />
        </div>
      </Card>
    </div>
  );
}
