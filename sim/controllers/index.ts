/**
 * Starts the simulated control plane: Deployment, ReplicaSet, StatefulSet and HPA controllers,
 * the pod lifecycle (scheduler + kubelet), events, and owner-reference garbage collection. Each
 * controller works from a de-duplicated queue of keys fed by the store's change stream, like
 * client-go informers, and everything is re-queued periodically (progress deadlines, HPA).
 */
import type { KubeObject, Store, WatchEvent } from '../store';
import type { Clock } from '../clock';
import type { LogBook } from '../logs';
import type { PodBehaviour, ScenarioName } from '../scenarios/types';
import { getScenario, type Scenario } from '../scenarios';
import { EventRecorder } from './events';
import { DeploymentController } from './deployment';
import { ReplicaSetController } from './replicaset';
import { StatefulSetController } from './statefulset';
import { HpaController } from './hpa';
import { PodLifecycle } from './pods';
import { controllerRef, deletePodGracefully } from './util';

export type Controllers = { stop(): void };

type Kind = 'deployments' | 'replicasets' | 'statefulsets' | 'horizontalpodautoscalers';
/** Real milliseconds changes are collected before the controllers sync. */
const BATCH_MS = 5;
const OWNER_RESOURCE: Record<string, Kind> = { Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets' };

/**
 * Runs the controllers against the store until stop(). `scenario` decides how pods of each image
 * behave (healthy, OOMKilled restarts, CrashLoopBackOff); default `bad-release`.
 */
export function startControllers(options: {
  store: Store;
  clock: Clock;
  logs: LogBook;
  scenario?: ScenarioName | Scenario | { behaviourFor(image: string): PodBehaviour };
}): Controllers {
  const { store, clock, logs } = options;
  const scenario = typeof options.scenario === 'object' ? options.scenario : getScenario(options.scenario ?? 'bad-release');
  const events = new EventRecorder(store, () => clock.now());
  const ctx = { store, clock, logs, events, behaviourFor: (image: string) => scenario.behaviourFor(image) };
  const deployments = new DeploymentController(ctx);
  const replicasets = new ReplicaSetController(ctx);
  const statefulsets = new StatefulSetController(ctx);
  const hpas = new HpaController(ctx);
  const pods = new PodLifecycle(ctx);
  const sync: Record<Kind, (ns: string, name: string) => void> = {
    deployments: (ns, n) => deployments.sync(ns, n),
    replicasets: (ns, n) => replicasets.sync(ns, n),
    statefulsets: (ns, n) => statefulsets.sync(ns, n),
    horizontalpodautoscalers: (ns, n) => hpas.sync(ns, n),
  };

  let stopped = false;
  const queue = new Map<string, { kind: Kind; ns: string; name: string }>();
  let scheduled = false;
  const enqueue = (kind: Kind, ns: string | undefined, name: string) => {
    if (stopped) return;
    queue.set(`${kind}/${ns}/${name}`, { kind, ns: ns ?? 'default', name });
    if (!scheduled) {
      scheduled = true;
      // A few milliseconds of batching: many pod transitions, one ReplicaSet sync.
      setTimeout(drain, BATCH_MS);
    }
  };
  const drain = () => {
    scheduled = false;
    let rounds = 0;
    // Process until quiet, yielding to I/O between batches so the API stays responsive.
    while (queue.size && !stopped && rounds++ < 20) {
      const batch = [...queue.values()];
      queue.clear();
      for (const item of batch) {
        try {
          sync[item.kind](item.ns, item.name);
        } catch (err) {
          console.error(`[sim] ${item.kind} ${item.ns}/${item.name} sync failed:`, err);
        }
      }
    }
    if (queue.size && !scheduled && !stopped) {
      scheduled = true;
      setTimeout(drain, BATCH_MS);
    }
  };

  const enqueueOwner = (o: KubeObject) => {
    const ref = controllerRef(o);
    const kind = ref && OWNER_RESOURCE[ref.kind];
    if (ref && kind) enqueue(kind, o.metadata.namespace, ref.name);
  };

  /** Garbage collection of dependents whose controller was deleted (background propagation). */
  const collect = (owner: KubeObject) => {
    const uid = owner.metadata.uid;
    const ns = owner.metadata.namespace;
    if (owner.kind === 'Deployment') {
      for (const rs of store.list('replicasets', { namespace: ns }).items) {
        if (controllerRef(rs)?.uid === uid) store.delete('replicasets', ns, rs.metadata.name);
      }
    } else if (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet') {
      for (const p of store.listFrozen('pods', { namespace: ns })) {
        if (controllerRef(p)?.uid === uid) deletePodGracefully(store, p, clock.now());
      }
    }
  };

  const onChange = (resource: string, e: WatchEvent) => {
    if (stopped || e.type === 'BOOKMARK') return;
    const o = e.object;
    switch (resource) {
      case 'deployments':
        if (e.type === 'DELETED') collect(o);
        else enqueue('deployments', o.metadata.namespace, o.metadata.name);
        for (const h of store.listFrozen('horizontalpodautoscalers', { namespace: o.metadata.namespace })) {
          if (h.spec?.scaleTargetRef?.name === o.metadata.name && e.type !== 'MODIFIED') enqueue('horizontalpodautoscalers', h.metadata.namespace, h.metadata.name);
        }
        break;
      case 'replicasets':
        if (e.type === 'DELETED') collect(o);
        else enqueue('replicasets', o.metadata.namespace, o.metadata.name);
        enqueueOwner(o);
        break;
      case 'statefulsets':
        if (e.type === 'DELETED') collect(o);
        else enqueue('statefulsets', o.metadata.namespace, o.metadata.name);
        break;
      case 'pods':
        pods.observe(e.type, o);
        enqueueOwner(o);
        break;
      case 'horizontalpodautoscalers':
        if (e.type === 'DELETED') hpas.forget(o.metadata.uid!);
        else if (e.type === 'ADDED' || (o.metadata.generation ?? 1) !== (o.status?.observedGeneration ?? 0)) {
          enqueue('horizontalpodautoscalers', o.metadata.namespace, o.metadata.name);
        }
        break;
    }
  };
  const unsubscribe = store.subscribe(onChange);

  const resyncAll = (kinds: Kind[]) => {
    for (const kind of kinds) for (const o of store.listFrozen(kind)) enqueue(kind, o.metadata.namespace, o.metadata.name);
  };
  for (const p of store.listFrozen('pods')) pods.observe('ADDED', structuredClone(p) as KubeObject);
  resyncAll(['deployments', 'replicasets', 'statefulsets', 'horizontalpodautoscalers']);
  // Progress deadlines and stale statuses: re-check every 5 simulated seconds; HPA every 15.
  const resync = clock.every(5_000, () => resyncAll(['deployments', 'replicasets', 'statefulsets']), 250);
  const hpaLoop = clock.every(15_000, () => resyncAll(['horizontalpodautoscalers']), 500);

  return {
    stop() {
      stopped = true;
      unsubscribe();
      resync.cancel();
      hpaLoop.cancel();
      pods.stop();
      queue.clear();
    },
  };
}
