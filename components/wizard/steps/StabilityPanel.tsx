'use client';

import { useEffect, useState } from 'react';
import { startStabilityWatch } from '@/app/incidents/[id]/actions';
import { getStep, renderKubectl, type KubectlVars } from '@/lib/incidents/steps';
import type { StabilityWatchState } from '@/lib/jobs/stability-watch';
import type { ChartMarker, MetricPanelData } from '@/lib/metrics/types';
import { MetricChart } from '@/components/charts/MetricChart';
import { MetricPanels } from '@/components/charts/MetricPanels';
import { Alert } from '@/components/ui/alert';
import { ActionButton } from '../ActionButton';
import { ChecksList, type CheckItem } from '../ChecksList';
import { formatDuration } from '../format';
import { useIncidentState, type IncidentLiveState } from '../incident-state';

/** The watch's own samples as chart panels (they exist with or without Prometheus). */
export function watchPanels(watch: StabilityWatchState): { errorRate: MetricPanelData; p99: MetricPanelData } {
  const t = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
  const start = t(watch.startedAt) - 30;
  const end = Math.max(t(watch.finishedAt ?? watch.endsAt), ...watch.history.map(([at]) => t(at)));
  const base = { window: `${Math.round(watch.rateWindowMs / 1000)}s`, state: 'ok' as const, fetchedAt: Date.now(), start, end, step: Math.max(1, Math.round(watch.pollIntervalMs / 1000)) };
  return {
    errorRate: {
      ...base,
      panel: 'errorRate',
      title: 'Error rate (stability watch)',
      unit: '%',
      query: 'rate(http_requests_total{status=~"5.."}) / rate(http_requests_total) * 100',
      thresholds: [
        { value: watch.thresholds.maxErrorRatePct, label: `< ${watch.thresholds.maxErrorRatePct}% recovered`, kind: 'good' },
        { value: 5, label: '> 5% incident', kind: 'bad' },
      ],
      series: [{ name: 'error %', points: watch.history.filter(([, e]) => e !== null).map(([at, e]) => [t(at), e as number]) }],
    },
    p99: {
      ...base,
      panel: 'p99Latency',
      title: 'P99 latency (stability watch)',
      unit: 's',
      query: 'histogram_quantile(0.99, rate(http_request_duration_seconds_bucket))',
      thresholds: [{ value: watch.thresholds.maxP99Seconds, label: `< ${watch.thresholds.maxP99Seconds} s`, kind: 'good' }],
      series: [{ name: 'p99 s', points: watch.history.filter(([, , p]) => p !== null).map(([at, , p]) => [t(at), p as number]) }],
    },
  };
}

function fmt(v: number | null | undefined, unit: string) {
  return v === null || v === undefined ? 'unknown' : `${v.toFixed(unit === '%' ? 2 : 3)}${unit === '%' ? '%' : ' s'}`;
}

/**
 * Step 8: the server-side stability watch, live — elapsed and remaining of the window, the current
 * error rate, P99 and restarts against the thresholds, charts with the rollback marked. A breach
 * is shown at once (the watch fails the step on the server, whether or not this page is open).
 */
