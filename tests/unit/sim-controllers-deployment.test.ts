/**
 * The simulated Deployment/ReplicaSet/pod controllers behave as Kubernetes does during the
 * runbook's rollback: undo reuses the old ReplicaSet at revision max+1, rolling updates replace
 * every pod, pause stops progress, scaling to zero removes pods gracefully.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '@/sim/store';
import { LogBook } from '@/sim/logs';
import { createClock } from '@/sim/clock';
import { startControllers } from '@/sim/controllers';
import { loadScenario } from '@/sim/scenarios';
import { equalIgnoreHash, templateHash, POD_TEMPLATE_HASH, REVISION } from '@/sim/controllers/util';


type Cond = { type: string; status: string; reason?: string };
const NS = 'llm-orchestrator';

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

let stops: (() => void)[] = [];
afterEach(() => {
  for (const s of stops) s();
  stops = [];
});

async function cluster(scenario: 'bad-release' | 'stuck-rollout' | 'healthy' = 'bad-release') {
  const store = new Store();
  const clock = createClock({ speed: 100 });
  const logs = new LogBook();
  await loadScenario(store, scenario, { clock });
  const c = startControllers({ store, clock, logs, scenario });
  stops.push(() => {
    c.stop();
    clock.stop();
  });
  return { store, clock, logs };
}

const rsOf = (store: Store) => store.list('replicasets', { namespace: NS, labelSelector: 'app=orchestrator' }).items;
const revisions = (store: Store) => rsOf(store).map((rs) => Number(rs.metadata.annotations?.[REVISION])).sort((a, b) => a - b);
const images = (store: Store) =>
  store.list('pods', { namespace: NS, labelSelector: 'app=orchestrator' }).items.map((p) => p.spec.containers[0].image as string);
const deployment = (store: Store) => store.get('deployments', NS, 'orchestrator')!;

/** What `kubectl rollout undo --to-revision=N` sends: the RS template without its hash label. */
function undoTo(store: Store, revision: number) {
  const rs = rsOf(store).find((r) => r.metadata.annotations?.[REVISION] === String(revision))!;
  const template = structuredClone(rs.spec.template);
  delete template.metadata.labels[POD_TEMPLATE_HASH];
  const d = deployment(store);
  d.spec.template = template;
  d.metadata.annotations = { ...d.metadata.annotations, 'kubernetes.io/change-cause': rs.metadata.annotations!['kubernetes.io/change-cause']! };
  store.update('deployments', d);
}

describe('template hash', () => {
  it('ignores key order, empty maps and the pod-template-hash label', () => {
    const a = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i:1', env: [] }] } };
    const b = { spec: { containers: [{ image: 'i:1', name: 'c' }], securityContext: {} }, metadata: { annotations: {}, labels: { app: 'x', [POD_TEMPLATE_HASH]: 'abc' } } };
    expect(equalIgnoreHash(a, b)).toBe(true);
    expect(templateHash(a)).toBe(templateHash(b));
    expect(templateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(templateHash({ ...a, spec: { containers: [{ name: 'c', image: 'i:2' }] } })).not.toBe(templateHash(a));
  });
});

describe('deployment controller', () => {
  it('keeps the scenario steady: three owned ReplicaSets, revisions 1-3, three v0.2.0 pods', async () => {
    const { store } = await cluster();
    await new Promise((r) => setTimeout(r, 300));
    expect(revisions(store)).toEqual([1, 2, 3]);
    expect(images(store).filter((i) => i.endsWith(':v0.2.0')).length).toBeGreaterThanOrEqual(3);
    const d = deployment(store);
    expect(d.metadata.annotations?.[REVISION]).toBe('3');
    for (const rs of rsOf(store)) expect(rs.metadata.ownerReferences?.[0]).toMatchObject({ controller: true, uid: d.metadata.uid, kind: 'Deployment' });
  });

  it('undo reuses the revision-2 ReplicaSet as revision 4 and replaces every pod', async () => {
    const { store } = await cluster();
    const rs2 = rsOf(store).find((r) => r.metadata.annotations?.[REVISION] === '2')!;
    undoTo(store, 2);
    await until('rollout to v0.1.1', () => {
      const d = deployment(store);
      const imgs = images(store);
      return (
        d.status?.updatedReplicas === 3 &&
        d.status?.availableReplicas === 3 &&
        (d.status?.replicas ?? 0) === 3 &&
        imgs.length === 3 &&
        imgs.every((i) => i.endsWith(':v0.1.1'))
      );
    });
    expect(revisions(store)).toEqual([1, 3, 4]);
    const reused = store.get('replicasets', NS, rs2.metadata.name)!;
    expect(reused.metadata.annotations?.[REVISION]).toBe('4');
    expect(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('2');
    expect(reused.spec.replicas).toBe(3);
    expect(rsOf(store)).toHaveLength(3);
    const d = deployment(store);
    expect(d.metadata.annotations?.[REVISION]).toBe('4');
    expect(d.status.observedGeneration).toBe(d.metadata.generation);
    const progressing = d.status.conditions.find((c: Cond) => c.type === 'Progressing');
    await until('NewReplicaSetAvailable', () => deployment(store).status.conditions.find((c: Cond) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable');
    expect(progressing).toBeDefined();
  });

  it('a new template creates a new ReplicaSet; paused deployments do not progress; resume finishes', async () => {
    const { store } = await cluster('healthy');
    const d = deployment(store);
    d.spec.paused = true;
    d.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' };
    store.update('deployments', d);
    await until('paused condition', () => deployment(store).status.conditions.find((c: Cond) => c.type === 'Progressing')?.reason === 'DeploymentPaused');
    await new Promise((r) => setTimeout(r, 200));
    expect(rsOf(store)).toHaveLength(2);
    const resumed = deployment(store);
    delete resumed.spec.paused;
    store.update('deployments', resumed);
    await until('restart rollout', () => {
      const x = deployment(store);
      return rsOf(store).length === 3 && x.status?.updatedReplicas === 3 && x.status?.availableReplicas === 3 && x.status?.replicas === 3;
    });
    expect(revisions(store)).toEqual([1, 2, 3]);
  });

  it('scaling to zero deletes the pods gracefully; scaling back makes them ready', async () => {
    const { store } = await cluster('healthy');
    const seen = new Set<string>();
    store.subscribe((resource, e) => {
      if (resource === 'pods' && e.type === 'MODIFIED' && e.object.metadata.deletionTimestamp) seen.add(e.object.metadata.name);
    });
    const d = deployment(store);
    d.spec.replicas = 0;
    store.update('deployments', d);
    await until('no pods', () => images(store).length === 0);
    expect(seen.size).toBe(3);
    const d2 = deployment(store);
    d2.spec.replicas = 3;
    store.update('deployments', d2);
    await until('3 ready', () => deployment(store).status?.readyReplicas === 3);
    expect(revisions(store)).toEqual([1, 2]);
  });

  it('stuck-rollout crash-loops the new pod and reports ProgressDeadlineExceeded', async () => {
    const { store } = await cluster('stuck-rollout');
    await until('deadline exceeded', () => deployment(store).status.conditions.find((c: Cond) => c.type === 'Progressing')?.reason === 'ProgressDeadlineExceeded', 10_000);
    const crashing = store.list('pods', { namespace: NS }).items.find((p) => p.spec.containers[0].image.endsWith(':v0.2.0'))!;
    expect(crashing.status.containerStatuses[0].restartCount).toBeGreaterThanOrEqual(4);
    expect(crashing.status.containerStatuses[0].ready).toBe(false);
  });
});
