'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { Badge } from '@/components/ui/badge';
import { INCIDENT_STATUS_TONE, SEVERITY_TONE, formatUtc } from './format';
import { useIncidentState, type IncidentLiveState } from './incident-state';
import { RecoveryClock } from './RecoveryClock';
import { StepProgress } from './StepProgress';

/**
 * The top of every incident and step page, live: key, title, status, severity, target, the
 * recovery clock and the ten-step progress bar. Polls the incident state every 2 s.
 */
export function IncidentHeader({ initial, activeStep }: { initial: IncidentLiveState; activeStep?: number }) {
  const { data: state } = useIncidentState(initial.overview.incident.id, initial);
  const i = state.overview.incident;
  const router = useRouter();
  // When a step or the incident changes state (another commander, the background watch, a
  // rollout finishing), re-render the server parts of the page too, without a reload.
  const signature = `${i.status}|${i.targetRevision}|${state.overview.steps.map((s) => s.status).join(',')}`;
  const last = useRef(signature);
  useEffect(() => {
    if (last.current === signature) return;
    last.current = signature;
    router.refresh();
  }, [signature, router]);
  return (
    <header className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <p className="text-xs text-slate-500">
            <Link href="/incidents" className="hover:underline">
              Incidents
            </Link>{' '}
            / <span className="font-mono">{i.key}</span>
          </p>
          <h1 className="text-xl font-semibold text-slate-900">
            <Link href={`/incidents/${i.id}`} className="hover:underline">
              {i.title}
            </Link>
          </h1>
          <div className="flex flex-wrap items-center gap-2 text-xs text-slate-700">
            <Badge tone={INCIDENT_STATUS_TONE[i.status] ?? 'neutral'} className="uppercase">
              <span data-testid="incident-status">{i.status}</span>
            </Badge>
            <Badge tone={SEVERITY_TONE[i.severity] ?? 'neutral'}>{i.severity}</Badge>
            <span className="font-mono">
              deployment/{i.deployment} -n {i.namespace}
            </span>
            {i.failedImage && (
              <span>
                failed: <code className="text-red-800">{i.failedImage}</code>
                {i.failedRevision ? ` (rev ${i.failedRevision})` : ''}
              </span>
            )}
            {i.targetRevision && (
              <span>
                target: <code className="text-emerald-800">rev {i.targetRevision}{i.targetImage ? ` ${i.targetImage}` : ''}</code>
              </span>
            )}
            <span>commander {i.commander.name}</span>
          </div>
          <p className="text-[11px] text-slate-500">
            detected {formatUtc(i.detectedAt)} · declared {formatUtc(i.declaredAt)}
            {i.mitigatedAt && ` · mitigated ${formatUtc(i.mitigatedAt)}`}
            {i.resolvedAt && ` · resolved ${formatUtc(i.resolvedAt)}`}
            {i.closedAt && ` · closed ${formatUtc(i.closedAt)}`}
          </p>
        </div>
        <RecoveryClock detectedAt={i.detectedAt} declaredAt={i.declaredAt} mitigatedAt={i.mitigatedAt} />
      </div>
      <StepProgress state={state} activeStep={activeStep} />
    </header>
  );
}
