import 'server-only';
import type { V2HorizontalPodAutoscaler, V2MetricSpec } from '@kubernetes/client-node';
import { kubeClients, type K8sActor } from './client';
import { isoTime, toPlain } from './internal';
import { kubectlCommands } from './kubectl';
import { cleanManifest, type Manifest } from './manifest';
import { k8sFailFromError, k8sOk, type K8sResult } from './result';

export type GetHpaOptions = { namespace: string; name: string; actor?: K8sActor | undefined };

export type HpaView = {
  namespace: string;
  name: string;
  resourceVersion: string;
  target: { kind: string; name: string };
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number | null;
  desiredReplicas: number | null;
  /** e.g. `cpu 70%` — the TARGETS column of `kubectl get hpa` without the current value. */
  metrics: string[];
  currentMetrics: string[];
  conditions: { type: string; status: string; reason: string | null; message: string | null; lastTransitionTime: string | null }[];
  lastScaleTime: string | null;
  manifest: Manifest;
};

export function describeMetric(m: V2MetricSpec): string {
  if (m.type === 'Resource' && m.resource) {
    const t = m.resource.target;
    return `${m.resource.name} ${t.averageUtilization !== undefined ? `${t.averageUtilization}%` : String(t.averageValue ?? t.value ?? '?')}`;
  }
  if (m.type === 'Pods' && m.pods) return `${m.pods.metric.name} ${String(m.pods.target.averageValue ?? '?')}`;
  if (m.type === 'Object' && m.object) return `${m.object.metric.name} ${String(m.object.target.value ?? m.object.target.averageValue ?? '?')}`;
  if (m.type === 'External' && m.external) return `${m.external.metric.name} ${String(m.external.target.value ?? m.external.target.averageValue ?? '?')}`;
  return m.type;
}

export function toHpaView(h: V2HorizontalPodAutoscaler): HpaView {
  const plain = toPlain(h) as unknown as Manifest;
  plain.apiVersion = 'autoscaling/v2';
  plain.kind = 'HorizontalPodAutoscaler';
  return {
    namespace: h.metadata?.namespace ?? '',
    name: h.metadata?.name ?? '',
    resourceVersion: h.metadata?.resourceVersion ?? '',
    target: { kind: h.spec?.scaleTargetRef?.kind ?? '', name: h.spec?.scaleTargetRef?.name ?? '' },
    minReplicas: h.spec?.minReplicas ?? 1,
    maxReplicas: h.spec?.maxReplicas ?? 0,
    currentReplicas: h.status?.currentReplicas ?? null,
    desiredReplicas: h.status?.desiredReplicas ?? null,
    metrics: (h.spec?.metrics ?? []).map(describeMetric),
    currentMetrics: (h.status?.currentMetrics ?? []).map((m) =>
      m.type === 'Resource' && m.resource
        ? `${m.resource.name} ${m.resource.current.averageUtilization !== undefined ? `${m.resource.current.averageUtilization}%` : String(m.resource.current.averageValue ?? '?')}`
        : m.type,
    ),
    conditions: (h.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? null, message: c.message ?? null, lastTransitionTime: isoTime(c.lastTransitionTime) })),
    lastScaleTime: isoTime(h.status?.lastScaleTime),
    manifest: cleanManifest(plain),
  };
}

/** Runbook step 9: `kubectl get hpa orchestrator`. A deleted HPA is a NotFound result (step 9 then recreates it). */
export async function getHpa(opts: GetHpaOptions): Promise<K8sResult<HpaView>> {
  const kubectl = [kubectlCommands.getHpa(opts)];
  try {
    const h = await kubeClients({ actor: opts.actor }).autoscaling.readNamespacedHorizontalPodAutoscaler({ namespace: opts.namespace, name: opts.name });
    const view = toHpaView(h);
    return k8sOk(view, kubectl, { before: view.resourceVersion, after: view.resourceVersion });
  } catch (err) {
    return k8sFailFromError(err, kubectl, `hpa ${opts.namespace}/${opts.name}`);
  }
}
