import 'server-only';
import type { ActionResult } from '@/lib/actions/result';
import { env } from '@/lib/env';
import { readStabilitySample } from '@/lib/jobs/read-stability-sample';
import { getDeployment, listPods } from './cluster';
import { httpProbe } from './http-probe';

export type ScopeCheck = { id: string; label: string; status: 'pass' | 'fail' | 'unknown'; details: string; command: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runbook step 1's four checks (deployment status, pod status, /health, error rate) and step 2's
 * (a rollout in progress? paused?), live, for a deployment — before or after declaring. A
 * `fail` here is the incident's evidence (error rate > 5% is the runbook's symptom).
 * @see ../../../shared/runbooks/rollback-procedure.md Steps 1 and 2
 */
export async function assessScope(options: { namespace: string; deployment: string; sampleMs?: number }): Promise<
  ActionResult<{ step1: ScopeCheck[]; step2: ScopeCheck[]; rolloutInProgress: boolean; paused: boolean; image: string | null; revision: number | null }>
> {
  const target = { namespace: options.namespace, deployment: options.deployment };
  const d = await getDeployment(target);
  if (!d.ok) return { ok: false, code: d.code === 'NotFound' ? 'not_found' : 'unavailable', message: d.message };
  const v = d.data;
  const step1: ScopeCheck[] = [];
  step1.push({
    id: 'deployment-status',
    label: 'Deployment status',
    status: v.status.available >= v.replicas && v.rollout.state === 'complete' ? 'pass' : 'fail',
    details: `${v.status.ready}/${v.replicas} ready, ${v.status.updated} up-to-date, ${v.status.available} available; ${v.rollout.message}`,
    command: `kubectl get deployment ${v.name} -n ${v.namespace}`,
  });
  const pods = await listPods({ namespace: v.namespace, selector: v.selector });
  const live = pods.ok ? pods.data.filter((p) => !p.deleting) : [];
  const restarts = live.reduce((n, p) => n + p.restarts, 0);
  const notRunning = live.filter((p) => !p.ready || p.status !== 'Running');
  step1.push({
    id: 'pod-status',
    label: 'Pod status',
    status: !pods.ok ? 'unknown' : notRunning.length === 0 && restarts === 0 ? 'pass' : 'fail',
    details: pods.ok ? `${live.length} pods; ${notRunning.length ? `not ready: ${notRunning.map((p) => `${p.name} (${p.status})`).join(', ')}; ` : ''}${restarts} restarts` : pods.message,
    command: `kubectl get pods -n ${v.namespace} -l ${v.selector}`,
  });
  const appUrl = env().TARGET_APP_URL;
  if (appUrl) {
    const h = await httpProbe('GET', new URL('/health', appUrl).toString());
    step1.push({
      id: 'health',
      label: 'Application /health',
      status: h.status === 200 ? 'pass' : 'fail',
      details: h.error ?? `HTTP ${h.status}${h.json ? ` ${JSON.stringify(h.json).slice(0, 160)}` : ''}`,
      command: `curl -s ${new URL('/health', appUrl).toString()}`,
    });
  } else {
    step1.push({ id: 'health', label: 'Application /health', status: 'unknown', details: 'TARGET_APP_URL is not set', command: 'curl -s <app>/health' });
  }
  const first = await readStabilitySample({ ...target, selector: v.selector });
  let reading = first;
  if (first.source === 'app-metrics') {
    await sleep(options.sampleMs ?? 2000);
    reading = await readStabilitySample({ ...target, selector: v.selector, cursor: first.cursor });
  }
  const rate = reading.sample.errorRatePct;
  step1.push({
    id: 'error-rate',
    label: 'Error rate (runbook symptom: > 5%)',
    status: rate === null ? 'unknown' : rate < 1 ? 'pass' : 'fail',
    details: rate === null ? reading.problems.join('; ') || 'not enough traffic to tell' : `${rate.toFixed(2)}% 5xx (${reading.source})`,
    command: 'rate(http_requests_total{status=~"5.."}[5m]) / rate(http_requests_total[5m]) * 100',
  });
  const step2: ScopeCheck[] = [
    {
      id: 'rollout-in-progress',
      label: 'A rollout is in progress',
      status: v.rolloutInProgress ? 'fail' : 'pass',
      details: v.rollout.message,
      command: `kubectl rollout status deployment/${v.name} -n ${v.namespace}`,
    },
    { id: 'rollout-paused', label: 'Deployment is paused', status: v.paused ? 'pass' : 'unknown', details: v.paused ? `deployment "${v.name}" is paused` : 'not paused', command: `kubectl rollout status deployment/${v.name} -n ${v.namespace}` },
  ];
  return { ok: true, data: { step1, step2, rolloutInProgress: v.rolloutInProgress, paused: v.paused, image: v.image, revision: v.revision } };
}
