import { describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { summarizePod } from '@/lib/k8s/pod-summary';
import { slimObject } from '@/lib/live/slim-object';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'orchestrator-abc-1',
    namespace: 'llm-orchestrator',
    uid: 'u1',
    resourceVersion: '14',
    creationTimestamp: '2026-11-28T05:54:00Z',
    labels: { app: 'orchestrator', 'pod-template-hash': 'abc' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"env":[{"name":"API_KEY","value":"sk-live-123"}]}', note: 'kept' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'orchestrator-abc', uid: 'rs1', controller: true }],
    managedFields: [{ manager: 'kubectl' }],
  },
  spec: {
    nodeName: 'sim-node-1',
    containers: [
      {
        name: 'orchestrator',
        image: 'registry.example.com/llm/orchestrator:v0.2.0',
        env: [{ name: 'OPENAI_API_KEY', value: 'sk-live-123' }],
        resources: { limits: { memory: '1Gi' } },
      },
    ],
  },
  status: {
    phase: 'Running',
    podIP: '10.244.0.201',
    startTime: '2026-11-28T05:54:00Z',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      {
        name: 'orchestrator',
        image: 'registry.example.com/llm/orchestrator:v0.2.0',
        imageID: 'sha256:x',
        ready: true,
        restartCount: 2,
        state: { running: { startedAt: '2026-11-28T06:18:40Z' } },
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
      },
    ],
  },
};

describe('what a viewer receives of a live object', () => {
  it('never carries env values or the last-applied manifest', () => {
    const slim = JSON.stringify(slimObject('pods', pod));
    expect(slim).not.toContain('sk-live-123');
    expect(slim).not.toContain('last-applied-configuration');
    expect(slim).not.toContain('managedFields');
    expect(slim).toContain('"note":"kept"');
    const deployment = slimObject('deployments', {
      metadata: { name: 'orchestrator', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'sk-live-123', 'deployment.kubernetes.io/revision': '3' } },
      spec: { replicas: 3, paused: false, selector: { matchLabels: { app: 'orchestrator' } }, template: pod },
      status: { readyReplicas: 3 },
    });
    expect(JSON.stringify(deployment)).not.toContain('sk-live-123');
    expect(deployment.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('keeps everything the pods table shows (kubectl get pods columns)', () => {
    const full = summarizePod(pod as unknown as V1Pod);
    const slim = summarizePod(slimObject('pods', pod) as unknown as V1Pod);
    expect(slim).toEqual(full);
    expect(slim).toMatchObject({ status: 'Running', ready: true, restarts: 2, images: ['registry.example.com/llm/orchestrator:v0.2.0'] });
  });
});
