/**
 * Runbook steps 2 and 4 on a rollout still in progress (stuck-rollout scenario): pause it, then
 * roll back the paused deployment (resumed in the same write) or apply the saved manifest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startSim, kubectl, type TestSim } from '../support/sim';
import { resetEnvForTests } from '@/lib/env';
import { resetKubeClientForTests } from '@/lib/k8s/client';
import { db } from '@/lib/db/client';
import { declareIncident } from '@/lib/incidents/declare-incident';
import { pauseRollout } from '@/lib/incidents/pause-rollout';
import { executeRollback } from '@/lib/incidents/execute-rollback';
import { listManifestBackups } from '@/lib/incidents/list-manifest-backups';
import { getDeployment } from '@/lib/incidents/cluster';

const NS = 'llm-orchestrator';
const target = { namespace: NS, deployment: 'orchestrator' };
let t: TestDatabase;
let sim: TestSim;
let commander: { id: string; name: string; email: string };

beforeAll(async () => {
  t = await createTestDatabase();
  sim = await startSim({ scenario: 'stuck-rollout', speed: 20 });
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
  commander = await db.user.create({ data: { email: 'ada@example.com', name: 'Ada Commander', role: 'commander' } });
});

afterAll(async () => {
  await sim?.stop();
  await db.$disconnect().catch(() => {});
  await t?.drop();
});

describe('a rollout still in progress', () => {
  it('is paused once (step 2), then rolled back while paused (step 4)', async () => {
    const declared = await declareIncident({ title: 'v0.2.0 stuck', severity: 'SEV2', ...target, actor: commander });
    expect(declared.ok).toBe(true);
    if (!declared.ok) return;
    const incidentId = declared.data.incidentId;

    const paused = await pauseRollout({ incidentId, idempotencyKey: 'pause-1', actor: commander });
    expect(paused.ok).toBe(true);
    const spec = await kubectl(sim, ['get', 'deployment', 'orchestrator', '-n', NS, '-o', 'jsonpath={.spec.paused}']);
    expect(spec.stdout).toBe('true');
    expect((await db.stepState.findFirstOrThrow({ where: { incidentId, step: 2 } })).status).toBe('done');
    expect(await pauseRollout({ incidentId, idempotencyKey: 'pause-2', actor: commander })).toMatchObject({ ok: false, code: 'precondition_failed' });

    const rolled = await executeRollback({ incidentId, source: { mode: 'previous' }, idempotencyKey: 'undo', actor: commander });
    expect(rolled.ok).toBe(true);
    if (!rolled.ok) return;
    expect(rolled.data.result).toMatchObject({ toRevision: 2, resumedPausedDeployment: true, image: 'registry.example.com/llm/orchestrator:v0.1.1' });
    expect(rolled.data.rollout.state).toBe('complete');
    const d = await getDeployment(target);
    expect(d.ok && d.data.paused).toBe(false);
    expect(d.ok && d.data.image).toBe('registry.example.com/llm/orchestrator:v0.1.1');
  });

  it('can apply the saved deployment manifest instead (option C)', async () => {
    const res = await fetch(`${sim.apiUrl}/_sim/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: 'stuck-rollout' }) });
    expect(res.ok).toBe(true);
    await db.incident.updateMany({ data: { status: 'closed' } });
    const declared = await declareIncident({ title: 'v0.2.0 stuck again', severity: 'SEV2', ...target, actor: commander });
    if (!declared.ok) throw new Error(declared.message);
    const backups = await listManifestBackups({ kind: 'Deployment' });
    expect(backups[0]?.file).toMatch(/^deployment-backup-\d{8}-\d{6}\.yaml$/);
    const applied = await executeRollback({ incidentId: declared.data.incidentId, source: { mode: 'manifest', file: backups[0]!.file }, idempotencyKey: 'apply', actor: commander });
    expect(applied.ok).toBe(true);
    expect(applied.ok && applied.data.rollout.state).toBe('complete');
    const events = await db.timelineEvent.findMany({ where: { incidentId: declared.data.incidentId, type: 'action.intent' } });
    expect(events[0]?.kubectl).toBe(`kubectl apply -f ${backups[0]!.file}`);
    const d = await getDeployment(target);
    expect(d.ok && d.data.image).toBe('registry.example.com/llm/orchestrator:v0.1.1');
  });
});
