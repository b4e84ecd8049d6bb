/**
 * kubectl parity (issue 4 item 3): each operation runs through lib/k8s on one simulation and,
 * as the exact kubectl commands the lib/k8s result claims to be equivalent to, through real
 * kubectl on another; once both have settled, the Deployment and its ReplicaSets must be equal
 * (normalised as tests/kubectl/parity-support.ts explains).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { resetKubeClientForTests } from '@/lib/k8s/client';
import { undoRollout } from '@/lib/k8s/undo-rollout';
import { pauseRollout } from '@/lib/k8s/pause-rollout';
import { resumeRollout } from '@/lib/k8s/resume-rollout';
import { restartRollout } from '@/lib/k8s/restart-rollout';
import { scaleDeployment } from '@/lib/k8s/scale-deployment';
import { applyManifest } from '@/lib/k8s/apply-manifest';
import { listRevisions } from '@/lib/k8s/list-revisions';
import { kubectl, KUBECTL_OLD, startSim, type TestSim } from '@/tests/support/sim';
import { getJson, NAME, NS, normalize, readState, runKubectlEquivalent, waitSettled } from './parity-support';

const SPEED = 20;
const actor = { email: 'ida@example.com', name: 'Ida Commander' };
const target = { namespace: NS, name: NAME, actor, reason: 'v0.2.0 serves 12% 5xx' };

let viaLib: TestSim;
let viaKubectl: TestSim;

beforeAll(async () => {
  [viaLib, viaKubectl] = await Promise.all([startSim({ speed: SPEED }), startSim({ speed: SPEED })]);
  process.env.KUBECONFIG = viaLib.kubeconfigPath;
  delete process.env.KUBE_CONTEXT;
  resetEnvForTests();
  resetKubeClientForTests();
});

afterAll(async () => {
  await Promise.all([viaLib?.stop(), viaKubectl?.stop()]);
});

beforeEach(async () => {
  await Promise.all([viaLib.reset('bad-release'), viaKubectl.reset('bad-release')]);
  await Promise.all([waitSettled(viaLib), waitSettled(viaKubectl)]);
  // The HPA reacts to the surge pods of a rollout with a random CPU reading (it may scale to 4
  // on one side and not the other): it is not what these tests compare, so it goes.
  await kubectlBoth(['delete', 'hpa', NAME, '-n', NS]);
});

async function expectSameEndState(opts: { hashes?: 'keep' | 'by-revision' } = {}) {
  const [a, b] = await Promise.all([waitSettled(viaLib), waitSettled(viaKubectl)]);
  expect(normalize(a, opts)).toEqual(normalize(b, opts));
  return a;
}

async function kubectlBoth(args: string[]) {
  for (const sim of [viaLib, viaKubectl]) {
    const run = await kubectl(sim, args);
    expect(run.code, run.stderr).toBe(0);
  }
}

describe('kubectl parity', () => {
  it('rollout undo (previous revision)', async () => {
    const result = await undoRollout(target);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.kubectl[0]).toBe('kubectl rollout undo deployment/orchestrator -n llm-orchestrator');
    expect(result.data.toRevision).toBe(2);
    await runKubectlEquivalent(viaKubectl, result.kubectl);
    const a = await expectSameEndState();
    expect(a.deployment.spec.template.spec.containers[0].image).toMatch(/:v0\.1\.1$/);
    const history = await listRevisions({ namespace: NS, name: NAME });
    expect(history.ok && history.data.revisions.map((r) => [r.revision, r.current])).toEqual([
      [4, true],
      [3, false],
      [1, false],
    ]);
    expect(history.ok && history.data.revisions[0]!.changeCause).toBe('rollback-console: Ida Commander — v0.2.0 serves 12% 5xx');
  });

  it('rollout undo --to-revision=1', async () => {
    const result = await undoRollout({ ...target, toRevision: 1 });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.kubectl[0]).toBe('kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=1');
    await runKubectlEquivalent(viaKubectl, result.kubectl);
    const a = await expectSameEndState();
    expect(a.deployment.spec.template.spec.containers[0].image).toMatch(/:v0\.1\.0$/);
  });

  it('rollout pause', async () => {
    const result = await pauseRollout(target);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    await runKubectlEquivalent(viaKubectl, result.kubectl);
    const a = await expectSameEndState();
    expect(a.deployment.spec.paused).toBe(true);
  });

  it('rollout resume', async () => {
    await kubectlBoth(['rollout', 'pause', `deployment/${NAME}`, '-n', NS]);
    const result = await resumeRollout(target);
    expect(result.ok && result.data.changed, JSON.stringify(result)).toBe(true);
    await runKubectlEquivalent(viaKubectl, result.kubectl);
    const a = await expectSameEndState();
    expect(a.deployment.spec.paused).toBeUndefined();
  });

  it('rollout undo of a paused deployment = resume + undo --to-revision, in one write', async () => {
    await kubectlBoth(['rollout', 'pause', `deployment/${NAME}`, '-n', NS]);
    // kubectl itself refuses, which is why the console does it differently
    const refused = await kubectl(viaKubectl, ['rollout', 'undo', `deployment/${NAME}`, '-n', NS]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/paused/);
    const result = await undoRollout(target);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.data.resumed).toBe(true);
    expect(result.kubectl.slice(0, 2)).toEqual([
      'kubectl rollout resume deployment/orchestrator -n llm-orchestrator',
      'kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2',
    ]);
    expect(result.data.note).toMatch(/one single patch/);
    await runKubectlEquivalent(viaKubectl, result.kubectl);
    const [a, b] = await Promise.all([waitSettled(viaLib), waitSettled(viaKubectl)]);
    // The one difference is the point: one spec write instead of two, so one generation less.
    expect(a.deployment.metadata.generation).toBe(b.deployment.metadata.generation - 1);
    const sameGeneration = (s: typeof a) => ({ ...s, deployment: { ...s.deployment, metadata: { ...s.deployment.metadata, generation: 0 }, status: { ...s.deployment.status, observedGeneration: 0 } } });
    expect(normalize(sameGeneration(a))).toEqual(normalize(sameGeneration(b)));
    expect(a.deployment.spec.paused).toBeUndefined();
    expect(a.deployment.spec.template.spec.containers[0].image).toMatch(/:v0\.1\.1$/);
  });

  it('rollout restart', async () => {
    const result = await restartRollout(target);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    await runKubectlEquivalent(viaKubectl, result.kubectl);
    // restartedAt is each side's own clock, hence its own pod-template-hash
    const a = await expectSameEndState({ hashes: 'by-revision' });
    expect(a.deployment.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('scale to 0 (runbook step 5)', async () => {
    const result = await scaleDeployment({ ...target, replicas: 0 });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.kubectl[0]).toBe('kubectl scale deployment orchestrator -n llm-orchestrator --replicas=0');
    await runKubectlEquivalent(viaKubectl, result.kubectl);
    const a = await expectSameEndState();
    expect(a.deployment.spec.replicas).toBe(0);
  });

  it('apply a backed-up Deployment manifest (runbook step 4 option C)', async () => {
    const file = (sim: TestSim) => {
      const f = fs.readdirSync(sim.backupDir).find((n) => n.startsWith('deployment-backup-'));
      if (!f) throw new Error(`no deployment backup in ${sim.backupDir}`);
      return path.join(sim.backupDir, f);
    };
    const result = await applyManifest({ ...target, manifest: fs.readFileSync(file(viaLib), 'utf8'), fileName: 'deployment-backup.yaml' });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.kubectl[0]).toBe('kubectl apply -f deployment-backup.yaml');
    await runKubectlEquivalent(viaKubectl, result.kubectl, { 'deployment-backup.yaml': file(viaKubectl) });
    const a = await expectSameEndState();
    expect(a.deployment.spec.template.spec.containers[0].image).toMatch(/:v0\.1\.1$/);
  });

  it('apply --server-side of a backed-up Deployment manifest', async () => {
    const file = (sim: TestSim) => path.join(sim.backupDir, fs.readdirSync(sim.backupDir).find((n) => n.startsWith('deployment-backup-'))!);
    const result = await applyManifest({ ...target, manifest: fs.readFileSync(file(viaLib), 'utf8'), fileName: 'deployment-backup.yaml', strategy: 'server-side' });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.kubectl[0]).toBe('kubectl apply --server-side --force-conflicts --field-manager=rollback-console -f deployment-backup.yaml');
    await runKubectlEquivalent(viaKubectl, result.kubectl, { 'deployment-backup.yaml': file(viaKubectl) });
    const a = await expectSameEndState();
    expect(a.deployment.spec.template.spec.containers[0].image).toMatch(/:v0\.1\.1$/);
  });

  it('apply a backed-up ConfigMap manifest (runbook step 6 option A)', async () => {
    const file = (sim: TestSim) => path.join(sim.backupDir, fs.readdirSync(sim.backupDir).find((n) => n.startsWith('configmap-backup-'))!);
    const result = await applyManifest({ ...target, manifest: fs.readFileSync(file(viaLib), 'utf8'), fileName: 'configmap-backup.yaml' });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    await runKubectlEquivalent(viaKubectl, result.kubectl, { 'configmap-backup.yaml': file(viaKubectl) });
    const cm = async (sim: TestSim) => {
      const o = await getJson(sim, `/api/v1/namespaces/${NS}/configmaps/orchestrator-config`);
      const ann = { ...(o.metadata.annotations ?? {}) };
      delete ann['rollback-console/actor'];
      delete ann['rollback-console/reason'];
      return { labels: o.metadata.labels, annotations: ann, data: o.data };
    };
    const [a, b] = await Promise.all([cm(viaLib), cm(viaKubectl)]);
    expect(a).toEqual(b);
    expect(Object.keys(a.data ?? {}).sort()).toEqual(['CACHE_TTL_SECONDS', 'FEATURE_STREAMING', 'LLM_PROVIDER_TIMEOUT_SECONDS', 'LOG_LEVEL', 'MAX_CONCURRENT_WORKFLOWS']);
    // and the Deployment did not move
    await expectSameEndState();
    expect((await readState(viaLib)).deployment.spec.template.spec.containers[0].image).toMatch(/:v0\.2\.0$/);
  });
});

describe('kubectl parity with an older kubectl (1.28)', () => {
  it('rollout undo --to-revision=2 and scale', async () => {
    const undo = await undoRollout({ ...target, toRevision: 2 });
    expect(undo.ok, JSON.stringify(undo)).toBe(true);
    await runKubectlEquivalent(viaKubectl, undo.kubectl, {}, KUBECTL_OLD);
    await expectSameEndState();
    const scale = await scaleDeployment({ ...target, replicas: 5 });
    expect(scale.ok, JSON.stringify(scale)).toBe(true);
    await runKubectlEquivalent(viaKubectl, scale.kubectl, {}, KUBECTL_OLD);
    const a = await expectSameEndState();
    expect(a.deployment.spec.replicas).toBe(5);
  });
});
