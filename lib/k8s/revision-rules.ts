import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { templatesEqualIgnoringHash, withoutHashLabel } from './canonical';

/**
 * kubectl's rules for revisions and `rollout undo`, as pure functions over plain objects.
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollback.go
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/history.go
 */

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** Annotations kubectl keeps from the deployment instead of copying them from the ReplicaSet on undo. */
export const UNDO_ANNOTATIONS_TO_SKIP: ReadonlySet<string> = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
]);

/** The revision number of a ReplicaSet or Deployment, or undefined when absent or not an integer (kubectl skips those). */
export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } } | undefined): number | undefined {
  const raw = obj?.metadata?.annotations?.[REVISION_ANNOTATION];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

/** `metav1.IsControlledBy`: the ReplicaSet's controller ownerReference points at this deployment's uid. */
export function isOwnedBy(rs: V1ReplicaSet, deployment: V1Deployment): boolean {
  const uid = deployment.metadata?.uid;
  if (!uid) return false;
  return (rs.metadata?.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === uid);
}

/** The ReplicaSets of a deployment's history, highest revision first (those without a revision last). */
export function ownedReplicaSets(deployment: V1Deployment, replicaSets: V1ReplicaSet[]): V1ReplicaSet[] {
  return replicaSets
    .filter((rs) => isOwnedBy(rs, deployment))
    .sort((a, b) => (revisionOf(b) ?? -1) - (revisionOf(a) ?? -1) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** The ReplicaSet whose template is the deployment's current template (kubectl's "new" ReplicaSet), if any. */
export function currentReplicaSet(deployment: V1Deployment, owned: V1ReplicaSet[]): V1ReplicaSet | undefined {
  // Oldest first among equals, like deploymentutil.FindNewReplicaSet.
  const byAge = [...owned].sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')));
  return byAge.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, deployment.spec?.template));
}

export type RollbackTarget =
  | { ok: true; replicaSet: V1ReplicaSet; revision: number }
  | { ok: false; code: 'NotFound' | 'PreconditionFailed'; message: string };

/**
 * kubectl's `rsForRevision`: `toRevision` > 0 picks that revision; 0 or undefined picks the second
 * highest revision among the owned ReplicaSets (the highest being the current rollout).
 */
export function findRollbackTarget(opts: { deploymentName: string; owned: V1ReplicaSet[]; toRevision?: number | undefined }): RollbackTarget {
  const toRevision = opts.toRevision ?? 0;
  if (toRevision < 0 || !Number.isInteger(toRevision)) {
    return { ok: false, code: 'NotFound', message: `unable to find specified revision ${toRevision} in history` };
  }
  let latest: { rs: V1ReplicaSet; v: number } | undefined;
  let previous: { rs: V1ReplicaSet; v: number } | undefined;
  for (const rs of opts.owned) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (toRevision > 0) {
      if (v === toRevision) return { ok: true, replicaSet: rs, revision: v };
      continue;
    }
    if (!latest || latest.v < v) {
      previous = latest;
      latest = { rs, v };
    } else if (!previous || previous.v < v) {
      previous = { rs, v };
    }
  }
  if (toRevision > 0) {
    return { ok: false, code: 'NotFound', message: `unable to find specified revision ${toRevision} in history` };
  }
  if (!previous) {
    return { ok: false, code: 'PreconditionFailed', message: `no rollout history found for deployment "${opts.deploymentName}"` };
  }
  return { ok: true, replicaSet: previous.rs, revision: previous.v };
}

/** The deployment annotations kubectl writes on undo: the skip-listed ones kept from the deployment, every other one copied from the ReplicaSet. */
export function undoAnnotations(deploymentAnnotations: Record<string, string> | undefined, rsAnnotations: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of UNDO_ANNOTATIONS_TO_SKIP) {
    const v = deploymentAnnotations?.[key];
    if (v !== undefined) out[key] = v;
  }
  for (const [k, v] of Object.entries(rsAnnotations ?? {})) {
    if (!UNDO_ANNOTATIONS_TO_SKIP.has(k)) out[k] = v;
  }
  return out;
}

export type JsonPatchOp =
  | { op: 'replace' | 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'test'; path: string; value: unknown };

/**
 * The JSON patch `kubectl rollout undo` sends (template without the hash label; annotations per
 * {@link undoAnnotations}), plus our additions: the resourceVersion precondition, the console's
 * annotations, and — for a paused deployment — removing `spec.paused` in the same write.
 */
export function buildUndoPatch(opts: {
  deployment: V1Deployment;
  target: V1ReplicaSet;
  extraAnnotations?: Record<string, string> | undefined;
  resourceVersion?: string | undefined;
  resume?: boolean | undefined;
}): { patch: JsonPatchOp[]; template: V1PodTemplateSpec; annotations: Record<string, string> } {
  const template = withoutHashLabel(opts.target.spec?.template ?? {}) as V1PodTemplateSpec;
  const annotations = { ...undoAnnotations(opts.deployment.metadata?.annotations, opts.target.metadata?.annotations), ...(opts.extraAnnotations ?? {}) };
  const patch: JsonPatchOp[] = [];
  // A resourceVersion in the patched object is an optimistic-concurrency precondition: 409 when stale.
  if (opts.resourceVersion !== undefined) patch.push({ op: 'replace', path: '/metadata/resourceVersion', value: opts.resourceVersion });
  patch.push({ op: 'replace', path: '/spec/template', value: template });
  patch.push({ op: opts.deployment.metadata?.annotations ? 'replace' : 'add', path: '/metadata/annotations', value: annotations });
  if (opts.resume && opts.deployment.spec?.paused) patch.push({ op: 'remove', path: '/spec/paused' });
  return { patch, template, annotations };
}
