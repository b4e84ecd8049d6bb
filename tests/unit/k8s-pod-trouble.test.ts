import { describe, expect, it } from 'vitest';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { podTrouble } from '@/lib/k8s/pod-trouble';

const now = new Date('2026-11-28T10:00:00Z');
const deployment: V1Deployment = { metadata: { name: 'orchestrator', namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'orchestrator' } }, template: {} } };

function pod(name: string, status: V1Pod['status'], labels: Record<string, string> = { app: 'orchestrator' }): V1Pod {
  return { metadata: { name, namespace: 'ns', labels }, spec: { containers: [{ name: 'o', image: 'o:v0.2.0' }] }, status };
}
const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };

describe('pod trouble behind a complete rollout', () => {
  it('names recent OOMKilled restarts although every pod is Running again', () => {
    const restarted = pod('a', { ...running, containerStatuses: [{ name: 'o', image: 'o', imageID: '', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: new Date('2026-11-28T09:58:00Z') } } }] });
    expect(podTrouble(deployment, [restarted, pod('b', running)], now)).toBe('1 restart in the last 15 min (OOMKilled)');
  });

  it('names crash-looping pods', () => {
    const looping = pod('a', { phase: 'Running', containerStatuses: [{ name: 'o', image: 'o', imageID: '', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } }] });
    expect(podTrouble(deployment, [looping, pod('b', running)], now)).toBe('1 of 2 pods CrashLoopBackOff');
  });

  it('ignores old restarts and pods of other deployments', () => {
    const old = pod('a', { ...running, containerStatuses: [{ name: 'o', image: 'o', imageID: '', ready: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: new Date('2026-11-28T08:00:00Z') } } }] });
    const other = pod('x', { phase: 'Running', containerStatuses: [{ name: 'o', image: 'o', imageID: '', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, { app: 'other' });
    expect(podTrouble(deployment, [old, other], now)).toBeNull();
  });
});
