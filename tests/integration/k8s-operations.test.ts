/**
 * lib/k8s against the real simulated cluster: reads, the runbook's writes, preconditions,
 * dry runs, failures mapped to codes, impersonation, waits, logs, events, ConfigMap and HPA
 * restores. One simulation (bad-release), reset where a test needs a fresh scenario.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { resetKubeClientForTests, USER_AGENT } from '@/lib/k8s/client';
import { getDeploymentStatus } from '@/lib/k8s/get-deployment-status';
import { listDeployments } from '@/lib/k8s/list-deployments';
import { listRevisions } from '@/lib/k8s/list-revisions';
import { getRevision } from '@/lib/k8s/get-revision';
import { diffRevisions } from '@/lib/k8s/diff-revisions';
import { pauseRollout } from '@/lib/k8s/pause-rollout';
import { undoRollout } from '@/lib/k8s/undo-rollout';
import { scaleDeployment } from '@/lib/k8s/scale-deployment';
import { waitForPods, type WaitProgress } from '@/lib/k8s/wait-for-pods';
import { listPods } from '@/lib/k8s/list-pods';
import { getPodLogs } from '@/lib/k8s/get-pod-logs';
import { followPodLogs } from '@/lib/k8s/follow-pod-logs';
import { listEvents } from '@/lib/k8s/list-events';
import { getConfigMap } from '@/lib/k8s/get-configmap';
import { restoreConfigMap } from '@/lib/k8s/restore-configmap';
import { getHpa } from '@/lib/k8s/get-hpa';
import { restoreHpa } from '@/lib/k8s/restore-hpa';
import { applyManifest } from '@/lib/k8s/apply-manifest';
import { kubectl, startSim, type TestSim } from '@/tests/support/sim';

const NS = 'llm-orchestrator';
const NAME = 'orchestrator';
const t = { namespace: NS, name: NAME };
const actor = { email: 'ida@example.com', name: 'Ida Commander' };
let sim: TestSim;

function useEnv(extra: Record<string, string | undefined> = {}) {
  process.env.KUBECONFIG = sim.kubeconfigPath;
  delete process.env.KUBE_CONTEXT;
  delete process.env.KUBE_IMPERSONATE;
  Object.assign(process.env, extra);
  resetEnvForTests();
  resetKubeClientForTests();
}

async function simControl(p: string, body?: unknown) {
  const res = await fetch(`${sim.apiUrl}/_sim/${p}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json() as Promise<{ byUserAgent: Record<string, number>; byImpersonatedUser: Record<string, number>; recent: { impersonateUser?: string; impersonateGroups?: string[] }[] }>;
}

beforeAll(async () => {
  sim = await startSim({ speed: 20 });
  useEnv();
});

afterAll(async () => {
  await sim?.stop();
});

describe('reads', () => {
  it('deployment status, list and history as kubectl sees them', async () => {
    const s = await getDeploymentStatus(t);
    expect(s.ok, JSON.stringify(s)).toBe(true);
    if (!s.ok) return;
    expect(s.kubectl).toEqual(['kubectl get deployment orchestrator -n llm-orchestrator', 'kubectl rollout status deployment/orchestrator -n llm-orchestrator']);
    expect(s.data).toMatchObject({ revision: 3, paused: false, selector: 'app=orchestrator', replicas: { desired: 3 } });
    expect(s.data.images).toEqual([{ container: 'orchestrator', image: 'registry.example.com/llm/orchestrator:v0.2.0' }]);
    expect(s.resourceVersionBefore).toBe(s.data.resourceVersion);

    const list = await listDeployments({ namespace: NS });
    expect(list.ok && list.data.map((d) => d.name)).toContain(NAME);

    const history = await listRevisions(t);
    expect(history.ok && history.data.revisions.map((r) => [r.revision, r.changeCause, r.current])).toEqual([
      [3, 'Update to v0.2.0', true],
      [2, 'Update to v0.1.1', false],
      [1, 'Initial deployment (v0.1.0)', false],
    ]);
    const rev2 = await getRevision({ ...t, revision: 2 });
    expect(rev2.ok && rev2.data.images[0]!.image).toMatch(/:v0\.1\.1$/);
    expect(rev2.kubectl).toEqual(['kubectl rollout history deployment/orchestrator -n llm-orchestrator --revision=2']);
    const missing = await getRevision({ ...t, revision: 9 });
    expect(missing).toMatchObject({ ok: false, code: 'NotFound' });

    const diff = await diffRevisions({ ...t, from: 2, to: 'live' });
    expect(diff.ok && diff.data.changes.find((c) => c.category === 'image')).toMatchObject({ before: expect.stringMatching(/v0\.1\.1$/), after: expect.stringMatching(/v0\.2\.0$/) });
    expect(diff.ok && diff.data.to.secrets).toEqual(['orchestrator-secrets']);
  });

  it('unknown deployment or namespace is NotFound, with the kubectl command', async () => {
    const r = await getDeploymentStatus({ namespace: NS, name: 'nope' });
    expect(r).toMatchObject({ ok: false, code: 'NotFound', kubectl: ['kubectl get deployment nope -n llm-orchestrator', expect.any(String)] });
    expect((await listRevisions({ namespace: 'no-such-namespace', name: NAME })).ok).toBe(false);
  });

  it('pods, logs (tail, timestamps, by label, follow) and events', async () => {
    const pods = await listPods({ namespace: NS, selector: 'app=orchestrator' });
    expect(pods.ok && pods.data.pods.length).toBeGreaterThanOrEqual(3);
    expect(pods.ok && pods.data.pods[0]!.images[0]).toMatch(/:v0\.2\.0$/);

    // Pods of a freshly reset scenario may not have written their first line yet.
    let logs = await getPodLogs({ namespace: NS, selector: 'app=orchestrator', tailLines: 5, timestamps: true });
    for (let i = 0; i < 60 && logs.ok && logs.data.lines.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      logs = await getPodLogs({ namespace: NS, selector: 'app=orchestrator', tailLines: 5, timestamps: true });
    }
    expect(logs.ok, JSON.stringify(logs)).toBe(true);
    if (!logs.ok) return;
    expect(logs.kubectl).toEqual(['kubectl logs -n llm-orchestrator -l app=orchestrator --tail=5 --timestamps']);
    expect(logs.data.lines.length).toBeGreaterThan(0);
    expect(logs.data.lines.length).toBeLessThanOrEqual(5 * logs.data.pods.length);
    expect(logs.data.lines.every((l) => l.timestamp !== null)).toBe(true);

    const follow = await followPodLogs({ namespace: NS, pod: logs.data.pods[0], tailLines: 2 });
    expect(follow.ok).toBe(true);
    if (!follow.ok) return;
    const got: string[] = [];
    for await (const line of follow.data.lines) {
      got.push(line.text);
      if (got.length >= 3) break; // two from the tail, then at least one new line
    }
    expect(got.length).toBe(3);

    // v0.2.0 pods leak memory and get OOMKilled: their events come within seconds at speed 20.
    let events = await listEvents({ namespace: NS, kind: 'Pod', limit: 20 });
    for (let i = 0; i < 60 && !(events.ok && events.data.events.length > 0); i++) {
      await new Promise((r) => setTimeout(r, 250));
      events = await listEvents({ namespace: NS, kind: 'Pod', limit: 20 });
    }
    expect(events.kubectl).toEqual(['kubectl get events -n llm-orchestrator --field-selector=involvedObject.kind=Pod --sort-by=.lastTimestamp']);
    expect(events.ok && events.data.events.length).toBeGreaterThan(0);
    expect(events.ok && events.data.events.every((e) => e.involvedObject.kind === 'Pod')).toBe(true);
  });
});

describe('failures are results, not exceptions', () => {
  it('API errors map to codes', async () => {
    await simControl('faults', { pathPrefix: `/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`, status: 503, count: 1 });
    expect(await getDeploymentStatus(t)).toMatchObject({ ok: false, code: 'Unavailable' });
    await simControl('faults', { pathPrefix: `/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`, status: 403, count: 1 });
    expect(await getDeploymentStatus(t)).toMatchObject({ ok: false, code: 'Forbidden' });
    await simControl('faults', { pathPrefix: `/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`, drop: true, count: 1 });
    expect(await getDeploymentStatus(t)).toMatchObject({ ok: false, code: 'Unavailable' });
    expect((await getDeploymentStatus(t)).ok).toBe(true);
  });

  it('an API server that is gone is Unavailable', async () => {
    const dir = fs.mkdtempSync(path.join(sim.dir, 'gone-'));
    const kc = fs.readFileSync(sim.kubeconfigPath, 'utf8').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:1');
    fs.writeFileSync(path.join(dir, 'kubeconfig'), kc);
    useEnv({ KUBECONFIG: path.join(dir, 'kubeconfig') });
    try {
      expect(await pauseRollout({ ...t, actor })).toMatchObject({ ok: false, code: 'Unavailable' });
    } finally {
      useEnv();
    }
  });
});

describe('identity', () => {
  it('sends our user agent, and impersonates the person only when KUBE_IMPERSONATE is on', async () => {
    await simControl('requests/reset', {});
    await listPods({ namespace: NS, actor });
    let counts = await simControl('requests');
    expect(Object.keys(counts.byUserAgent)).toEqual([USER_AGENT]);
    expect(counts.byImpersonatedUser).toEqual({});

    useEnv({ KUBE_IMPERSONATE: 'true' });
    try {
      await simControl('requests/reset', {});
      await listPods({ namespace: NS, actor: { ...actor, group: 'incident-commanders' } });
      await listPods({ namespace: NS }); // no person: the console's own identity
      counts = await simControl('requests');
      expect(counts.byImpersonatedUser).toEqual({ 'ida@example.com': 1 });
      expect(counts.recent.find((r) => r.impersonateUser)?.impersonateGroups).toEqual(['incident-commanders']);
    } finally {
      useEnv();
    }
  });
});

describe('writes', () => {
  it('a stale view is a Conflict and writes nothing', async () => {
    const s = await getDeploymentStatus(t);
    if (!s.ok) throw new Error(s.message);
    await kubectl(sim, ['annotate', `deployment/${NAME}`, '-n', NS, 'someone-else=was-here']);
    const r = await pauseRollout({ ...t, actor, expectedResourceVersion: s.data.resourceVersion });
    expect(r).toMatchObject({ ok: false, code: 'Conflict', message: expect.stringContaining('changed since you looked at it') });
    const g = await undoRollout({ ...t, actor, expectedGeneration: s.data.generation + 5 });
    expect(g).toMatchObject({ ok: false, code: 'Conflict' });
    const after = await getDeploymentStatus(t);
    expect(after.ok && after.data.paused).toBe(false);
    expect(after.ok && after.data.revision).toBe(3);
  });

  it('dry runs write nothing', async () => {
    const s = await getDeploymentStatus(t);
    if (!s.ok) throw new Error(s.message);
    const p = await pauseRollout({ ...t, actor, dryRun: true });
    expect(p.ok && p.data.dryRun && p.data.deployment.paused).toBe(true);
    const u = await undoRollout({ ...t, actor, dryRun: true });
    expect(u.ok, JSON.stringify(u)).toBe(true);
    if (!u.ok) return;
    expect(u.kubectl[0]).toBe('kubectl rollout undo deployment/orchestrator -n llm-orchestrator --dry-run=client');
    expect(u.data.patch.map((o) => o.path)).toEqual(['/spec/template', '/metadata/annotations']);
    expect(u.data.diff.changes[0]).toMatchObject({ category: 'image', after: expect.stringMatching(/v0\.1\.1$/) });
    const sc = await scaleDeployment({ ...t, replicas: 0, dryRun: true });
    expect(sc.ok && sc.data.dryRun).toBe(true);
    const after = await getDeploymentStatus(t);
    expect(after.ok && [after.data.paused, after.data.revision, after.data.replicas.desired, after.data.resourceVersion]).toEqual([false, 3, 3, s.data.resourceVersion]);
  });

  it('runbook steps 4-5: undo, wait ready, scale to 0, wait gone, scale back, wait ready', async () => {
    const u = await undoRollout({ ...t, actor, reason: 'v0.2.0 serves 12% 5xx' });
    expect(u.ok && u.data.toRevision, JSON.stringify(u)).toBe(2);
    if (!u.ok) return;
    expect(u.resourceVersionAfter).not.toBe(u.resourceVersionBefore);

    const ready = await waitForPods({ namespace: NS, selector: 'app=orchestrator', condition: 'ready', minReady: 3, timeoutMs: 60_000 });
    expect(ready.ok && ready.data.satisfied, JSON.stringify(ready)).toBe(true);

    const down = await scaleDeployment({ ...t, actor, reason: 'stop writes before the restore', replicas: 0 });
    expect(down.ok && [down.data.previousReplicas, down.data.replicas], JSON.stringify(down)).toEqual([3, 0]);
    const progress: WaitProgress[] = [];
    const gone = await waitForPods({ namespace: NS, selector: 'app=orchestrator', condition: 'delete', timeoutMs: 60_000, onProgress: (p) => progress.push(p) });
    expect(gone.ok && gone.data.satisfied, JSON.stringify(gone)).toBe(true);
    expect(gone.kubectl).toEqual(['kubectl wait --for=delete pod -l app=orchestrator -n llm-orchestrator --timeout=60s']);
    expect(progress.at(-1)?.total).toBe(0);

    const events = await listEvents({ namespace: NS, kind: 'Deployment', name: NAME });
    expect(events.ok && events.data.events.some((e) => e.reason === 'ScalingReplicaSet')).toBe(true);

    const up = await scaleDeployment({ ...t, actor, replicas: 3 });
    expect(up.ok).toBe(true);
    const again = await waitForPods({ namespace: NS, selector: 'app=orchestrator', condition: 'ready', minReady: 3, timeoutMs: 60_000 });
    expect(again.ok && again.data.satisfied && again.data.pods.every((p) => p.images[0]!.endsWith(':v0.1.1'))).toBe(true);

    const history = await listRevisions(t);
    expect(history.ok && history.data.revisions[0]).toMatchObject({ revision: 4, current: true, actor: 'ida@example.com' });
  });

  it('a wait that cannot be satisfied times out with what is missing', async () => {
    const r = await waitForPods({ namespace: NS, selector: 'app=orchestrator', condition: 'delete', timeoutMs: 300 });
    expect(r.ok && r.data.satisfied).toBe(false);
    expect(r.ok && r.data.message).toMatch(/timed out .* still present/);
  });
});

describe('snapshots: ConfigMap and HPA', () => {
  it('restores the ConfigMap exactly from its backup, then finds nothing to do', async () => {
    const before = await getConfigMap({ namespace: NS, name: 'orchestrator-config' });
    expect(before.ok && Object.keys(before.data.data).length).toBe(6);
    const file = path.join(sim.backupDir, fs.readdirSync(sim.backupDir).find((n) => n.startsWith('configmap-backup-'))!);
    const dry = await restoreConfigMap({ snapshot: fs.readFileSync(file, 'utf8'), actor, dryRun: true });
    expect(dry.ok && dry.data.dryRun).toBe(true);
    const untouched = await getConfigMap({ namespace: NS, name: 'orchestrator-config' });
    expect(untouched.ok && before.ok && untouched.data.resourceVersion === before.data.resourceVersion).toBe(true);

    const r = await restoreConfigMap({ snapshot: fs.readFileSync(file, 'utf8'), actor, reason: 'config changed by v0.2.0', expectedResourceVersion: before.ok ? before.data.resourceVersion : undefined });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.data.action).toBe('replaced');
    expect(r.kubectl[0]).toBe('kubectl replace -f configmap-orchestrator-config-snapshot.yaml');
    expect(r.data.changes.some((c) => c.change === 'removed')).toBe(true);
    const after = await getConfigMap({ namespace: NS, name: 'orchestrator-config' });
    expect(after.ok && Object.keys(after.data.data).length).toBe(5);
    const again = await restoreConfigMap({ snapshot: fs.readFileSync(file, 'utf8') });
    expect(again.ok && again.data.action).toBe('unchanged');
  });

  it('recreates a deleted HPA and puts a changed one back', async () => {
    const snap = await getHpa(t);
    expect(snap.ok && [snap.data.minReplicas, snap.data.maxReplicas, snap.data.metrics]).toEqual([3, 10, ['cpu 70%']]);
    if (!snap.ok) return;
    expect((await kubectl(sim, ['delete', 'hpa', NAME, '-n', NS])).code).toBe(0);
    expect(await getHpa(t)).toMatchObject({ ok: false, code: 'NotFound' });
    const created = await restoreHpa({ snapshot: snap.data.manifest, actor });
    expect(created.ok && created.data.action, JSON.stringify(created)).toBe('created');
    expect(created.kubectl[0]).toBe('kubectl create -f hpa-orchestrator-snapshot.yaml');

    expect((await kubectl(sim, ['patch', 'hpa', NAME, '-n', NS, '--type=merge', '-p', '{"spec":{"minReplicas":1}}'])).code).toBe(0);
    const replaced = await restoreHpa({ snapshot: snap.data.manifest, actor });
    expect(replaced.ok && replaced.data.action).toBe('replaced');
    expect(replaced.ok && replaced.data.changes).toEqual([{ path: 'spec.minReplicas', change: 'changed', before: '1', after: '3' }]);
    const now = await getHpa(t);
    expect(now.ok && now.data.minReplicas).toBe(3);
  });

  it('apply: a dry run changes nothing, server-side apply works', async () => {
    const file = path.join(sim.backupDir, fs.readdirSync(sim.backupDir).find((n) => n.startsWith('deployment-backup-'))!);
    const before = await getDeploymentStatus(t);
    const dry = await applyManifest({ manifest: fs.readFileSync(file, 'utf8'), actor, dryRun: true });
    expect(dry.ok, JSON.stringify(dry)).toBe(true);
    const after = await getDeploymentStatus(t);
    expect(after.ok && before.ok && after.data.resourceVersion).toBe(before.ok && before.data.resourceVersion);

    const ssa = await applyManifest({ manifest: fs.readFileSync(file, 'utf8'), actor, strategy: 'server-side' });
    expect(ssa.ok, JSON.stringify(ssa)).toBe(true);
    expect(ssa.kubectl[0]).toBe('kubectl apply --server-side --force-conflicts --field-manager=rollback-console -f deployment-orchestrator-snapshot.yaml');
  });
});
