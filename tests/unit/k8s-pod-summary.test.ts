import { describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { podStatusReason, summarizePod } from '@/lib/k8s/pod-summary';

function pod(status: V1Pod['status'], extra: Partial<V1Pod['metadata']> = {}): V1Pod {
  return {
    metadata: { name: 'orchestrator-abc-1', namespace: 'ns', labels: { 'pod-template-hash': 'abc' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'orchestrator-abc', uid: 'u', controller: true }], ...extra },
    spec: { containers: [{ name: 'orchestrator', image: 'o:v0.2.0' }] },
    status,
  };
}

describe('pod summary (kubectl get pods columns)', () => {
  it('shows CrashLoopBackOff with restarts, not Running', () => {
    const p = pod({ phase: 'Running', containerStatuses: [{ name: 'orchestrator', image: 'o', imageID: '', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } } }], conditions: [{ type: 'Ready', status: 'False' }] });
    expect(summarizePod(p)).toMatchObject({ status: 'CrashLoopBackOff', ready: false, restarts: 7, readyContainers: 0, totalContainers: 1, images: ['o:v0.2.0'], replicaSet: 'orchestrator-abc', podTemplateHash: 'abc' });
  });
  it('shows OOMKilled from the last termination', () => {
    expect(podStatusReason(pod({ phase: 'Running', containerStatuses: [{ name: 'o', image: 'o', imageID: '', ready: false, restartCount: 1, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }))).toBe('OOMKilled');
  });
  it('Running and ready', () => {
    const p = pod({ phase: 'Running', containerStatuses: [{ name: 'o', image: 'o', imageID: '', ready: true, restartCount: 0, state: { running: {} } }], conditions: [{ type: 'Ready', status: 'True' }] });
    expect(summarizePod(p)).toMatchObject({ status: 'Running', ready: true, readyContainers: 1 });
  });
  it('Terminating when a deletion timestamp is set', () => {
    expect(podStatusReason(pod({ phase: 'Running' }, { deletionTimestamp: new Date() }))).toBe('Terminating');
  });
  it('Pending / ContainerCreating', () => {
    expect(podStatusReason(pod({ phase: 'Pending' }))).toBe('Pending');
    expect(podStatusReason(pod({ phase: 'Pending', containerStatuses: [{ name: 'o', image: 'o', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }))).toBe('ContainerCreating');
  });
});
