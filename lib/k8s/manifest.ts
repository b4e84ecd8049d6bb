import { parse as parseYaml } from 'yaml';
import { canonicalize } from './canonical';
import { isSensitiveName, MASK } from './template-diff';
import { LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION } from './revision-rules';

/**
 * Saved manifests (snapshots, backups like `kubectl get -o yaml > deployment-backup.yaml`) made
 * fit to apply again, and kubectl apply's last-applied annotation. Pure.
 */

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
};

export const SUPPORTED_KINDS = ['Deployment', 'ConfigMap', 'HorizontalPodAutoscaler'] as const;
export type SupportedKind = (typeof SUPPORTED_KINDS)[number];

/** Parses YAML or JSON text, or takes an object; checks it is one object with apiVersion, kind and metadata.name. */
export function parseManifest(input: string | Record<string, unknown>): { ok: true; manifest: Manifest } | { ok: false; message: string } {
  let obj: unknown = input;
  if (typeof input === 'string') {
    try {
      obj = parseYaml(input);
    } catch (err) {
      return { ok: false, message: `the manifest is not valid YAML or JSON: ${(err as Error).message}` };
    }
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { ok: false, message: 'the manifest must be one Kubernetes object' };
  const m = obj as Partial<Manifest>;
  if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string') return { ok: false, message: 'the manifest has no apiVersion or kind' };
  if (!m.metadata || typeof m.metadata !== 'object' || typeof (m.metadata as { name?: unknown }).name !== 'string') {
    return { ok: false, message: 'the manifest has no metadata.name' };
  }
  return { ok: true, manifest: structuredClone(obj) as Manifest };
}

const SERVER_FIELDS = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
const SERVER_ANNOTATIONS = [LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION];

/**
 * What you would apply from a `kubectl get -o yaml` backup: no status, no server-set metadata
 * (a stale resourceVersion in the file would make kubectl apply fail with a conflict), no
 * last-applied or revision annotations (the controller owns the revision).
 */
export function cleanManifest(m: Manifest): Manifest {
  const out = structuredClone(m);
  delete out.status;
  for (const f of SERVER_FIELDS) delete out.metadata[f];
  if (out.metadata.annotations) {
    for (const a of SERVER_ANNOTATIONS) delete out.metadata.annotations[a];
    if (Object.keys(out.metadata.annotations).length === 0) delete out.metadata.annotations;
  }
  return out;
}

/** Go's json.Marshal of a map: sorted keys, no spaces, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => [k, sort(o[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The value of `kubectl.kubernetes.io/last-applied-configuration` kubectl writes for this
 * manifest: the object without that annotation, newline-terminated — and with
 * `metadata.annotations: {}` when the file has none (kubectl sets the emptied, non-nil map back).
 */
export function lastAppliedFor(m: Manifest): string {
  const copy = structuredClone(m);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}) };
  delete copy.metadata.annotations[LAST_APPLIED_ANNOTATION];
  return goJson(copy) + '\n';
}

/**
 * kubectl apply's client-side patch, simplified: the whole modified object (lists included; the
 * server merges keyed lists by their merge key) plus `null` for every map key that the previous
 * last-applied configuration had and the new one drops. Unlike kubectl, items removed from keyed
 * lists are not deleted (kubectl's `$patch: delete`); restores of the same workload rarely need it.
 * @see https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/#how-apply-calculates-differences-and-merges-changes
 */
export function applyPatchFor(opts: { modified: Manifest; original: Record<string, unknown> | undefined }): Record<string, unknown> {
  const deletions = (orig: unknown, mod: unknown): unknown => {
    if (!orig || typeof orig !== 'object' || Array.isArray(orig)) return mod;
    if (!mod || typeof mod !== 'object' || Array.isArray(mod)) return mod;
    const out: Record<string, unknown> = { ...(mod as Record<string, unknown>) };
    for (const [k, v] of Object.entries(orig as Record<string, unknown>)) {
      if (!(k in out)) out[k] = null;
      else out[k] = deletions(v, out[k]);
    }
    return out;
  };
  return deletions(opts.original, opts.modified) as Record<string, unknown>;
}

export type ObjectChange = { path: string; change: 'added' | 'removed' | 'changed'; before: string | null; after: string | null; masked?: boolean };

/**
 * Field-level differences between two objects (canonical form: empty and null ignored), for dry
 * runs of ConfigMap/HPA/Deployment writes. Values under keys that look sensitive are masked.
 */
export function diffObjects(before: unknown, after: unknown, opts: { ignore?: string[] } = {}): ObjectChange[] {
  const changes: ObjectChange[] = [];
  const ignore = opts.ignore ?? [];
  const show = (v: unknown) => (v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));
  const walk = (a: unknown, b: unknown, path: string, sensitive: boolean) => {
    if (ignore.some((p) => path === p || path.startsWith(`${p}.`))) return;
    const isObj = (v: unknown) => v !== undefined && v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isObj(a) && isObj(b)) {
      const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
      for (const k of keys) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k, sensitive || isSensitiveName(k));
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    const change = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    if (sensitive) changes.push({ path, change, before: a === undefined ? null : MASK, after: b === undefined ? null : MASK, masked: true });
    else changes.push({ path, change, before: show(a), after: show(b) });
  };
  walk(canonicalize(before), canonicalize(after), '', false);
  return changes;
}

/** The file name a snapshot is shown as in kubectl commands, e.g. `configmap-orchestrator-config-snapshot.yaml`. */
export function snapshotFileName(m: Pick<Manifest, 'kind' | 'metadata'>): string {
  const kind = m.kind === 'HorizontalPodAutoscaler' ? 'hpa' : m.kind.toLowerCase();
  return `${kind}-${m.metadata.name}-snapshot.yaml`;
}
