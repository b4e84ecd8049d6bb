/**
 * Pod lifecycle, events, HPA and StatefulSet of the simulated cluster: what `kubectl get pods`,
 * `describe` and `get hpa` show during the incident.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Store, type KubeObject } from '@/sim/store';
import { LogBook } from '@/sim/logs';
import { createClock } from '@/sim/clock';
import { startControllers } from '@/sim/controllers';
import { loadScenario, orchestratorHpa } from '@/sim/scenarios';


type Cond = { type: string; status: string; reason?: string };
const NS = 'llm-orchestrator';

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let stops: (() => void)[] = [];
afterEach(() => {
  for (const s of stops) s();
  stops = [];
});

async function cluster(scenario: 'bad-release' | 'healthy' = 'bad-release', speed = 200) {
  const store = new Store();
  const clock = createClock({ speed });
  const logs = new LogBook();
  await loadScenario(store, scenario, { clock });
  const c = startControllers({ store, clock, logs, scenario });
  stops.push(() => {
    c.stop();
    clock.stop();
  });
  return { store, clock, logs };
}

const orchestratorPods = (store: Store) => store.list('pods', { namespace: NS, labelSelector: 'app=orchestrator' }).items;
const eventsFor = (store: Store, o: KubeObject) =>
  store.list('events', { namespace: NS, fieldSelector: `involvedObject.uid=${o.metadata.uid}` }).items;

describe('pod lifecycle', () => {
  it('v0.2.0 pods are OOMKilled and restart, with OOMKilling/BackOff events and ERROR logs', async () => {
    const { store, logs } = await cluster('bad-release');
    const pod = orchestratorPods(store)[0]!;
    const restarts0 = pod.status.containerStatuses[0].restartCount;
    const after = await until('an OOMKill', () => {
      const p = store.get('pods', NS, pod.metadata.name);
      return p && p.status.containerStatuses[0].restartCount > restarts0 ? p : undefined;
    });
    expect(after.status.containerStatuses[0].lastState.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    const reasons = eventsFor(store, pod).map((e) => e.reason);
    expect(reasons).toContain('OOMKilling');
    expect(reasons).toContain('BackOff');
    expect(logs.read(NS, pod.metadata.name, 'orchestrator')).toMatch(/ERROR /);
    // It comes back: running and ready again.
    await until('ready again', () => {
      const p = store.get('pods', NS, pod.metadata.name)!;
      return p.status.containerStatuses[0].state.running && p.status.conditions.find((c: Cond) => c.type === 'Ready')?.status === 'True';
    });
  });

  it('a new pod goes Pending → ContainerCreating → Running and Ready, with Scheduled/Pulled/Created/Started', async () => {
    const { store, logs } = await cluster('healthy', 20);
    const seen = new Set<string>();
    let name = '';
    store.subscribe((resource, e) => {
      if (resource !== 'pods' || e.type === 'DELETED') return;
      if (!name && e.type === 'ADDED') name = e.object.metadata.name;
      if (e.object.metadata.name !== name) return;
      const cs = e.object.status?.containerStatuses?.[0];
      seen.add(cs?.state?.waiting?.reason ?? (cs?.state?.running ? (cs.ready ? 'Ready' : 'Running') : e.object.status?.phase));
    });
    const victim = orchestratorPods(store)[0]!;
    store.delete('pods', NS, victim.metadata.name); // like a node losing it: the ReplicaSet replaces it
    await until('replacement ready', () => name && store.get('pods', NS, name)?.status?.conditions?.find((c: Cond) => c.type === 'Ready')?.status === 'True');
    expect([...seen]).toEqual(['Pending', 'ContainerCreating', 'Running', 'Ready']);
    const pod = store.get('pods', NS, name)!;
    expect(pod.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', controller: true });
    expect(pod.metadata.name).toMatch(/^orchestrator-\w+-\w{5}$/);
    expect(pod.status.containerStatuses[0].imageID).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(eventsFor(store, pod).map((e) => e.reason)).toEqual(expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started']));
    expect(logs.read(NS, name, 'orchestrator')).toContain('orchestrator v0.1.1 starting');
    expect(logs.read(NS, name, 'orchestrator')).not.toMatch(/error/i);
  });

  it('graceful deletion keeps the pod Terminating briefly, then removes it; events count repeats', async () => {
    const { store } = await cluster('healthy', 20);
    const pod = orchestratorPods(store)[0]!;
    pod.metadata.deletionTimestamp = new Date(Date.now() + 30_000).toISOString().replace(/\.\d+Z$/, 'Z');
    pod.metadata.deletionGracePeriodSeconds = 30;
    store.update('pods', pod);
    expect(store.get('pods', NS, pod.metadata.name)).toBeDefined();
    await until('pod removed', () => !store.get('pods', NS, pod.metadata.name));
    const rs = store.list('replicasets', { namespace: NS }).items.find((r) => r.spec.replicas === 3)!;
    expect(eventsFor(store, rs).map((e) => e.reason)).toContain('SuccessfulCreate');
    await until('3 ready again', () => orchestratorPods(store).filter((p) => p.status?.conditions?.find((c: Cond) => c.type === 'Ready')?.status === 'True').length === 3);
  });
});

describe('HPA', () => {
  it('keeps replicas within min/max, is disabled at zero replicas, and works again after delete + recreate', async () => {
    const { store } = await cluster('healthy', 200);
    const hpa = await until('hpa status', () => {
      const h = store.get('horizontalpodautoscalers', NS, 'orchestrator');
      return h?.status?.currentMetrics ? h : undefined;
    });
    expect(hpa.status).toMatchObject({ currentReplicas: 3, desiredReplicas: 3 });
    expect(hpa.status.currentMetrics[0].resource.current.averageUtilization).toBeGreaterThan(20);
    expect(hpa.status.conditions.map((c: Cond) => c.type)).toEqual(expect.arrayContaining(['AbleToScale', 'ScalingActive']));

    const d = store.get('deployments', NS, 'orchestrator')!;
    d.spec.replicas = 1;
    store.update('deployments', d);
    await until('HPA restores the minimum', () => store.get('deployments', NS, 'orchestrator')!.spec.replicas === 3);

    const z = store.get('deployments', NS, 'orchestrator')!;
    z.spec.replicas = 0;
    store.update('deployments', z);
    await until('scaling disabled', () =>
      store.get('horizontalpodautoscalers', NS, 'orchestrator')!.status.conditions.some((c: Cond) => c.type === 'ScalingActive' && c.reason === 'ScalingDisabled'),
    );
    expect(store.get('deployments', NS, 'orchestrator')!.spec.replicas).toBe(0);

    store.delete('horizontalpodautoscalers', NS, 'orchestrator');
    const back = store.get('deployments', NS, 'orchestrator')!;
    back.spec.replicas = 2;
    store.update('deployments', back);
    store.create('horizontalpodautoscalers', orchestratorHpa());
    await until('recreated HPA scales to min', () => store.get('deployments', NS, 'orchestrator')!.spec.replicas === 3);
  });
});

describe('StatefulSet', () => {
  it('recreates postgres-0 when it is deleted', async () => {
    const { store } = await cluster('healthy', 50);
    const uid = store.get('pods', NS, 'postgres-0')!.metadata.uid;
    store.delete('pods', NS, 'postgres-0');
    const again = await until('postgres-0 back', () => {
      const p = store.get('pods', NS, 'postgres-0');
      return p && p.metadata.uid !== uid && p.status?.conditions?.find((c: Cond) => c.type === 'Ready')?.status === 'True' ? p : undefined;
    });
    expect(again.metadata.labels).toMatchObject({ app: 'postgres', 'statefulset.kubernetes.io/pod-name': 'postgres-0' });
    await until('sts ready', () => store.get('statefulsets', NS, 'postgres')!.status?.readyReplicas === 1);
  });
});
