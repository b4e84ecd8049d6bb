/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2 semantics): keeps the target
 * Deployment's replicas between minReplicas and maxReplicas from a simulated CPU utilisation,
 * with the 10% tolerance and a downscale stabilisation window; scaling is disabled while the
 * target is scaled to zero, as in Kubernetes.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details
 */
import type { Loose } from './util';
import type { KubeObject, Store } from '../store';
import type { Clock } from '../clock';
import type { EventRecorder } from './events';
import { imageTag } from '../scenarios/types';
import { isPodReady, mutate, nowIso, selectorString } from './util';

const COMPONENT = 'horizontal-pod-autoscaler';
const TOLERANCE = 0.1;
const DOWNSCALE_WINDOW_MS = 300_000;

type Ctx = { store: Store; clock: Clock; events: EventRecorder };

/** Simulated CPU utilisation (% of request) of a pod running an image version. */
export function cpuUtilisationFor(image: string): number {
  return imageTag(image) === 'v0.2.0' ? 62 : 38;
}

export class HpaController {
  /** hpa uid → recommendations (simulated-time stamp as wall ms, replicas) */
  private recommendations = new Map<string, { at: number; replicas: number }[]>();

  constructor(private ctx: Ctx) {}

  sync(ns: string, name: string): void {
    const { store } = this.ctx;
    const hpa = store.get('horizontalpodautoscalers', ns, name);
    if (!hpa) return;
    const now = nowIso(this.ctx.clock.now());
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const min: number = hpa.spec?.minReplicas ?? 1;
    const max: number = hpa.spec?.maxReplicas ?? min;
    const target = targetUtilisation(hpa);
    const status: Loose = { ...(hpa.status ?? {}), observedGeneration: hpa.metadata.generation ?? 1 };
    const conds: Loose[] = [];
    const cond = (type: string, st: string, reason: string, message: string) => {
      const prev = (hpa.status?.conditions ?? []).find((c: Loose) => c.type === type);
      conds.push({ type, status: st, lastTransitionTime: prev && prev.status === st ? prev.lastTransitionTime : now, reason, message });
    };
    const d = ref.kind === 'Deployment' ? store.get('deployments', ns, ref.name) : undefined;
    if (!d) {
      cond('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: deployments/scale.apps "${ref.name}" not found`);
      status.currentReplicas = 0;
      status.desiredReplicas = 0;
      status.conditions = conds;
      this.write(hpa, status);
      return;
    }
    const current: number = typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
    status.currentReplicas = d.status?.replicas ?? 0;
    if (current === 0) {
      cond('AbleToScale', 'True', 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale');
      cond('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
      status.desiredReplicas = 0;
      status.conditions = conds;
      this.write(hpa, status);
      return;
    }
    const pods = store.listFrozen('pods', { namespace: ns, labelSelector: selectorString(d.spec?.selector) }).filter(isPodReady);
    let desired = current;
    if (pods.length > 0) {
      const util = Math.round(pods.reduce((a, p) => a + cpuUtilisationFor(p.spec?.containers?.[0]?.image ?? ''), 0) / pods.length + (Math.random() * 4 - 2));
      const cpuMillis = Math.round((util / 100) * 500);
      status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: util, averageValue: `${cpuMillis}m` } } }];
      const ratio = util / target;
      if (Math.abs(ratio - 1) > TOLERANCE) desired = Math.ceil(ratio * pods.length);
    }
    let limited: string | undefined;
    if (desired < min) {
      desired = min;
      limited = 'TooFewReplicas';
    } else if (desired > max) {
      desired = max;
      limited = 'TooManyReplicas';
    }
    // Downscale stabilisation: the highest recommendation of the window wins.
    const recs = (this.recommendations.get(hpa.metadata.uid!) ?? []).filter((r) => this.ctx.clock.simSince(r.at) < DOWNSCALE_WINDOW_MS);
    recs.push({ at: this.ctx.clock.now(), replicas: desired });
    this.recommendations.set(hpa.metadata.uid!, recs);
    const stabilised = desired < current ? Math.min(current, Math.max(...recs.map((r) => r.replicas))) : desired;
    status.desiredReplicas = stabilised;
    cond('AbleToScale', 'True', stabilised === current ? 'ReadyForNewScale' : 'SucceededRescale',
      stabilised === current ? 'recommended size matches current size' : `the HPA controller was able to update the target scale to ${stabilised}`);
    cond('ScalingActive', 'True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
    if (limited) cond('ScalingLimited', 'True', limited, limited === 'TooFewReplicas' ? 'the desired replica count is less than the minimum replica count' : 'the desired replica count is more than the maximum replica count');
    else cond('ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range');
    status.conditions = conds;
    if (stabilised !== current) {
      mutate(store, 'deployments', ns, d.metadata.name, (x) => {
        x.spec.replicas = stabilised;
      });
      status.lastScaleTime = now;
      this.ctx.events.record(hpa, 'Normal', 'SuccessfulRescale',
        `New size: ${stabilised}; reason: ${stabilised > current ? (limited === 'TooFewReplicas' ? 'Current number of replicas below Spec.MinReplicas' : 'cpu resource utilization (percentage of request) above target') : 'All metrics below target'}`,
        COMPONENT);
    }
    this.write(hpa, status);
  }

  forget(uid: string): void {
    this.recommendations.delete(uid);
  }

  private write(hpa: KubeObject, status: Loose): void {
    mutate(this.ctx.store, 'horizontalpodautoscalers', hpa.metadata.namespace, hpa.metadata.name, (x) => {
      if (x.metadata.uid !== hpa.metadata.uid) return false;
      x.status = status;
    }, true);
  }
}

function targetUtilisation(hpa: KubeObject): number {
  const m = (hpa.spec?.metrics ?? []).find((x: Loose) => x.type === 'Resource' && x.resource?.name === 'cpu');
  return m?.resource?.target?.averageUtilization ?? hpa.spec?.targetCPUUtilizationPercentage ?? 80;
}
