import 'server-only';
import type { V1Deployment } from '@kubernetes/client-node';
import { deploymentHealth, judgeRollout, type DeploymentHealth, type RolloutState } from './rollout-judgement';
import { CHANGE_CAUSE_ANNOTATION, revisionOf } from './revision-rules';
import { isoTime, selectorString } from './internal';

/** A Deployment as the console shows it (plain data). */
export type DeploymentView = {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  observedGeneration: number;
  createdAt: string | null;
  replicas: { desired: number; current: number; ready: number; updated: number; available: number; unavailable: number };
  paused: boolean;
  conditions: { type: string; status: string; reason: string | null; message: string | null; lastUpdateTime: string | null; lastTransitionTime: string | null }[];
  images: { container: string; image: string }[];
  revision: number | null;
  changeCause: string | null;
  selector: string;
  strategy: { type: string; maxSurge: string | null; maxUnavailable: string | null };
  /** `kubectl rollout status` in one word and its message. */
  rollout: { state: RolloutState; message: string };
  health: DeploymentHealth;
  /** Pods crash-looping or restarting while the rollout looks complete (list views only). */
  podTrouble: string | null;
};

export function toDeploymentView(d: V1Deployment, podTrouble: string | null = null): DeploymentView {
  const desired = d.spec?.replicas ?? 1;
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    uid: d.metadata?.uid ?? '',
    resourceVersion: d.metadata?.resourceVersion ?? '',
    generation: d.metadata?.generation ?? 0,
    observedGeneration: d.status?.observedGeneration ?? 0,
    createdAt: isoTime(d.metadata?.creationTimestamp),
    replicas: {
      desired,
      current: d.status?.replicas ?? 0,
      ready: d.status?.readyReplicas ?? 0,
      updated: d.status?.updatedReplicas ?? 0,
      available: d.status?.availableReplicas ?? 0,
      unavailable: d.status?.unavailableReplicas ?? 0,
    },
    paused: d.spec?.paused === true,
    conditions: (d.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason ?? null,
      message: c.message ?? null,
      lastUpdateTime: isoTime(c.lastUpdateTime),
      lastTransitionTime: isoTime(c.lastTransitionTime),
    })),
    images: (d.spec?.template?.spec?.containers ?? []).map((c) => ({ container: c.name, image: c.image ?? '' })),
    revision: revisionOf(d) ?? null,
    changeCause: d.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? null,
    selector: selectorString(d.spec?.selector),
    strategy: {
      type: d.spec?.strategy?.type ?? 'RollingUpdate',
      maxSurge: d.spec?.strategy?.rollingUpdate?.maxSurge !== undefined ? String(d.spec.strategy.rollingUpdate.maxSurge) : null,
      maxUnavailable: d.spec?.strategy?.rollingUpdate?.maxUnavailable !== undefined ? String(d.spec.strategy.rollingUpdate.maxUnavailable) : null,
    },
    rollout: judgeRollout(d),
    // A finished rollout whose pods keep dying is not healthy, whatever the Deployment says.
    health: podTrouble && deploymentHealth(d) === 'healthy' ? 'degraded' : deploymentHealth(d),
    podTrouble,
  };
}
