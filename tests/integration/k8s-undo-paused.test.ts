/**
 * Issue 4 item 2: undo of a paused deployment, with no moment where the bad rollout proceeds.
 * A v0.2.0 rollout is started and paused mid-way (runbook step 2), then undone (step 4): the
 * v0.2.0 ReplicaSet must never grow after the pause, and the deployment must end on v0.1.1,
 * resumed, with every pod ready.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Watch } from '@kubernetes/client-node';
import { resetEnvForTests } from '@/lib/env';
import { getKubeConfig, resetKubeClientForTests } from '@/lib/k8s/client';
import { pauseRollout } from '@/lib/k8s/pause-rollout';
import { undoRollout } from '@/lib/k8s/undo-rollout';
import { waitForPods } from '@/lib/k8s/wait-for-pods';
import { getDeploymentStatus } from '@/lib/k8s/get-deployment-status';
import { kubectl, startSim, type TestSim } from '@/tests/support/sim';

const NS = 'llm-orchestrator';
const NAME = 'orchestrator';
let sim: TestSim;

beforeAll(async () => {
  sim = await startSim({ scenario: 'healthy', speed: 2 });
  process.env.KUBECONFIG = sim.kubeconfigPath;
  delete process.env.KUBE_CONTEXT;
  resetEnvForTests();
  resetKubeClientForTests();
});

afterAll(async () => {
  await sim?.stop();
});

type Rs = { metadata: { name: string; labels?: Record<string, string> }; spec: { replicas?: number; template: { spec: { containers: { image: string }[] } } } };

async function replicaSets(): Promise<Rs[]> {
  const res = await fetch(`${sim.apiUrl}/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3D${NAME}`);
  return ((await res.json()) as { items: Rs[] }).items;
}
const isBad = (rs: Rs) => rs.spec.template.spec.containers[0]!.image.endsWith(':v0.2.0');

it('undo while paused goes straight back without the bad rollout moving', async () => {
  // The HPA may resize the deployment during the surge, and a paused deployment is scaled
  // proportionally (as in Kubernetes): not what this test is about, so the HPA goes.
  expect((await kubectl(sim, ['delete', 'hpa', NAME, '-n', NS, '--ignore-not-found'])).code).toBe(0);
  const before = await getDeploymentStatus({ namespace: NS, name: NAME });
  expect(before.ok && before.data.images[0]!.image).toMatch(/:v0\.1\.1$/);

  // A bad release starts rolling…
  const set = await kubectl(sim, ['set', 'image', `deployment/${NAME}`, `${NAME}=registry.example.com/llm/orchestrator:v0.2.0`, '-n', NS]);
  expect(set.code, set.stderr).toBe(0);
  let bad: Rs | undefined;
  for (let i = 0; i < 100 && !(bad && (bad.spec.replicas ?? 0) > 0); i++) {
    await new Promise((r) => setTimeout(r, 50));
    bad = (await replicaSets()).find(isBad);
  }
  expect(bad?.spec.replicas).toBeGreaterThan(0);

  // …and is paused by the commander (step 2).
  const paused = await pauseRollout({ namespace: NS, name: NAME, actor: { email: 'ida@example.com' }, reason: 'stop the bad rollout' });
  expect(paused.ok, JSON.stringify(paused)).toBe(true);
  const atPause = (await replicaSets()).find(isBad)!.spec.replicas ?? 0;

  // From now on, record every size the v0.2.0 ReplicaSet is given.
  const sizes: number[] = [];
  const ctl = await new Watch(getKubeConfig()).watch(
    `/apis/apps/v1/namespaces/${NS}/replicasets`,
    { labelSelector: `app=${NAME}` },
    (_type, obj: Rs) => {
      if (isBad(obj)) sizes.push(obj.spec.replicas ?? 0);
    },
    () => {},
  );
  try {
    await new Promise((r) => setTimeout(r, 1500)); // paused: nothing moves

    const undone = await undoRollout({ namespace: NS, name: NAME, actor: { email: 'ida@example.com' }, reason: 'v0.2.0 fails' });
    expect(undone.ok, JSON.stringify(undone)).toBe(true);
    if (!undone.ok) return;
    expect(undone.data.resumed).toBe(true);
    expect(undone.data.deployment.paused).toBe(false);
    expect(undone.data.deployment.images[0]!.image).toMatch(/:v0\.1\.1$/);
    expect(undone.kubectl[0]).toBe('kubectl rollout resume deployment/orchestrator -n llm-orchestrator');

    const ready = await waitForPods({ namespace: NS, selector: `app=${NAME}`, condition: 'ready', minReady: 3, timeoutMs: 60_000 });
    expect(ready.ok && ready.data.satisfied, JSON.stringify(ready)).toBe(true);
    let status = await getDeploymentStatus({ namespace: NS, name: NAME });
    for (let i = 0; i < 120 && !(status.ok && status.data.rollout.state === 'complete'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = await getDeploymentStatus({ namespace: NS, name: NAME });
    }
    expect(status.ok && status.data.rollout.state).toBe('complete');
  } finally {
    ctl.abort();
  }
  expect(Math.max(atPause, ...sizes)).toBe(atPause);
  expect((await replicaSets()).find(isBad)?.spec.replicas).toBe(0);
});
