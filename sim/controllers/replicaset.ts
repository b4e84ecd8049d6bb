/**
 * The ReplicaSet controller: creates pods from the template (named `<rs>-<5 random chars>`,
 * owned by the ReplicaSet) or gracefully deletes the least useful ones until the number of active
 * pods matches spec.replicas, and reports replicas / fullyLabeledReplicas / readyReplicas /
 * availableReplicas / observedGeneration.
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/replicaset/replica_set.go
 */
import type { Loose } from './util';
import type { KubeObject, Store } from '../store';
import { StoreError } from '../store';
import type { Clock } from '../clock';
import type { EventRecorder } from './events';
import { deletePodGracefully, isControlledBy, isPodActive, isPodReady, condition, mutate, ownerReferenceTo, selectorString } from './util';

const COMPONENT = 'replicaset-controller';
/** Pods created per sync at most, like the controller's slow-start batches. */
const BURST = 500;

type Ctx = { store: Store; clock: Clock; events: EventRecorder };

/** A pod for a workload controller: the template plus the defaults the API server would add. */
export function podFromTemplate(owner: KubeObject, template: Loose, name: { name?: string; generateName?: string }, extraLabels: Record<string, string> = {}): KubeObject {
  const t = structuredClone(template ?? {});
  const spec = t.spec ?? {};
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.serviceAccountName ??= 'default';
  spec.securityContext ??= {};
  spec.containers = (spec.containers ?? []).map((c: Loose) => ({
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...c,
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: name.name ?? '',
      ...(name.generateName ? { generateName: name.generateName } : {}),
      namespace: owner.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), ...extraLabels },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ownerReferences: [ownerReferenceTo(owner)],
    },
    spec,
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

/** Order of deletion: unscheduled, pending, not ready, most restarts, newest first. */
function deletionRank(p: KubeObject): number[] {
  const scheduled = p.spec?.nodeName ? 1 : 0;
  const phase = p.status?.phase === 'Running' ? 2 : p.status?.phase === 'Pending' ? 0 : 1;
  const ready = isPodReady(p) ? 1 : 0;
  const restarts = -((p.status?.containerStatuses ?? []) as Loose[]).reduce((a, c) => a + (c.restartCount ?? 0), 0);
  const created = -Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return [scheduled, phase, ready, restarts, created];
}

export class ReplicaSetController {
  constructor(private ctx: Ctx) {}

  sync(ns: string, name: string): void {
    const { store, events } = this.ctx;
    const rs = store.get('replicasets', ns, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const selector = selectorString(rs.spec?.selector);
    if (!selector) return;
    const pods = store.listFrozen('pods', { namespace: ns, labelSelector: selector }).filter((p) => isControlledBy(p, rs));
    const active = pods.filter(isPodActive);
    const want = typeof rs.spec?.replicas === 'number' ? rs.spec.replicas : 1;
    const diff = active.length - want;
    if (diff < 0) {
      for (let i = 0; i < Math.min(-diff, BURST); i++) {
        let pod: KubeObject;
        try {
          pod = store.create('pods', podFromTemplate(rs, rs.spec.template, { generateName: `${rs.metadata.name}-` }));
        } catch (err) {
          // A generateName collision (AlreadyExists): the next sync creates the missing pod.
          if (err instanceof StoreError && err.code === 409) continue;
          throw err;
        }
        events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
      }
    } else if (diff > 0) {
      const victims = [...active].sort((a, b) => {
        const ra = deletionRank(a);
        const rb = deletionRank(b);
        for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
        return 0;
      });
      for (const p of victims.slice(0, diff)) {
        deletePodGracefully(store, p, this.ctx.clock.now());
        events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, COMPONENT);
      }
    }
    this.syncStatus(rs);
  }

  private syncStatus(rs: KubeObject): void {
    const { store } = this.ctx;
    const ns = rs.metadata.namespace;
    const pods = store
      .listFrozen('pods', { namespace: ns, labelSelector: selectorString(rs.spec?.selector) }).filter((p) => isControlledBy(p, rs) && isPodActive(p));
    const templateLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
    const minReady = (rs.spec?.minReadySeconds ?? 0) * 1000;
    const ready = pods.filter(isPodReady);
    const availableCount = ready.filter((p) => {
      if (!minReady) return true;
      const t = condition(p, 'Ready')?.lastTransitionTime;
      return t ? this.ctx.clock.simSince(Date.parse(t)) >= minReady : false;
    }).length;
    const status: Loose = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v)).length,
      readyReplicas: ready.length,
      availableReplicas: availableCount,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) if (status[k] === 0) delete status[k];
    mutate(store, 'replicasets', ns, rs.metadata.name, (x) => {
      x.status = status;
    }, true);
  }
}
