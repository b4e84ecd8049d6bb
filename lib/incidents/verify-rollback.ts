import 'server-only';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { ActionResult } from '@/lib/actions/result';
import { env } from '@/lib/env';
import { appendEvent } from '@/lib/timeline/append-event';
import { imageVersion } from '@/lib/notify/templates';
import { getDeployment, getPodLogs, listPods } from './cluster';
import { incidentTarget, loadIncident } from './load-incident';
import { setStepStatus } from './step-state';
import { httpProbe } from './http-probe';
import type { ActionActor } from './run-action';

export type CheckResult = {
  id: string;
  label: string;
  status: 'pass' | 'fail';
  details: string;
  /** What the check ran, as the runbook would. */
  command: string;
};

/** The smoke request of step 7.5; the admin setting `verify.smokeRequest` may replace it. */
export type SmokeRequest = { method: 'POST' | 'GET'; path: string; body?: unknown; expectStatus: number[] };

export const DEFAULT_SMOKE_REQUEST: SmokeRequest = {
  method: 'POST',
  path: '/api/v1/workflows',
  body: { name: 'rollback-test', steps: [{ type: 'llm_call', provider: 'openai' }] },
  expectStatus: [200, 201],
};

const ERROR_LINE = /error/i;

/**
 * Runbook step 7, every check live: all pods on the target image, /health and /health/ready at
 * TARGET_APP_URL answering 200 with the expected version, no error lines in the last 100 log
 * lines per pod, and the smoke request. Results go to StepState(7).data.checks and a
 * `verification.completed` event; step 7 is done when all pass.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 7
 */
