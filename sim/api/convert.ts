/**
 * Conversion between the version a client asked for and the stored version. Every resource is
 * stored in its first served version; only HorizontalPodAutoscaler has two (autoscaling/v2 stored,
 * autoscaling/v1 converted: `targetCPUUtilizationPercentage` ⇄ a CPU Utilization metric).
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v1/
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- objects are arbitrary Kubernetes JSON */
import type { KubeObject } from '../store';
import { apiVersionOf, type ResourceDef } from './resources';

/** The stored object as the client's version shows it (a copy; the input is not changed). */
export function fromStorage(def: ResourceDef, o: KubeObject): KubeObject {
  if (def.resource === 'horizontalpodautoscalers' && def.version === 'v1') return hpaV2toV1(o);
  if (o.apiVersion === apiVersionOf(def) && o.kind === def.kind) return o;
  return { ...o, apiVersion: apiVersionOf(def), kind: def.kind };
}

/** A client's object in the stored version; `current` keeps what the client's version cannot express. */
export function toStorage(def: ResourceDef, o: KubeObject, current?: KubeObject): KubeObject {
  if (def.resource === 'horizontalpodautoscalers' && def.version === 'v1') return hpaV1toV2(o, current);
  return { ...o, apiVersion: apiVersionOf(def), kind: def.kind };
}

function cpuMetric(o: KubeObject): any {
  return (o.spec?.metrics ?? []).find((m: any) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization');
}

function hpaV2toV1(o: KubeObject): KubeObject {
  const spec = o.spec ?? {};
  const status = o.status;
  const cpu = cpuMetric(o);
  const currentCpu = (status?.currentMetrics ?? []).find((m: any) => m.type === 'Resource' && m.resource?.name === 'cpu');
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: o.metadata,
    spec: {
      scaleTargetRef: spec.scaleTargetRef,
      ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
      maxReplicas: spec.maxReplicas,
      ...(cpu ? { targetCPUUtilizationPercentage: cpu.resource.target.averageUtilization } : {}),
    },
    ...(status
      ? {
          status: {
            ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
            ...(status.lastScaleTime ? { lastScaleTime: status.lastScaleTime } : {}),
            currentReplicas: status.currentReplicas ?? 0,
            desiredReplicas: status.desiredReplicas ?? 0,
            ...(currentCpu?.resource?.current?.averageUtilization !== undefined ? { currentCPUUtilizationPercentage: currentCpu.resource.current.averageUtilization } : {}),
          },
        }
      : {}),
  };
}

function hpaV1toV2(o: KubeObject, current?: KubeObject): KubeObject {
  const spec = o.spec ?? {};
  const others = (current?.spec?.metrics ?? []).filter((m: any) => !(m.type === 'Resource' && m.resource?.name === 'cpu'));
  const metrics = [
    ...(spec.targetCPUUtilizationPercentage !== undefined
      ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }]
      : []),
    ...others,
  ];
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: o.metadata,
    spec: {
      scaleTargetRef: spec.scaleTargetRef,
      ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
      maxReplicas: spec.maxReplicas,
      ...(metrics.length ? { metrics } : {}),
      ...(current?.spec?.behavior ? { behavior: current.spec.behavior } : {}),
    },
    ...(current?.status ? { status: current.status } : {}),
  };
}
