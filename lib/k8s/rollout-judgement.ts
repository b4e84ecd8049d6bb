import type { V1Deployment } from '@kubernetes/client-node';

/**
 * `kubectl rollout status` as a pure judgement of one Deployment object, plus the paused state
 * the runbook's step 2 expects to see.
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go
 */
export type RolloutState = 'complete' | 'progressing' | 'paused' | 'stalled' | 'waiting-observation';

export function judgeRollout(d: V1Deployment): { state: RolloutState; message: string } {
  const name = d.metadata?.name ?? '';
  const generation = d.metadata?.generation ?? 0;
  const observed = d.status?.observedGeneration ?? 0;
  if (generation > observed) return { state: d.spec?.paused ? 'paused' : 'waiting-observation', message: 'Waiting for deployment spec update to be observed...' };
  const progressing = (d.status?.conditions ?? []).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { state: 'stalled', message: `deployment "${name}" exceeded its progress deadline` };
  }
  const replicas = d.spec?.replicas ?? 1;
  const updated = d.status?.updatedReplicas ?? 0;
  const total = d.status?.replicas ?? 0;
  const available = d.status?.availableReplicas ?? 0;
  let waiting: string | undefined;
  if (updated < replicas) waiting = `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`;
  else if (total > updated) waiting = `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`;
  else if (available < updated) waiting = `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`;
  if (d.spec?.paused) return { state: 'paused', message: `deployment "${name}" is paused${waiting ? ` (${waiting.replace(/^Waiting for deployment "[^"]*" rollout to finish: /, '').replace(/\.\.\.$/, '')})` : ''}` };
  if (waiting) return { state: 'progressing', message: waiting };
  return { state: 'complete', message: `deployment "${name}" successfully rolled out` };
}

/** Health shown in lists: a paused or stalled rollout and missing availability are what the commander must notice. */
export type DeploymentHealth = 'healthy' | 'progressing' | 'degraded' | 'paused' | 'stalled';

export function deploymentHealth(d: V1Deployment): DeploymentHealth {
  const { state } = judgeRollout(d);
  if (state === 'stalled') return 'stalled';
  if (state === 'paused') return 'paused';
  const available = (d.status?.conditions ?? []).find((c) => c.type === 'Available');
  if (available?.status === 'False') return 'degraded';
  if (state === 'complete') return 'healthy';
  return 'progressing';
}
