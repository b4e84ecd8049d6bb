/**
 * Shapes a live Deployment object (plain JSON from the stream) into a table row. Pure; the
 * health judgement is lib/k8s's (the same as `kubectl rollout status`), shown with the words
 * the console uses: healthy, progressing, degraded, paused, failed.
 */
import type { V1Deployment } from '@kubernetes/client-node';
import { deploymentHealth, judgeRollout } from '@/lib/k8s/rollout-judgement';
import type { LiveObject } from '@/lib/live/types';
import type { BadgeTone } from '@/components/ui/badge';

export type HealthLabel = 'healthy' | 'progressing' | 'degraded' | 'paused' | 'failed';

export type DeploymentRow = {
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  updated: number;
  available: number;
  images: string[];
  revision: string | null;
  paused: boolean;
  health: HealthLabel;
  rolloutMessage: string;
  selector: string;
  conditions: { type: string; status: string; reason: string | null; message: string | null; lastUpdateTime: string | null }[];
  changeCause: string | null;
};

export const HEALTH_TONE: Record<HealthLabel, BadgeTone> = {
  healthy: 'success',
  progressing: 'info',
  degraded: 'danger',
  paused: 'warning',
  failed: 'danger',
};

export function toDeploymentRow(obj: LiveObject): DeploymentRow {
  const d = obj as unknown as V1Deployment;
  const health = deploymentHealth(d);
  const labels = d.spec?.selector?.matchLabels ?? {};
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    desired: d.spec?.replicas ?? 1,
    ready: d.status?.readyReplicas ?? 0,
    updated: d.status?.updatedReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
    images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    revision: d.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? null,
    paused: d.spec?.paused === true,
    // A stalled rollout (ProgressDeadlineExceeded) is what people call a failed deployment.
    health: health === 'stalled' ? 'failed' : health,
    rolloutMessage: judgeRollout(d).message,
    selector: Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    conditions: (d.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason ?? null,
      message: c.message ?? null,
      lastUpdateTime: c.lastUpdateTime ? String(c.lastUpdateTime as unknown) : null,
    })),
    changeCause: d.metadata?.annotations?.['kubernetes.io/change-cause'] ?? null,
  };
}

/** "3m", "2h", "5d": the AGE column of kubectl. */
export function formatAge(from: string | null | undefined, nowMs: number): string {
  if (!from) return '–';
  const t = Date.parse(from);
  if (!Number.isFinite(t)) return '–';
  const s = Math.max(0, Math.floor((nowMs - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
