/**
 * Rolling-update arithmetic of the simulated Deployment controller, as Kubernetes does it:
 * maxSurge/maxUnavailable bounds, proportional scaling of a paused rollout, history cleanup.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Store, type KubeObject } from '@/sim/store';
import { LogBook } from '@/sim/logs';
import { createClock } from '@/sim/clock';
import { startControllers } from '@/sim/controllers';
import { loadScenario } from '@/sim/scenarios';
import { REVISION } from '@/sim/controllers/util';


type Cond = { type: string; status: string; reason?: string };
const NS = 'llm-orchestrator';
const IMAGE = 'registry.example.com/llm/orchestrator:v0.1.2';

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let stops: (() => void)[] = [];
afterEach(() => {
  for (const s of stops) s();
  stops = [];
});

async function healthyCluster(speed: number) {
  const store = new Store();
  const clock = createClock({ speed });
  const logs = new LogBook();
  await loadScenario(store, 'healthy', { clock });
  store.delete('horizontalpodautoscalers', NS, 'orchestrator'); // scaling by hand in these tests
  const c = startControllers({ store, clock, logs, scenario: 'healthy' });
  stops.push(() => {
    c.stop();
    clock.stop();
  });
  return store;
}

const rsList = (store: Store) => store.list('replicasets', { namespace: NS }).items;
const deployment = (store: Store) => store.get('deployments', NS, 'orchestrator')!;
const setImage = (store: Store, image: string, extra: (d: KubeObject) => void = () => {}) => {
  const d = deployment(store);
  d.spec.template.spec.containers[0].image = image;
  extra(d);
  store.update('deployments', d);
};
const readyPods = (store: Store) =>
  store
    .list('pods', { namespace: NS, labelSelector: 'app=orchestrator' })
    .items.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.find((c: Cond) => c.type === 'Ready')?.status === 'True').length;

describe('rolling update', () => {
  it('never exceeds replicas + maxSurge pods nor drops below replicas - maxUnavailable ready pods', async () => {
    const store = await healthyCluster(40);
    let maxTotal = 0;
    let minReady = Infinity;
    let started = false;
    store.subscribe((resource) => {
      if (!started || (resource !== 'replicasets' && resource !== 'pods')) return;
      maxTotal = Math.max(maxTotal, rsList(store).reduce((a, rs) => a + rs.spec.replicas, 0));
      minReady = Math.min(minReady, readyPods(store));
    });
    started = true;
    setImage(store, IMAGE);
    await until('rollout complete', () => {
      const d = deployment(store);
      const pods = store.list('pods', { namespace: NS, labelSelector: 'app=orchestrator' }).items;
      return d.status.updatedReplicas === 3 && d.status.availableReplicas === 3 && d.status.replicas === 3 && pods.length === 3 && pods.every((p) => p.spec.containers[0].image === IMAGE);
    });
    // 3 replicas, 25%/25%: maxSurge rounds up to 1, maxUnavailable rounds down to 0.
    expect(maxTotal).toBe(4);
    expect(minReady).toBeGreaterThanOrEqual(3);
    expect(deployment(store).status.conditions.find((c: Cond) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(rsList(store).map((rs) => rs.metadata.annotations?.[REVISION]).sort()).toEqual(['1', '2', '3']);
  });

  it('a paused rollout scales proportionally and makes no progress until resumed', async () => {
    const store = await healthyCluster(4);
    setImage(store, IMAGE);
    const fresh = await until('the new ReplicaSet', () => rsList(store).find((rs) => rs.spec.template.spec.containers[0].image === IMAGE));
    const paused = deployment(store);
    paused.spec.paused = true;
    paused.spec.replicas = 6;
    store.update('deployments', paused);
    await until('proportional scaling', () => rsList(store).reduce((a, rs) => a + rs.spec.replicas, 0) === 8);
    const newRS = store.get('replicasets', NS, fresh.metadata.name)!;
    const oldRS = rsList(store).find((rs) => rs.metadata.annotations?.[REVISION] === '2')!;
    // 6 replicas + maxSurge 2 = 8, split by the ReplicaSets' sizes (old 3 : new 1).
    expect(newRS.spec.replicas).toBe(2);
    expect(oldRS.spec.replicas).toBe(6);
    await new Promise((r) => setTimeout(r, 400));
    expect(store.get('replicasets', NS, fresh.metadata.name)!.spec.replicas).toBe(2);
    const resumed = deployment(store);
    delete resumed.spec.paused;
    store.update('deployments', resumed);
    await until('rollout complete', () => {
      const d = deployment(store);
      return d.status.updatedReplicas === 6 && d.status.availableReplicas === 6 && d.status.replicas === 6;
    }, 15_000);
    expect(store.get('replicasets', NS, oldRS.metadata.name)!.spec.replicas).toBe(0);
  });

  it('deleting the Deployment garbage-collects its ReplicaSets and pods; recreating it starts at revision 1', async () => {
    const store = await healthyCluster(40);
    const manifest = deployment(store);
    store.delete('deployments', NS, 'orchestrator');
    await until('dependents gone', () => rsList(store).length === 0 && store.list('pods', { namespace: NS, labelSelector: 'app=orchestrator' }).items.length === 0);
    expect(store.get('pods', NS, 'postgres-0')).toBeDefined();
    store.create('deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'orchestrator', namespace: NS, annotations: { 'kubernetes.io/change-cause': 'recreated' } }, spec: manifest.spec });
    await until('ready again', () => deployment(store).status?.availableReplicas === 3);
    expect(rsList(store).map((rs) => rs.metadata.annotations?.[REVISION])).toEqual(['1']);
  });

  it('deletes old ReplicaSets beyond revisionHistoryLimit', async () => {
    const store = await healthyCluster(40);
    const d = deployment(store);
    d.spec.revisionHistoryLimit = 0;
    store.update('deployments', d);
    await until('old revision cleaned up', () => rsList(store).length === 1);
    expect(rsList(store)[0]!.metadata.annotations?.[REVISION]).toBe('2');
  });
});
