/**
 * Small helpers shared by the simulated controllers: owner references, pod readiness, template
 * hashing and canonical template comparison, int-or-percent resolution.
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go
 */
import type { KubeObject, OwnerReference, Store } from '../store';
import { StoreError, isoSeconds } from '../store';

/**
 * Kubernetes objects are JSON the API server already validated; the controllers read and write
 * their nested fields loosely (as KubeObject's index signature does).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Deployment annotations never copied onto its ReplicaSets (same list as kubectl and the controller). */
export const ANNOTATIONS_TO_SKIP = new Set([
  LAST_APPLIED,
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

/** The controller reference of an object (the owner with controller: true), if Loose. */
export function controllerRef(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

export function isControlledBy(o: KubeObject, owner: KubeObject): boolean {
  return controllerRef(o)?.uid === owner.metadata.uid;
}

export function ownerReferenceTo(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Converts a LabelSelector (matchLabels + matchExpressions) to the string form the store parses. */
export function selectorString(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export function condition(o: KubeObject, type: string): Loose | undefined {
  return (o.status?.conditions as Loose[] | undefined)?.find((c) => c.type === type);
}

export function isPodReady(pod: KubeObject): boolean {
  return condition(pod, 'Ready')?.status === 'True';
}

/** Active pods count towards a ReplicaSet: not terminating, not finished. */
export function isPodActive(pod: KubeObject): boolean {
  return !pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

/** Removes empty maps/arrays, null and undefined, recursively; sorts keys. */
export function canonicalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const arr = v.map(canonicalize).filter((x) => x !== undefined);
    return arr.length ? arr : undefined;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonicalize((v as Record<string, unknown>)[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null ? undefined : v;
}

/** The pod template without the pod-template-hash label, canonical JSON: equal templates, equal strings. */
export function templateKey(template: Loose): string {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels[POD_TEMPLATE_HASH];
  return JSON.stringify(canonicalize(t) ?? {});
}

export function equalIgnoreHash(a: Loose, b: Loose): boolean {
  return templateKey(a) === templateKey(b);
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The pod-template-hash: FNV-32a of the canonical template (plus the collision count), written
 * with the "safe" alphabet of rand.SafeEncodeString, as the Deployment controller names ReplicaSets.
 */
export function templateHash(template: Loose, collisionCount?: number): string {
  let h = 0x811c9dc5;
  const s = templateKey(template) + (collisionCount ? `#${collisionCount}` : '');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(h)
    .split('')
    .map((d) => SAFE[(d.charCodeAt(0) * 7 + 3) % SAFE.length])
    .join('');
}

/** Resolves an IntOrString like "25%" against a total (percentages round up or down). */
export function resolveIntOrPercent(v: unknown, total: number, roundUp: boolean, dflt: string): number {
  const val = v === undefined || v === null ? dflt : v;
  if (typeof val === 'number') return val;
  const m = /^(\d+)%$/.exec(String(val));
  if (!m) return Number(val) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export function randomHex(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(Math.random() * 16)];
  return s;
}

export function nowIso(ms: number = Date.now()): string {
  return isoSeconds(new Date(ms));
}

/** Reads fresh, lets fn mutate the copy, writes with update (or updateStatus); retries on 409. */
export function mutate(store: Store, resource: string, ns: string | undefined, name: string, fn: (o: KubeObject) => void | false, statusOnly = false): KubeObject | undefined {
  for (let i = 0; i < 3; i++) {
    const o = store.get(resource, ns, name);
    if (!o) return undefined;
    if (fn(o) === false) return o;
    try {
      return statusOnly ? store.updateStatus(resource, o) : store.update(resource, o);
    } catch (err) {
      if (err instanceof StoreError && err.code === 409) continue;
      if (err instanceof StoreError && err.code === 404) return undefined;
      throw err;
    }
  }
  return undefined;
}

/**
 * Starts the graceful deletion of a pod as the API server does for DELETE: sets
 * deletionTimestamp (now + grace) and deletionGracePeriodSeconds; the pod controller removes it
 * once its containers stopped.
 */
export function deletePodGracefully(store: Store, pod: KubeObject, now = Date.now()): void {
  mutate(store, 'pods', pod.metadata.namespace, pod.metadata.name, (p) => {
    if (p.metadata.deletionTimestamp) return false;
    const grace = p.spec?.terminationGracePeriodSeconds ?? 30;
    p.metadata.deletionTimestamp = nowIso(now + grace * 1000);
    p.metadata.deletionGracePeriodSeconds = grace;
  });
}
