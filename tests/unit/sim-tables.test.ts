import { describe, expect, it } from 'vitest';
import { formatLabelSelector, humanDuration, toTable } from '@/sim/api/tables';

describe('server-side tables', () => {
  it('formats ages like kubectl', () => {
    expect(humanDuration(5_000)).toBe('5s');
    expect(humanDuration(119_000)).toBe('119s');
    expect(humanDuration(150_000)).toBe('2m30s');
    expect(humanDuration(45 * 60_000)).toBe('45m');
    expect(humanDuration(5 * 3600_000 + 7 * 60_000)).toBe('5h7m');
    expect(humanDuration(30 * 3600_000)).toBe('30h');
    expect(humanDuration(14 * 24 * 3600_000)).toBe('14d');
  });

  it('shows a crash-looping pod with its restarts and the last restart age', () => {
    const finishedAt = new Date(Date.now() - 40_000).toISOString();
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', creationTimestamp: new Date(Date.now() - 600_000).toISOString() },
      spec: { containers: [{ name: 'web' }] },
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'web', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'OOMKilled', finishedAt } } }],
      },
    };
    const t = toTable('pods', [pod], {});
    expect(t.columnDefinitions!.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(t.rows[0]!.cells.slice(0, 5)).toEqual(['web-1', '0/1', 'CrashLoopBackOff', '4 (40s ago)', '10m']);
    expect(t.rows[0]!.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'web-1' } });
  });

  it('marks a pod being deleted as Terminating', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', deletionTimestamp: new Date().toISOString() }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] } };
    expect(toTable('pods', [pod], {}).rows[0]!.cells[2]).toBe('Terminating');
  });

  it('prints deployment readiness and HPA targets', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 3, selector: { matchLabels: { app: 'd' } }, template: { spec: { containers: [{ name: 'c', image: 'i:1' }] } } }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(toTable('deployments', [d], {}).rows[0]!.cells).toEqual(['d', '2/3', 3, 2, '<unknown>', 'c', 'i:1', 'app=d']);
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, minReplicas: 3, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
      status: { currentReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45 } } }] },
    };
    expect(toTable('horizontalpodautoscalers', [hpa], {}).rows[0]!.cells.slice(0, 6)).toEqual(['h', 'Deployment/d', 'cpu: 45%/70%', '3', 10, 3]);
    expect(formatLabelSelector({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['x', 'y'] }] })).toBe('a=1,b=2,c in (x,y)');
  });
});
