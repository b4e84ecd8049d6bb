/**
 * A minimal StatefulSet controller: ordinal pods `<name>-0..n-1` (created in order, removed from
 * the highest ordinal), with the controller-revision-hash label, and the status kubectl prints.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
 */
import type { Loose } from './util';
import type { KubeObject, Store } from '../store';
import type { Clock } from '../clock';
import type { EventRecorder } from './events';
import { podFromTemplate } from './replicaset';
import { deletePodGracefully, isControlledBy, isPodActive, isPodReady, mutate, templateHash } from './util';

const COMPONENT = 'statefulset-controller';
type Ctx = { store: Store; clock: Clock; events: EventRecorder };

export class StatefulSetController {
  constructor(private ctx: Ctx) {}

  sync(ns: string, name: string): void {
    const { store, events } = this.ctx;
    const sts = store.get('statefulsets', ns, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const replicas: number = typeof sts.spec?.replicas === 'number' ? sts.spec.replicas : 1;
    const revision = `${name}-${templateHash(sts.spec?.template)}`;
    const pods = store.listFrozen('pods', { namespace: ns }).filter((p) => isControlledBy(p, sts));
    const byOrdinal = new Map<number, KubeObject>();
    for (const p of pods) byOrdinal.set(Number(p.metadata.name.slice(name.length + 1)), p);
    // OrderedReady: create the lowest missing ordinal once all lower ones are ready.
    for (let i = 0; i < replicas; i++) {
      const p = byOrdinal.get(i);
      if (!p) {
        const pod = podFromTemplate(sts, sts.spec?.template, { name: `${name}-${i}` }, {
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
          'apps.kubernetes.io/pod-index': String(i),
        });
        pod.spec.hostname = `${name}-${i}`;
        if (sts.spec?.serviceName) pod.spec.subdomain = sts.spec.serviceName;
        try {
          store.create('pods', pod);
          events.record(sts, 'Normal', 'SuccessfulCreate', `create Pod ${name}-${i} in StatefulSet ${name} successful`, COMPONENT);
        } catch {
          // the previous pod of that ordinal is still terminating
        }
        break;
      }
      if (!isPodReady(p)) break;
    }
    for (const [i, p] of byOrdinal) {
      if (i >= replicas && isPodActive(p)) {
        deletePodGracefully(store, p, this.ctx.clock.now());
        events.record(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`, COMPONENT);
      }
    }
    const fresh = store.listFrozen('pods', { namespace: ns }).filter((p) => isControlledBy(p, sts) && isPodActive(p));
    const ready = fresh.filter(isPodReady).length;
    const status: Loose = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: fresh.length,
      readyReplicas: ready,
      currentReplicas: fresh.length,
      updatedReplicas: fresh.length,
      availableReplicas: ready,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    };
    for (const k of ['readyReplicas', 'availableReplicas', 'currentReplicas', 'updatedReplicas']) if (status[k] === 0) delete status[k];
    mutate(store, 'statefulsets', ns, name, (x) => {
      x.status = status;
    }, true);
  }
}
