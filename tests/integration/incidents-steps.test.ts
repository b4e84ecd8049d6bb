/**
 * Steps 4 to 10 of the runbook through the console's functions, on the bad-release scenario:
 * database restore (refused while pods run), config restore, verification, HPA recreation,
 * resolution and the live validation checklist. Real embedded Postgres, real simulated cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startSim, kubectl, type TestSim } from '../support/sim';
import { resetEnvForTests } from '@/lib/env';
import { resetKubeClientForTests } from '@/lib/k8s/client';
import { db } from '@/lib/db/client';
import { declareIncident } from '@/lib/incidents/declare-incident';
import { executeRollback } from '@/lib/incidents/execute-rollback';
import { restoreDatabase } from '@/lib/incidents/restore-database';
import { compareConfig } from '@/lib/incidents/compare-config';
import { restoreConfig } from '@/lib/incidents/restore-config';
import { verifyRollback } from '@/lib/incidents/verify-rollback';
import { compareAutoscaling } from '@/lib/incidents/compare-autoscaling';
import { restoreAutoscaling } from '@/lib/incidents/restore-autoscaling';
import { resolveIncident } from '@/lib/incidents/resolve-incident';
import { closeIncident } from '@/lib/incidents/close-incident';
import { updateFollowUp } from '@/lib/incidents/update-follow-up';
import { validationChecklist } from '@/lib/incidents/validation-checklist';
import { listTargetRevisions } from '@/lib/incidents/list-target-revisions';
import { getConfigMap, listPods } from '@/lib/incidents/cluster';
import { listBackups } from '@/lib/targetdb/list-backups';
import { getSchemaVersion } from '@/lib/targetdb/get-schema-version';

const NS = 'llm-orchestrator';
const IMAGE = (v: string) => `registry.example.com/llm/orchestrator:${v}`;
let t: TestDatabase;
let sim: TestSim;
let commander: { id: string; name: string; email: string };
let incidentId: string;

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
  delete process.env.PROMETHEUS_URL;
  resetEnvForTests();
  resetKubeClientForTests();
  commander = await db.user.create({ data: { email: 'ada@example.com', name: 'Ada Commander', role: 'commander' } });
  const declared = await declareIncident({ title: 'v0.2.0 failing', severity: 'SEV1', namespace: NS, deployment: 'orchestrator', symptoms: '12% 5xx', impact: 'User-facing', actor: commander });
  if (!declared.ok) throw new Error(declared.message);
  incidentId = declared.data.incidentId;
  const rolled = await executeRollback({ incidentId, source: { mode: 'previous' }, idempotencyKey: 'undo', actor: commander });
  if (!rolled.ok || rolled.data.rollout.state !== 'complete') throw new Error(`rollback: ${JSON.stringify(rolled)}`);
});

afterAll(async () => {
  await sim?.stop();
  await db.$disconnect().catch(() => {});
  await t?.drop();
});

describe('step 5: database schema', () => {
  it('refuses to restore while any pod still runs, leaving the schema untouched', async () => {
    const backups = await listBackups();
    expect(backups).toHaveLength(1);
    expect(await getSchemaVersion()).toBe('20251114_v020');
    // Someone's debug pod carries the app's label: scaling to 0 does not remove it, and it could write.
    const stray = await kubectl(sim, ['run', 'debug-shell', '-n', NS, `--image=${IMAGE('v0.1.1')}`, '--labels=app=orchestrator', '--restart=Never']);
    expect(stray.code).toBe(0);
    const refused = await restoreDatabase({ incidentId, backup: backups[0]!.name, idempotencyKey: 'db-stray-pod', actor: commander, podsGoneTimeoutMs: 3000 });
    expect(refused).toMatchObject({ ok: false, code: 'precondition_failed' });
    expect(!refused.ok && refused.message).toMatch(/Refusing to restore the database while 1 pod\(s\) of orchestrator still run/);
    expect(await getSchemaVersion()).toBe('20251114_v020');
    const action = await db.action.findUniqueOrThrow({ where: { idempotencyKey: 'db-stray-pod' } });
    expect(action.status).toBe('failed');
    const removed = await kubectl(sim, ['delete', 'pod', 'debug-shell', '-n', NS, '--wait=true', '--timeout=60s']);
    expect(removed.code).toBe(0);
  });

  it('scales to 0, restores the backup (schema 20251101_init) and scales back to 3 ready pods', async () => {
    const [backup] = await listBackups();
    const restored = await restoreDatabase({ incidentId, backup: backup!.name, idempotencyKey: 'db-restore', actor: commander });
    expect(restored.ok).toBe(true);
    if (!restored.ok) return;
    expect(restored.data.result).toMatchObject({ schemaVersion: '20251101_init', method: 'pg', previousReplicas: 3, restoredReplicas: 3 });
    expect(await getSchemaVersion()).toBe('20251101_init');
    const pods = await listPods({ namespace: NS, selector: 'app=orchestrator' });
    expect(pods.ok && pods.data.filter((p) => p.ready && !p.deleting)).toHaveLength(3);
    const progress = await db.timelineEvent.findMany({ where: { incidentId, type: 'action.progress' }, orderBy: { seq: 'asc' } });
    expect(progress.map((e) => e.summary).join('\n')).toMatch(/Scaled orchestrator to 0[\s\S]*All pods terminated[\s\S]*schema version 20251101_init/);
    expect((await db.stepState.findFirstOrThrow({ where: { incidentId, step: 5 } })).status).toBe('done');
  });
});

describe('step 6: configuration', () => {
  it('shows the ConfigMap differs from the pre-deploy backup, restores it and restarts the pods', async () => {
    const cmp = await compareConfig({ incidentId });
    expect(cmp.ok && cmp.data.changed).toBe(true);
    if (!cmp.ok) return;
    const cm = cmp.data.configMaps.find((c) => c.name === 'orchestrator-config')!;
    const backup = cm.sources.find((s) => s.source === 'backup');
    expect(backup && backup.source === 'backup' && backup.file).toMatch(/^configmap-backup-\d{8}-\d{6}\.yaml$/);
    expect(backup?.diff.map((d) => d.key)).toEqual(expect.arrayContaining(['LOG_LEVEL', 'WORKFLOW_CHECKPOINT_MODE']));
    // The snapshot taken at declaration already holds the bad config: no difference there.
    expect(cm.sources.find((s) => s.source === 'snapshot')?.diff).toEqual([]);

    const file = backup!.source === 'backup' ? backup!.file : '';
    const restored = await restoreConfig({ incidentId, configMap: 'orchestrator-config', source: { file }, idempotencyKey: 'cfg', actor: commander });
    expect(restored.ok).toBe(true);
    const live = await getConfigMap({ namespace: NS, name: 'orchestrator-config' });
    expect(live.ok && live.data.data).toEqual({
      LOG_LEVEL: 'info',
      MAX_CONCURRENT_WORKFLOWS: '50',
      LLM_PROVIDER_TIMEOUT_SECONDS: '30',
      CACHE_TTL_SECONDS: '300',
      FEATURE_STREAMING: 'false',
    });
    // Nothing left to restore: a second attempt is refused on live state.
    const again = await restoreConfig({ incidentId, configMap: 'orchestrator-config', source: { file }, idempotencyKey: 'cfg-2', actor: commander });
    expect(again).toMatchObject({ ok: false, code: 'precondition_failed' });
  });
});

describe('step 7: verification', () => {
  it('passes every check once the pods run v0.1.1', async () => {
    const verified = await verifyRollback({ incidentId, actor: commander });
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.data.checks.map((c) => [c.id, c.status])).toEqual([
      ['pods-image', 'pass'],
      ['health-version', 'pass'],
      ['health-ready', 'pass'],
      ['log-errors', 'pass'],
      ['smoke-request', 'pass'],
    ]);
    expect(verified.data.expectedImage).toBe(IMAGE('v0.1.1'));
    expect((await db.stepState.findFirstOrThrow({ where: { incidentId, step: 7 } })).status).toBe('done');
  });
});

describe('step 9: autoscaling', () => {
  it('refuses when the HPA is untouched, and recreates it after it was deleted', async () => {
    const cmp = await compareAutoscaling({ incidentId });
    expect(cmp.ok && cmp.data.untouched).toBe(true);
    expect(await restoreAutoscaling({ incidentId, idempotencyKey: 'hpa-noop', actor: commander })).toMatchObject({ ok: false, code: 'precondition_failed' });

    const del = await kubectl(sim, ['delete', 'hpa', 'orchestrator', '-n', NS]);
    expect(del.code).toBe(0);
    const gone = await compareAutoscaling({ incidentId });
    expect(gone.ok && gone.data.hpas[0]?.present).toBe(false);
    const restored = await restoreAutoscaling({ incidentId, idempotencyKey: 'hpa', actor: commander });
    expect(restored.ok).toBe(true);
    expect(restored.ok && restored.data.result).toMatchObject({ hpa: 'orchestrator', created: true, active: true, minReplicas: 3, maxReplicas: 10 });
    const get = await kubectl(sim, ['get', 'hpa', 'orchestrator', '-n', NS, '-o', 'jsonpath={.spec.minReplicas}/{.spec.maxReplicas}']);
    expect(get.stdout).toBe('3/10');
  });
});

describe('the validation checklist and step 10', () => {
  it('computes the runbook Validation section live', async () => {
    const checklist = await validationChecklist({ incidentId, sampleMs: 1500 });
    expect(checklist.ok).toBe(true);
    if (!checklist.ok) return;
    const byId = Object.fromEntries(checklist.data.items.map((i) => [i.id, i.status]));
    expect(byId).toMatchObject({ revision: 'pass', 'pods-ready': 'pass', image: 'pass', health: 'pass', 'log-errors': 'pass', database: 'pass', metrics: 'pass' });
    expect(byId['error-rate']).not.toBe('unknown');
    expect(byId['p99-latency']).toBe('pass');
  });

  it('resolves with the runbook message, marks v0.2.0 known-bad, then closes', async () => {
    const resolved = await resolveIncident({ incidentId, actor: commander });
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    expect(resolved.data.resolution.text).toMatch(/^RESOLVED: orchestrator rollback completed\nRolled back from: v0\.2\.0 to v0\.1\.1\nRecovery time: \d+ minutes/);
    expect(resolved.data.report).toContain('Failed version: v0.2.0 (revision 3');
    expect(resolved.data.report).toContain('## Follow-ups');
    expect(resolved.data.knownBadImage).toBe(IMAGE('v0.2.0'));
    expect(await db.knownBadImage.findUnique({ where: { image: IMAGE('v0.2.0') } })).not.toBeNull();
    // Step 3 of a later incident now flags the image.
    const revisions = await listTargetRevisions({ incidentId });
    expect(revisions.ok && revisions.data.revisions.find((r) => r.image === IMAGE('v0.2.0'))?.knownBad).toBe(true);

    const closed = await closeIncident({ incidentId, actor: commander });
    expect(closed.ok).toBe(true);
    const incident = await db.incident.findUniqueOrThrow({ where: { id: incidentId } });
    expect(incident.status).toBe('closed');
    expect((await db.stepState.findFirstOrThrow({ where: { incidentId, step: 10 } })).status).toBe('done');
    expect(await executeRollback({ incidentId, source: { mode: 'previous' }, idempotencyKey: 'late', actor: commander })).toMatchObject({ ok: false, code: 'conflict' });
    // Follow-ups are ticked after close.
    const ticked = await updateFollowUp({ incidentId, index: 0, done: true, actor: commander });
    expect(ticked.ok && ticked.data.followUps[0]).toEqual({ group: 'Immediate (within 1 hour)', item: 'Update status page', done: true });
    expect(await db.timelineEvent.count({ where: { incidentId, type: 'followup.updated' } })).toBe(1);
  });
});
