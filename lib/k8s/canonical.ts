/**
 * Canonical form of Kubernetes objects, for comparison only (never sent to the API).
 *
 * Two templates that mean the same thing can be serialised differently: key order, `null`
 * (Go's `creationTimestamp: null`), and empty maps or lists (`resources: {}`) that Go's
 * `omitempty` drops on one side and not the other. The deployment controller compares with
 * `apiequality.Semantic.DeepEqual`, where nil and empty are equal, so we do too.
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go (EqualIgnoreHash)
 */

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Sorted keys; null, undefined, empty objects and empty arrays removed (recursively). Returns undefined when nothing is left. */
export function canonicalize(value: unknown): Json | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map((v) => canonicalize(v) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = canonicalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

/** A stable string of the canonical form: equal strings ⇔ semantically equal objects. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value) ?? null);
}

/** Deep copy of a pod template without the pod-template-hash label (what kubectl patches back into the deployment). */
export function withoutHashLabel<T>(template: T): T {
  const copy = structuredClone(template) as T & { metadata?: { labels?: Record<string, string> } };
  const labels = copy?.metadata?.labels;
  if (labels && POD_TEMPLATE_HASH_LABEL in labels) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

/** kubectl's and the controller's `EqualIgnoreHash`: templates equal once the hash label is removed from both. */
export function templatesEqualIgnoringHash(a: unknown, b: unknown): boolean {
  return canonicalJson(withoutHashLabel(a)) === canonicalJson(withoutHashLabel(b));
}
