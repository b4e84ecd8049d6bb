import 'server-only';
import { PatchStrategy, setHeaderOptions, type V1Deployment, type V1LabelSelector, type V1ReplicaSet } from '@kubernetes/client-node';
import type { KubeClients } from './client';
import { ownedReplicaSets } from './revision-rules';
import { k8sFail, type K8sFailure } from './result';

/** Options every write accepts: who asked and why, the resourceVersion the caller saw, and a dry run. */
export type WriteOptions = {
  actor?: import('./client').K8sActor | undefined;
  reason?: string | undefined;
  /** The resourceVersion the person was looking at: a different live one means their view is stale (Conflict, nothing written). */
  expectedResourceVersion?: string | undefined;
  /** Ask the API server to validate and compute the result without persisting it (`--dry-run=server`). */
  dryRun?: boolean | undefined;
};

/** Our field manager name (server-side apply and managedFields). */
export const FIELD_MANAGER = 'rollback-console';

export const patchAs = {
  json: () => setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  merge: () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  strategic: () => setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  apply: () => setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
};

/** Model instances → plain JSON data (dates as RFC 3339 strings) that can cross to client components. */
export function toPlain<T>(obj: T): T {
  return JSON.parse(JSON.stringify(obj)) as T;
}

export function isoTime(t: unknown): string | null {
  if (t === undefined || t === null) return null;
  return t instanceof Date ? t.toISOString() : String(t);
}

/** A label selector as `kubectl -l` takes it. */
export function selectorString(sel: V1LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b))) parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** A caller's stale view is refused before anything is written. */
export function staleViewFailure(opts: { kind: string; name: string; expected: string | undefined; live: string | undefined; kubectl: string[] }): K8sFailure | undefined {
  if (opts.expected === undefined || opts.expected === opts.live) return undefined;
  return k8sFail(
    'Conflict',
    `${opts.kind} "${opts.name}" changed since you looked at it (resourceVersion ${opts.expected} → ${opts.live ?? 'unknown'}); nothing was changed — review the current state and try again`,
    opts.kubectl,
  );
}

export async function readDeployment(c: KubeClients, namespace: string, name: string): Promise<V1Deployment> {
  return c.apps.readNamespacedDeployment({ namespace, name });
}

/** The deployment's ReplicaSets as kubectl finds them: listed by the deployment's selector, kept when controlled by its uid. */
export async function listOwnedReplicaSets(c: KubeClients, deployment: V1Deployment): Promise<V1ReplicaSet[]> {
  const list = await c.apps.listNamespacedReplicaSet({
    namespace: deployment.metadata?.namespace ?? '',
    labelSelector: selectorString(deployment.spec?.selector) || undefined,
  });
  return ownedReplicaSets(deployment, list.items);
}

/** What a write returns about the deployment: its view after the write (or as the dry run computed it). */
export type DeploymentWriteResult = {
  /** False when the deployment was already in the requested state (nothing written). */
  changed: boolean;
  dryRun: boolean;
  deployment: import('./deployment-view').DeploymentView;
};

/**
 * Reads the deployment a write is about and applies the caller's preconditions: a different
 * resourceVersion (strict) or generation (spec changed; tolerant of status churn during a
 * rollout) than the one the person saw means their view is stale.
 */
export async function readForWrite(
  c: KubeClients,
  opts: { namespace: string; name: string; expectedResourceVersion?: string | undefined; expectedGeneration?: number | undefined },
  kubectl: string[],
): Promise<{ ok: true; deployment: V1Deployment } | { ok: false; failure: K8sFailure }> {
  const d = await readDeployment(c, opts.namespace, opts.name);
  const stale = staleViewFailure({ kind: 'deployment', name: opts.name, expected: opts.expectedResourceVersion, live: d.metadata?.resourceVersion, kubectl });
  if (stale) return { ok: false, failure: stale };
  if (opts.expectedGeneration !== undefined && opts.expectedGeneration !== (d.metadata?.generation ?? 0)) {
    return {
      ok: false,
      failure: k8sFail(
        'Conflict',
        `deployment "${opts.name}" spec changed since you looked at it (generation ${opts.expectedGeneration} → ${d.metadata?.generation ?? 0}); nothing was changed — review the current state and try again`,
        kubectl,
      ),
    };
  }
  return { ok: true, deployment: d };
}
