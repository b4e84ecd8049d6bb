import { describe, expect, it } from 'vitest';
import type { V1Deployment } from '@kubernetes/client-node';
import { deploymentHealth, judgeRollout } from '@/lib/k8s/rollout-judgement';

function d(o: { gen?: number; obs?: number; replicas?: number; updated?: number; total?: number; available?: number; paused?: boolean; reason?: string; availableStatus?: string }): V1Deployment {
  return {
    metadata: { name: 'orchestrator', generation: o.gen ?? 2 },
    spec: { replicas: o.replicas ?? 3, paused: o.paused, selector: {}, template: {} },
    status: {
      observedGeneration: o.obs ?? 2,
      updatedReplicas: o.updated ?? 3,
      replicas: o.total ?? 3,
      availableReplicas: o.available ?? 3,
      conditions: [
        ...(o.reason ? [{ type: 'Progressing', status: 'False', reason: o.reason }] : []),
        ...(o.availableStatus ? [{ type: 'Available', status: o.availableStatus }] : []),
      ],
    },
  };
}

describe('rollout status judgement (kubectl rollout status)', () => {
  it('complete', () => expect(judgeRollout(d({}))).toEqual({ state: 'complete', message: 'deployment "orchestrator" successfully rolled out' }));
  it('waits for the spec to be observed', () => expect(judgeRollout(d({ gen: 3 })).state).toBe('waiting-observation'));
  it('counts updated replicas', () =>
    expect(judgeRollout(d({ updated: 1 })).message).toBe('Waiting for deployment "orchestrator" rollout to finish: 1 out of 3 new replicas have been updated...'));
  it('counts old replicas pending termination', () =>
    expect(judgeRollout(d({ total: 4 })).message).toBe('Waiting for deployment "orchestrator" rollout to finish: 1 old replicas are pending termination...'));
  it('counts available updated replicas', () =>
    expect(judgeRollout(d({ available: 2 })).message).toBe('Waiting for deployment "orchestrator" rollout to finish: 2 of 3 updated replicas are available...'));
  it('fails on the progress deadline', () => {
    expect(judgeRollout(d({ reason: 'ProgressDeadlineExceeded', updated: 1 }))).toEqual({ state: 'stalled', message: 'deployment "orchestrator" exceeded its progress deadline' });
    expect(deploymentHealth(d({ reason: 'ProgressDeadlineExceeded' }))).toBe('stalled');
  });
  it('says paused, with what is left of the rollout', () => {
    expect(judgeRollout(d({ paused: true, updated: 1 }))).toEqual({ state: 'paused', message: 'deployment "orchestrator" is paused (1 out of 3 new replicas have been updated)' });
    expect(deploymentHealth(d({ paused: true }))).toBe('paused');
  });
  it('health', () => {
    expect(deploymentHealth(d({}))).toBe('healthy');
    expect(deploymentHealth(d({ updated: 1 }))).toBe('progressing');
    expect(deploymentHealth(d({ available: 0, availableStatus: 'False' }))).toBe('degraded');
  });
});
