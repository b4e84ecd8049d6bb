/**
 * Declaring an incident and rolling back through run-action, against the real embedded Postgres
 * and the real simulated cluster (bad-release scenario).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startSim, type TestSim } from '../support/sim';
import { resetEnvForTests } from '@/lib/env';
import { resetKubeClientForTests } from '@/lib/k8s/client';
import { db } from '@/lib/db/client';
import { declareIncident } from '@/lib/incidents/declare-incident';
import { listTargetRevisions } from '@/lib/incidents/list-target-revisions';
import { chooseTargetRevision } from '@/lib/incidents/choose-target-revision';
import { executeRollback } from '@/lib/incidents/execute-rollback';
import { listRevisions, getDeployment } from '@/lib/incidents/cluster';
import { skipStep } from '@/lib/incidents/skip-step';
import { assessScope } from '@/lib/incidents/assess-scope';
import { previewRollback } from '@/lib/incidents/preview-rollback';
import { getIncidentOverview } from '@/lib/incidents/get-incident-overview';
import { listIncidents } from '@/lib/incidents/list-incidents';
import { updateIncident } from '@/lib/incidents/update-incident';

const IMAGE = (v: string) => `registry.example.com/llm/orchestrator:${v}`;
let t: TestDatabase;
let sim: TestSim;
let commander: { id: string; name: string; email: string };
let second: { id: string; name: string; email: string };

async function simFault(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sim.apiUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
}

async function events(incidentId: string) {
  return db.timelineEvent.findMany({ where: { incidentId }, orderBy: { seq: 'asc' } });
}

beforeAll(async () => {
  t = await createTestDatabase();
  sim = await startSim({ scenario: 'bad-release', speed: 20 });
  Object.assign(process.env, {
    DATABASE_URL: t.url,
    KUBECONFIG: sim.kubeconfigPath,
    KUBE_CONTEXT: 'sim',
    TARGET_APP_URL: sim.appUrl,
    TARGET_DATABASE_URL: sim.databaseUrl,
    BACKUP_DIR: sim.backupDir,
    CLOCK_SPEED: '20',
  });
  delete process.env.SLACK_WEBHOOK_URL;
  resetEnvForTests();
  resetKubeClientForTests();
  commander = { ...(await db.user.create({ data: { email: 'ada@example.com', name: 'Ada Commander', role: 'commander' } })) };
  second = { ...(await db.user.create({ data: { email: 'grace@example.com', name: 'Grace Second', role: 'commander' } })) };
});

afterAll(async () => {
  await sim?.stop();
  await db.$disconnect().catch(() => {});
  await t?.drop();
});

describe('declaring an incident', () => {
  it('snapshots the deployment, its ConfigMap and HPA, never Secret values, and creates the ten steps', async () => {
    const declared = await declareIncident({
      title: 'Orchestrator 5xx after v0.2.0',
      severity: 'SEV1',
      namespace: 'llm-orchestrator',
      deployment: 'orchestrator',
      symptoms: 'High error rate (12%)',
      impact: 'User-facing',
      detectedAt: new Date(Date.now() - 10 * 60_000),
      actor: commander,
    });
    expect(declared.ok).toBe(true);
    if (!declared.ok) return;
    expect(declared.data.failedRevision).toBe(3);
    expect(declared.data.failedImage).toBe(IMAGE('v0.2.0'));
    expect(declared.data.snapshots.map((s) => `${s.kind}/${s.name}`).sort()).toEqual([
      'ConfigMap/orchestrator-config',
      'Deployment/orchestrator',
      'HorizontalPodAutoscaler/orchestrator',
    ]);
    expect(declared.data.secretRefs).toEqual([{ name: 'orchestrator-secrets', keys: ['database-url', 'openai-api-key'] }]);
    // Not posted (no webhook): ready to copy, in the runbook's words.
    expect(declared.data.announcement.posted).toBe(false);
    expect(declared.data.announcement.text).toMatch(/^INCIDENT: orchestrator deployment rollback required\nSymptoms: High error rate \(12%\)\nImpact: User-facing\nInitiated by: Ada Commander/);

    const stored = JSON.stringify(await db.snapshot.findMany({ where: { incidentId: declared.data.incidentId } }));
    const secretValue = 'sk-sim-not-a-real-key';
    expect(stored).not.toContain(secretValue);
    expect(stored).not.toContain(Buffer.from(secretValue).toString('base64'));
    expect(JSON.stringify(await events(declared.data.incidentId))).not.toContain(Buffer.from(secretValue).toString('base64'));
    expect(await db.snapshot.count({ where: { kind: 'Secret' } })).toBe(0);

    const steps = await db.stepState.findMany({ where: { incidentId: declared.data.incidentId }, orderBy: { step: 'asc' } });
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(steps[0]?.status).toBe('in_progress');
    const types = (await events(declared.data.incidentId)).map((e) => e.type);
    expect(types[0]).toBe('incident.declared');
    expect(types).toContain('announcement.prepared');
  });

  it('lets the commander correct the detected time later, recording old and new values', async () => {
    const inc = await db.incident.findFirstOrThrow({ where: { title: 'Orchestrator 5xx after v0.2.0' } });
    const detectedAt = new Date(inc.declaredAt.getTime() - 25 * 60_000);
    const updated = await updateIncident({ incidentId: inc.id, changes: { detectedAt, severity: 'SEV1', impact: 'User-facing, EU only' }, actor: commander });
    expect(updated).toEqual({ ok: true, data: { changed: ['impact', 'detectedAt'] } });
    const late = await updateIncident({ incidentId: inc.id, changes: { detectedAt: new Date(inc.declaredAt.getTime() + 3_600_000) }, actor: commander });
    expect(late).toMatchObject({ ok: false, code: 'invalid' });
    const event = await db.timelineEvent.findFirstOrThrow({ where: { incidentId: inc.id, type: 'incident.updated' } });
    expect(event.payload).toMatchObject({ before: { impact: 'User-facing' }, after: { impact: 'User-facing, EU only', detectedAt: detectedAt.toISOString() } });
  });

  it('posts the announcement to the Slack webhook when one is configured', async () => {
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const { port } = receiver.address() as { port: number };
    process.env.SLACK_WEBHOOK_URL = `http://127.0.0.1:${port}/hook`;
    resetEnvForTests();
    try {
      const declared = await declareIncident({ title: 'Second look', severity: 'SEV2', namespace: 'llm-orchestrator', deployment: 'orchestrator', actor: commander });
      expect(declared.ok && declared.data.announcement.posted).toBe(true);
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]!).text).toMatch(/^INCIDENT: orchestrator deployment rollback required/);
      if (declared.ok) {
        const step1 = await db.stepState.findFirst({ where: { incidentId: declared.data.incidentId, step: 1 } });
        expect(step1?.status).toBe('done');
        await db.incident.update({ where: { id: declared.data.incidentId }, data: { status: 'closed' } });
      }
    } finally {
      delete process.env.SLACK_WEBHOOK_URL;
      resetEnvForTests();
      await new Promise((r) => receiver.close(r));
    }
  });
});

describe('rolling back', () => {
  let incidentId: string;

  beforeAll(async () => {
    const inc = await db.incident.findFirstOrThrow({ where: { title: 'Orchestrator 5xx after v0.2.0' } });
    incidentId = inc.id;
  });

  it('suggests revision 2 (v0.1.1) as the last stable revision and records the choice', async () => {
    const options = await listTargetRevisions({ incidentId });
    expect(options.ok && options.data.suggestion?.revision).toBe(2);
    const chosen = await chooseTargetRevision({ incidentId, revision: 2, actor: commander });
    expect(chosen).toEqual({ ok: true, data: { revision: 2, image: IMAGE('v0.1.1') } });
    expect(await chooseTargetRevision({ incidentId, revision: 3, actor: commander })).toMatchObject({ ok: false, code: 'precondition_failed' });
    // Step 2 may be skipped only for its runbook reason.
    expect(await skipStep({ incidentId, step: 2, reasonId: 'whatever', actor: commander })).toMatchObject({ ok: false, code: 'invalid' });
    expect(await skipStep({ incidentId, step: 2, reasonId: 'no-rollout-in-progress', actor: commander })).toMatchObject({ ok: true });
  });

  it('assesses scope live and previews the undo without changing anything', async () => {
    const scope = await assessScope({ namespace: 'llm-orchestrator', deployment: 'orchestrator', sampleMs: 1500 });
    expect(scope.ok).toBe(true);
    if (!scope.ok) return;
    const byId = Object.fromEntries(scope.data.step1.map((c) => [c.id, c.status]));
    // v0.2.0 pods restart (OOMKilled) and serve ~12% 5xx: the runbook's symptoms.
    expect(byId).toMatchObject({ 'deployment-status': expect.any(String), 'pod-status': 'fail', 'error-rate': 'fail' });
    expect(byId.health).not.toBe('unknown');
    expect(scope.data.rolloutInProgress).toBe(false);

    const preview = await previewRollback({ incidentId, source: { mode: 'revision' } });
    expect(preview.ok).toBe(true);
    expect(preview.ok && preview.data.toRevision).toBe(2);
    expect(preview.ok && preview.data.kubectl[0]).toMatch(/^kubectl rollout undo deployment\/orchestrator -n llm-orchestrator --to-revision=2/);
    expect(JSON.stringify(preview.ok && preview.data.diff)).toContain('v0.1.1');
    const d = await getDeployment({ namespace: 'llm-orchestrator', deployment: 'orchestrator' });
    expect(d.ok && d.data.image).toBe(IMAGE('v0.2.0'));

    const overview = await getIncidentOverview({ incidentId });
    expect(overview.ok && overview.data.steps.map((st) => st.status).slice(0, 3)).toEqual(['in_progress', 'skipped', 'done']);
    expect(overview.ok && overview.data.progress).toMatchObject({ finished: 2, total: 10, current: 1 });
    expect(overview.ok && overview.data.clock.running).toBe(true);
    const list = await listIncidents();
    expect(list[0]?.status).not.toBe('closed');
  });

  it('two commanders rolling back at once cause exactly one rollback', async () => {
    // The API answers the first undo slowly, so the second commander clicks while it is in progress.
    await simFault({ pathRegex: '/deployments/orchestrator$', verb: 'patch', count: 1, delayMs: 1500 });
    const first = executeRollback({ incidentId, source: { mode: 'revision' }, idempotencyKey: 'dialog-a', actor: commander });
    const deadline = Date.now() + 10_000;
    while ((await db.action.findUnique({ where: { idempotencyKey: 'dialog-a' } }))?.status !== 'intent' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const [otherCommander, doubleClick] = await Promise.all([
      executeRollback({ incidentId, source: { mode: 'revision', revision: 2 }, idempotencyKey: 'dialog-b', actor: second }),
      executeRollback({ incidentId, source: { mode: 'revision' }, idempotencyKey: 'dialog-a', actor: commander }),
    ]);
    expect(otherCommander).toMatchObject({ ok: false, code: 'in_progress' });
    expect(!otherCommander.ok && otherCommander.message).toMatch(/already in progress on llm-orchestrator\/orchestrator: rollout\.undo-to-revision started by Ada Commander/);
    expect(doubleClick).toMatchObject({ ok: false, code: 'in_progress' });
    const winner = await first;
    expect(winner.ok && winner.data.rollout.state).toBe('complete');
    // After it finished, the other commander's click is refused on live state, not executed:
    // revision 2 became revision 4 (kubectl's rule), and "previous" would be the failed v0.2.0.
    expect(await executeRollback({ incidentId, source: { mode: 'revision', revision: 2 }, idempotencyKey: 'dialog-b2', actor: second })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await executeRollback({ incidentId, source: { mode: 'previous' }, idempotencyKey: 'dialog-b3', actor: second })).toMatchObject({
      ok: false,
      code: 'precondition_failed',
    });

    // One undo: revision 2's ReplicaSet became revision 4; history is 1, 3, 4 (kubectl's rule).
    const revs = await listRevisions({ namespace: 'llm-orchestrator', deployment: 'orchestrator' });
    expect(revs.ok && revs.data.map((r) => r.revision)).toEqual([1, 3, 4]);
    const d = await getDeployment({ namespace: 'llm-orchestrator', deployment: 'orchestrator' });
    expect(d.ok && d.data.image).toBe(IMAGE('v0.1.1'));
    expect(await db.action.count({ where: { incidentId, status: 'succeeded' } })).toBe(1);

    const incident = await db.incident.findUniqueOrThrow({ where: { id: incidentId } });
    expect(incident.mitigatedAt).not.toBeNull();
    expect(incident.targetImage).toBe(IMAGE('v0.1.1'));
    const types = (await events(incidentId)).map((e) => e.type);
    expect(types).toContain('action.intent');
    expect(types).toContain('action.succeeded');
    expect(types).toContain('rollout.completed');
    const intent = (await events(incidentId)).find((e) => e.type === 'action.intent');
    expect(intent?.kubectl).toBe('kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2');
    const succeeded = (await events(incidentId)).find((e) => e.type === 'action.succeeded');
    const payload = succeeded?.payload as { resourceVersionBefore?: string; resourceVersionAfter?: string };
    expect(payload.resourceVersionBefore).toBeTruthy();
    expect(payload.resourceVersionAfter).toBeTruthy();
    expect(payload.resourceVersionAfter).not.toBe(payload.resourceVersionBefore);
    // A snapshot of the deployment was taken before the change.
    expect(await db.snapshot.count({ where: { incidentId, reason: 'before-action', kind: 'Deployment' } })).toBe(1);
  });

  it('the same idempotency key twice (double click) executes once and returns the first result', async () => {
    const before = await db.action.count();
    const again = await executeRollback({ incidentId, source: { mode: 'revision' }, idempotencyKey: 'dialog-a', actor: commander });
    expect(again.ok && again.data.reused).toBe(true);
    expect(again.ok && again.data.result).toMatchObject({ toRevision: 2, image: IMAGE('v0.1.1') });
    expect(await db.action.count()).toBe(before);
    const revs = await listRevisions({ namespace: 'llm-orchestrator', deployment: 'orchestrator' });
    expect(revs.ok && revs.data.map((r) => r.revision)).toEqual([1, 3, 4]);
    // A fresh click after the rollback is refused on live state: no undo of the undo.
    const fresh = await executeRollback({ incidentId, source: { mode: 'previous' }, idempotencyKey: 'dialog-c', actor: commander });
    expect(fresh).toMatchObject({ ok: false, code: 'precondition_failed' });
  });
});

describe('a failing action', () => {
  it('leaves intent and failed events, and a second failed rollback escalates', async () => {
    const res = await fetch(`${sim.apiUrl}/_sim/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: 'bad-release' }) });
    expect(res.ok).toBe(true);
    await db.incident.updateMany({ where: {}, data: { status: 'closed' } });
    const declared = await declareIncident({ title: 'Faulty API', severity: 'SEV1', namespace: 'llm-orchestrator', deployment: 'orchestrator', actor: commander });
    expect(declared.ok).toBe(true);
    if (!declared.ok) return;
    const incidentId = declared.data.incidentId;
    await simFault({ pathRegex: '/deployments/orchestrator$', verb: 'patch', count: 2, status: 500 });

    const first = await executeRollback({ incidentId, source: { mode: 'previous' }, idempotencyKey: 'fail-1', actor: commander });
    expect(first.ok).toBe(false);
    let evs = await events(incidentId);
    const intentIdx = evs.findIndex((e) => e.type === 'action.intent');
    const failedIdx = evs.findIndex((e) => e.type === 'action.failed');
    expect(intentIdx).toBeGreaterThan(-1);
    expect(failedIdx).toBeGreaterThan(intentIdx);
    expect(evs[failedIdx]?.kubectl).toContain('kubectl rollout undo deployment/orchestrator -n llm-orchestrator');
    const action = await db.action.findUniqueOrThrow({ where: { idempotencyKey: 'fail-1' } });
    expect(action.status).toBe('failed');
    expect(evs.some((e) => e.type === 'escalation')).toBe(false);

    const secondTry = await executeRollback({ incidentId, source: { mode: 'previous' }, idempotencyKey: 'fail-2', actor: commander });
    expect(secondTry.ok).toBe(false);
    evs = await events(incidentId);
    expect(evs.filter((e) => e.type === 'action.failed')).toHaveLength(2);
    expect(evs.filter((e) => e.type === 'escalation')).toHaveLength(1);
    // The deployment was not touched.
    const d = await getDeployment({ namespace: 'llm-orchestrator', deployment: 'orchestrator' });
    expect(d.ok && d.data.image).toBe(IMAGE('v0.2.0'));
  });
});