export async function verifyRollback(options: { incidentId: string; actor: ActionActor; smokeRequest?: SmokeRequest; logTail?: number }): Promise<ActionResult<{ passed: boolean; checks: CheckResult[]; expectedImage: string | null }>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  const target = incidentTarget(incident);
  const d = await getDeployment(target);
  if (!d.ok) return { ok: false, code: 'unavailable', message: d.message };
  const expectedImage = incident.targetImage ?? d.data.image;
  const expectedVersion = imageVersion(expectedImage);
  const selector = d.data.selector;
  const appUrl = env().TARGET_APP_URL;
  const smoke = options.smokeRequest ?? (await smokeFromSettings()) ?? DEFAULT_SMOKE_REQUEST;
  const checks: CheckResult[] = [];

  // 7.1 every pod on the target image
  const pods = await listPods({ namespace: target.namespace, selector });
  const live = pods.ok ? pods.data.filter((p) => !p.deleting) : [];
  const images = [...new Set(live.flatMap((p) => p.images.slice(0, 1)))];
  checks.push({
    id: 'pods-image',
    label: 'Every pod runs the target image',
    // Why the failed-image test: before any rollback the "expected" image falls back to the live one.
    status: pods.ok && live.length > 0 && images.length === 1 && images[0] === expectedImage && expectedImage !== incident.failedImage ? 'pass' : 'fail',
    details: pods.ok ? `${live.length} pod(s); images: ${images.join(', ') || 'none'}; expected ${expectedImage ?? 'unknown'}` : pods.message,
    command: `kubectl get pods -n ${target.namespace} -l ${selector} -o jsonpath='{.items[*].spec.containers[0].image}' | tr ' ' '\\n' | sort -u`,
  });

  // 7.2 / 7.3 health and readiness with the expected version
  for (const [id, path, label] of [
    ['health-version', '/health', '/health answers 200 with the expected version'],
    ['health-ready', '/health/ready', '/health/ready answers 200'],
  ] as const) {
    if (!appUrl) {
      checks.push({ id, label, status: 'fail', details: 'TARGET_APP_URL is not set', command: `curl -s <app>${path}` });
      continue;
    }
    const r = await httpProbe('GET', new URL(path, appUrl).toString());
    const version = (r.json as { version?: unknown } | undefined)?.version;
    const okVersion = id === 'health-ready' || version === expectedVersion;
    checks.push({
      id,
      label,
      status: r.status === 200 && okVersion ? 'pass' : 'fail',
      details: r.error ? r.error : `HTTP ${r.status}; version ${String(version ?? 'none')}${id === 'health-version' ? ` (expected ${expectedVersion})` : ''}`,
      command: `curl -s ${new URL(path, appUrl).toString()}${id === 'health-version' ? " | jq '.version'" : ''}`,
    });
  }

  // 7.4 error lines in recent logs
  const tail = options.logTail ?? 100;
  let errorLines: string[] = [];
  const logProblems: string[] = [];
  for (const p of live) {
    const logs = await getPodLogs({ namespace: target.namespace, pod: p.name, tail });
    if (!logs.ok) logProblems.push(`${p.name}: ${logs.message}`);
    else errorLines = errorLines.concat(logs.data.split('\n').filter((l) => ERROR_LINE.test(l)).map((l) => `${p.name}: ${l}`));
  }
  checks.push({
    id: 'log-errors',
    label: `No error lines in the last ${tail} log lines per pod`,
    status: errorLines.length === 0 && logProblems.length === 0 && live.length > 0 ? 'pass' : 'fail',
    details: logProblems.length ? logProblems.join('; ') : errorLines.length ? `${errorLines.length} error line(s), e.g. ${errorLines.slice(0, 3).join(' | ')}` : `0 error lines in ${live.length} pod(s)`,
    command: `kubectl logs -n ${target.namespace} -l ${selector} --tail=${tail} --timestamps | grep -i error`,
  });

  // 7.5 the smoke request
  if (!appUrl) {
    checks.push({ id: 'smoke-request', label: `Smoke request ${smoke.method} ${smoke.path}`, status: 'fail', details: 'TARGET_APP_URL is not set', command: '' });
  } else {
    const url = new URL(smoke.path, appUrl).toString();
    const r = await httpProbe(smoke.method, url, smoke.body);
    checks.push({
      id: 'smoke-request',
      label: `Smoke request ${smoke.method} ${smoke.path} succeeds`,
      status: smoke.expectStatus.includes(r.status) ? 'pass' : 'fail',
      details: r.error ? r.error : `HTTP ${r.status}${r.json ? `: ${JSON.stringify(r.json).slice(0, 200)}` : ''}`,
      command: `curl -X ${smoke.method} ${url} -H "Content-Type: application/json"${smoke.body !== undefined ? ` -d '${JSON.stringify(smoke.body)}'` : ''}`,
    });
  }

  const passed = checks.every((c) => c.status === 'pass');
  const actor = { type: 'person' as const, id: options.actor.id, name: options.actor.name };
  await db.$transaction(async (tx) => {
    await appendEvent(
      {
        incidentId: incident.id,
        actor,
        type: 'verification.completed',
        summary: passed ? `Verification passed: all ${checks.length} checks` : `Verification failed: ${checks.filter((c) => c.status === 'fail').map((c) => c.label).join('; ')}`,
        payload: { passed, expectedImage, checks: checks.map(({ id, status, details }) => ({ id, status, details })) },
        kubectl: checks.map((c) => c.command).filter(Boolean),
      },
      tx,
    );
    await setStepStatus(tx, {
      incidentId: incident.id,
      step: 7,
      status: passed ? 'done' : 'in_progress',
      actor,
      data: { checks: checks as unknown as Prisma.InputJsonValue, checkedAt: new Date().toISOString(), passed },
    });
  });
  return { ok: true, data: { passed, checks, expectedImage } };
}

async function smokeFromSettings(): Promise<SmokeRequest | undefined> {
  const row = await db.setting.findUnique({ where: { key: 'verify.smokeRequest' } });
  const v = row?.value as Partial<SmokeRequest> | null | undefined;
  if (!v || typeof v.path !== 'string' || !v.path.startsWith('/')) return undefined;
  return { method: v.method === 'GET' ? 'GET' : 'POST', path: v.path, body: v.body, expectStatus: Array.isArray(v.expectStatus) && v.expectStatus.length ? v.expectStatus : [200, 201] };
}