export function StabilityPanel({ initial, vars, markers, canAct }: { initial: IncidentLiveState; vars: KubectlVars; markers: ChartMarker[]; canAct: boolean }) {
  const { data } = useIncidentState(initial.overview.incident.id, initial);
  const watch = data.watch;
  const [now, setNow] = useState(() => Date.parse(initial.serverNow));
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const def = getStep(8);
  const startButton = canAct && (!watch || watch.status === 'breached' || watch.status === 'cancelled') && (
    <ActionButton
      incidentId={initial.overview.incident.id}
      testId="action-stability.start"
      label={watch ? 'Start a new stability watch' : 'Start stability watch'}
      confirm={false}
      variant="primary"
      kubectl={def.actions[0]!.kubectl.map((k) => renderKubectl(k, vars))}
      run={() => startStabilityWatch({ incidentId: initial.overview.incident.id })}
      describeResult={() => <p className="text-sm">The watch runs on the server; this page follows it.</p>}
    />
  );
  if (!watch) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-slate-700">No watch yet. It checks error rate &lt; 1%, P99 &lt; 2 s and no new pod restarts for the whole window, on the server.</p>
        {startButton}
        {vars.namespace && vars.deployment && vars.selector && (
          <MetricPanels namespace={String(vars.namespace)} deployment={String(vars.deployment)} selector={String(vars.selector)} panels={['errorRate', 'p99Latency']} markers={markers} range={900} />
        )}
      </div>
    );
  }
  const started = Date.parse(watch.startedAt);
  const ends = Date.parse(watch.endsAt);
  const finished = watch.finishedAt ? Date.parse(watch.finishedAt) : null;
  const at = finished ?? Math.min(now, ends);
  const elapsed = Math.max(0, at - started);
  const remaining = finished ? 0 : Math.max(0, ends - now);
  const pct = Math.min(100, (elapsed / Math.max(1, ends - started)) * 100);
  const s = watch.lastSample;
  const newRestarts = s ? Object.entries(s.restarts).reduce((n, [pod, r]) => n + Math.max(0, r - (watch.baselineRestarts[pod] ?? 0)), 0) : null;
  const breached = watch.status === 'breached';
  const checks: CheckItem[] = [
    { id: 'error-rate', label: `Error rate below ${watch.thresholds.maxErrorRatePct}%`, status: s?.errorRatePct == null ? 'unknown' : s.errorRatePct < watch.thresholds.maxErrorRatePct ? 'pass' : 'fail', details: `now ${fmt(s?.errorRatePct, '%')}` },
    { id: 'p99-latency', label: `P99 latency below ${watch.thresholds.maxP99Seconds} s`, status: s?.p99Seconds == null ? 'unknown' : s.p99Seconds < watch.thresholds.maxP99Seconds ? 'pass' : 'fail', details: `now ${fmt(s?.p99Seconds, 's')}` },
    { id: 'pod-restarts', label: 'No new pod restarts', status: newRestarts === null ? 'unknown' : newRestarts === 0 ? 'pass' : 'fail', details: newRestarts === null ? 'no sample yet' : `${newRestarts} new restart(s) since the watch began` },
    { id: 'window', label: 'Stability window elapsed', status: watch.status === 'passed' ? 'pass' : breached ? 'fail' : 'pending', details: `${formatDuration(elapsed)} of ${formatDuration(ends - started)}` },
  ];
  const panels = watchPanels(watch);
  const watchMarkers: ChartMarker[] = [...markers, { at: watch.startedAt, label: 'watch' }];
  return (
    <div className="space-y-3" data-testid="stability-watch" data-status={watch.status}>
      {breached && (
        <Alert tone="danger" title="Stability breached">
          {watch.breaches.map((b) => b.message).join('; ') || 'A threshold was crossed.'} Investigate, then start a new watch.
        </Alert>
      )}
      {watch.status === 'passed' && <Alert tone="success" title="Stable for the whole window">Error rate, P99 and restarts stayed within the thresholds. Continue with step 9.</Alert>}
      <div className="space-y-1">
        <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
          <p>
            <span className="font-semibold uppercase">{watch.status}</span> · elapsed <span className="font-mono tabular-nums" data-testid="watch-elapsed">{formatDuration(elapsed)}</span> · remaining{' '}
            <span className="font-mono tabular-nums" data-testid="watch-remaining">{formatDuration(remaining)}</span>
          </p>
          <p className="text-xs text-slate-600">
            window {watch.windowMinutes} min of runbook time ÷ clock speed {watch.clockSpeed} · {watch.samples} samples · source {watch.lastSource}
          </p>
        </div>
        <div className="h-2.5 overflow-hidden rounded bg-slate-200">
          <div className={`h-full ${breached ? 'bg-red-600' : watch.status === 'passed' ? 'bg-emerald-600' : 'bg-sky-600'}`} style={{ width: `${pct}%` }} />
        </div>
      </div>
      <ChecksList checks={checks} testId="stability-checks" />
      <div className="grid gap-3 lg:grid-cols-2">
        <MetricChart data={panels.errorRate} markers={watchMarkers} height={160} />
        <MetricChart data={panels.p99} markers={watchMarkers} height={160} />
      </div>
      {vars.namespace && vars.deployment && vars.selector && (
        <div className="space-y-1">
          <p className="text-xs font-semibold text-slate-600">Prometheus, last 15 minutes (the rollback and the other actions marked)</p>
          <MetricPanels namespace={String(vars.namespace)} deployment={String(vars.deployment)} selector={String(vars.selector)} panels={['errorRate', 'p99Latency']} markers={markers} range={900} />
        </div>
      )}
      {watch.problems.length > 0 && <p className="text-xs text-amber-900">{watch.problems.join(' · ')}</p>}
      {startButton}
    </div>
  );
}
