import 'server-only';
import type { ActionResult } from '@/lib/actions/result';
import { env } from '@/lib/env';
import { countWorkflows } from '@/lib/targetdb/count-workflows';
import { readStabilitySample } from '@/lib/jobs/read-stability-sample';
import { STABILITY_THRESHOLDS } from '@/lib/jobs/evaluate-stability';
import { readWatchState } from '@/lib/jobs/stability-watch';
import { imageVersion } from '@/lib/notify/templates';
import { getDeployment, getPodLogs, listPods } from './cluster';
import { httpProbe } from './http-probe';
import { incidentTarget, loadIncident } from './load-incident';

export type ValidationItem = {
  id: 'revision' | 'pods-ready' | 'image' | 'health' | 'error-rate' | 'p99-latency' | 'log-errors' | 'database' | 'metrics';
  /** The runbook's wording. */
  label: string;
  status: 'pass' | 'fail' | 'unknown';
  details: string;
  /** The runbook command this item replaces. */
  command: string;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The runbook's Validation checklist, computed live for an incident: deployment on the target
 * revision, pods running and ready, image, health 200, error rate < 1% and P99 < 2 s (the
 * stability watch's verdict when it ran, else a fresh reading), no error lines in the logs, a
 * database query, and the metrics endpoint. Read-only: nothing is recorded.
 * @see ../../../shared/runbooks/rollback-procedure.md "Validation"
 */
export async function validationChecklist(options: { incidentId: string; sampleMs?: number }): Promise<ActionResult<{ items: ValidationItem[]; passed: boolean; checkedAt: string }>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  const target = incidentTarget(incident);
  const ns = target.namespace;
  const name = target.deployment;
  const items: ValidationItem[] = [];
  const appUrl = env().TARGET_APP_URL;
  const d = await getDeployment(target);
  const selector = d.ok ? d.data.selector : `app=${name}`;
  const expectedImage = incident.targetImage;

  items.push({
    id: 'revision',
    label: 'Deployment shows previous revision',
    status: !d.ok ? 'unknown' : incident.failedImage && d.data.image !== incident.failedImage && d.data.revision !== incident.failedRevision ? 'pass' : 'fail',
    details: d.ok ? `live revision ${d.data.revision ?? '?'} (${d.data.image ?? '?'}); failed revision ${incident.failedRevision ?? '?'} (${incident.failedImage ?? '?'})` : d.message,
    command: `kubectl rollout history deployment/${name} -n ${ns}`,
  });

  const pods = await listPods({ namespace: ns, selector });
  const live = pods.ok ? pods.data.filter((p) => !p.deleting) : [];
  const ready = live.filter((p) => p.ready && p.status === 'Running');
  items.push({
    id: 'pods-ready',
    label: 'All pods running and ready',
    status: !pods.ok || !d.ok ? 'unknown' : live.length > 0 && ready.length === live.length && ready.length >= d.data.replicas ? 'pass' : 'fail',
    details: pods.ok ? `${ready.length}/${live.length} pods Running and ready (desired ${d.ok ? d.data.replicas : '?'})` : pods.message,
    command: `kubectl get pods -n ${ns} -l ${selector}`,
  });

  items.push({
    id: 'image',
    label: 'Correct image version',
    status: !d.ok ? 'unknown' : expectedImage ? (d.data.image === expectedImage ? 'pass' : 'fail') : d.data.image !== incident.failedImage ? 'pass' : 'fail',
    details: d.ok ? `Image: ${d.data.image ?? '?'}${expectedImage ? ` (expected ${expectedImage})` : ''}` : d.message,
    command: `kubectl describe deployment ${name} -n ${ns} | grep Image:`,
  });

  if (appUrl) {
    const h = await httpProbe('GET', new URL('/health', appUrl).toString());
    const version = (h.json as { version?: unknown } | undefined)?.version;
    items.push({
      id: 'health',
      label: 'Health endpoints returning 200',
      status: h.status === 200 ? 'pass' : 'fail',
      details: h.error ?? `HTTP ${h.status}; version ${String(version ?? 'none')}${expectedImage ? ` (expected ${imageVersion(expectedImage)})` : ''}`,
      command: `curl -w "\\n%{http_code}\\n" ${new URL('/health', appUrl).toString()}`,
    });
  } else {
    items.push({ id: 'health', label: 'Health endpoints returning 200', status: 'unknown', details: 'TARGET_APP_URL is not set', command: 'curl -w "\\n%{http_code}\\n" <app>/health' });
  }

  // Error rate and P99: the stability watch's verdict over its whole window when it finished, else a fresh reading.
  const watch = await readWatchState(incident.id);
  let errorRate: number | null = null;
  let p99: number | null = null;
  let how = '';
  if (watch && watch.status !== 'running' && watch.lastSample) {
    errorRate = watch.lastSample.errorRatePct;
    p99 = watch.lastSample.p99Seconds;
    how = `stability watch ${watch.status} (${watch.samples} samples over ${watch.windowMinutes} min)`;
  } else {
    const first = await readStabilitySample({ ...target, selector });
    let reading = first;
    if (first.source === 'app-metrics') {
      await sleep(options.sampleMs ?? 2000);
      reading = await readStabilitySample({ ...target, selector, cursor: first.cursor });
    }
    errorRate = reading.sample.errorRatePct;
    p99 = reading.sample.p99Seconds;
    how = `live reading from ${reading.source}${reading.requests !== null ? ` (${reading.requests} requests)` : ''}${reading.problems.length ? `; ${reading.problems.join('; ')}` : ''}`;
  }
  const watchFailed = watch?.status === 'breached';
  items.push({
    id: 'error-rate',
    label: 'Error rate < 1% for 30 minutes',
    status: watchFailed ? 'fail' : errorRate === null ? 'unknown' : errorRate < STABILITY_THRESHOLDS.maxErrorRatePct ? 'pass' : 'fail',
    details: `${errorRate === null ? 'unknown' : `${errorRate.toFixed(2)}%`}; ${how}`,
    command: 'rate(http_requests_total{status=~"5.."}[5m]) / rate(http_requests_total[5m]) * 100',
  });
  items.push({
    id: 'p99-latency',
    label: 'P99 latency < 2 seconds',
    status: watchFailed ? 'fail' : p99 === null ? 'unknown' : p99 < STABILITY_THRESHOLDS.maxP99Seconds ? 'pass' : 'fail',
    details: `${p99 === null ? 'unknown' : `${p99.toFixed(2)} s`}; ${how}`,
    command: 'histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[5m]))',
  });

  let errorLines = 0;
  const logProblems: string[] = [];
  for (const p of live) {
    const logs = await getPodLogs({ namespace: ns, pod: p.name, tail: 200 });
    if (logs.ok) errorLines += logs.data.split('\n').filter((l) => /error/i.test(l)).length;
    else logProblems.push(logs.message);
  }
  items.push({
    id: 'log-errors',
    label: 'No errors in logs',
    status: logProblems.length || live.length === 0 ? 'unknown' : errorLines === 0 ? 'pass' : 'fail',
    details: logProblems.length ? logProblems.join('; ') : `${errorLines} error line(s) in the last 200 lines of ${live.length} pod(s)`,
    command: `kubectl logs -n ${ns} -l ${selector} --since=30m | grep -i error | wc -l`,
  });

  try {
    const count = await countWorkflows();
    items.push({ id: 'database', label: 'Database queries executing successfully', status: 'pass', details: `SELECT COUNT(*) FROM workflows → ${count}`, command: 'psql -c "SELECT COUNT(*) FROM workflows;"' });
  } catch (error) {
    items.push({ id: 'database', label: 'Database queries executing successfully', status: 'fail', details: error instanceof Error ? error.message : String(error), command: 'psql -c "SELECT COUNT(*) FROM workflows;"' });
  }

  if (appUrl) {
    const m = await httpProbe('GET', new URL('/metrics', appUrl).toString());
    items.push({
      id: 'metrics',
      label: 'Metrics collection working',
      status: m.status === 200 && /http_requests_total/.test(m.text ?? '') ? 'pass' : 'fail',
      details: m.error ?? `HTTP ${m.status}${m.text ? `; ${m.text.split('\n').filter((l) => !l.startsWith('#')).length} samples` : ''}`,
      command: `curl ${new URL('/metrics', appUrl).toString()} | head -20`,
    });
  } else {
    items.push({ id: 'metrics', label: 'Metrics collection working', status: 'unknown', details: 'TARGET_APP_URL is not set', command: 'curl <app>/metrics | head -20' });
  }

  return { ok: true, data: { items, passed: items.every((i) => i.status === 'pass'), checkedAt: new Date().toISOString() } };
}
