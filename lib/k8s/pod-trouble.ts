import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { podStatusReason } from './pod-summary';

/**
 * What a Deployment object alone hides: its pods crash-looping or being OOMKilled while the
 * rollout still counts as complete (the runbook's "application crashes or pod crash loops",
 * "memory leaks or resource exhaustion"). Null when the pods look fine.
 */
export function podTrouble(deployment: V1Deployment, pods: readonly V1Pod[], now: Date, windowMs = 15 * 60_000): string | null {
  const selector = deployment.spec?.selector?.matchLabels ?? {};
  const keys = Object.keys(selector);
  // matchExpressions-only selectors are rare for Deployments; without labels we cannot attribute pods.
  if (keys.length === 0) return null;
  const own = pods.filter((p) => p.metadata?.namespace === deployment.metadata?.namespace && keys.every((k) => p.metadata?.labels?.[k] === selector[k]));
  const crashing = own.filter((p) => /CrashLoopBackOff|Error|OOMKilled/.test(podStatusReason(p)));
  const recentRestarts = own.flatMap((p) =>
    (p.status?.containerStatuses ?? [])
      .map((c) => c.lastState?.terminated)
      .filter((t) => t?.finishedAt !== undefined && now.getTime() - new Date(t.finishedAt).getTime() <= windowMs),
  );
  if (crashing.length === 0 && recentRestarts.length === 0) return null;
  const reasons = [...new Set(recentRestarts.map((t) => t?.reason).filter((r): r is string => Boolean(r)))];
  const parts: string[] = [];
  if (crashing.length > 0) parts.push(`${crashing.length} of ${own.length} pods ${crashing.map((p) => podStatusReason(p))[0]}`);
  if (recentRestarts.length > 0) parts.push(`${recentRestarts.length} restart${recentRestarts.length === 1 ? '' : 's'} in the last ${Math.round(windowMs / 60_000)} min${reasons.length ? ` (${reasons.join(', ')})` : ''}`);
  return parts.join('; ');
}
