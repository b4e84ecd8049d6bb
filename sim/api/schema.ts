/**
 * Field schemas of the served kinds, derived from the typed models of `@kubernetes/client-node`
 * (generated from the Kubernetes OpenAPI), plus the strategic-merge-patch metadata that the models
 * do not carry (copied from the `patchStrategy`/`patchMergeKey` tags of the Kubernetes Go types).
 * One source for three uses: the OpenAPI v3 documents kubectl reads, the server's strategic merge
 * patch, and strict field validation.
 * @see https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- client-node model classes are looked up by name */
import * as k8s from '@kubernetes/client-node';

export type FieldType =
  | { kind: 'scalar'; type: 'string' | 'integer' | 'number' | 'boolean'; format?: string }
  | { kind: 'intOrString' }
  | { kind: 'any' }
  | { kind: 'model'; model: string }
  | { kind: 'array'; items: FieldType }
  | { kind: 'map'; values: FieldType };

export type Field = FieldType & { patchStrategy?: string; patchMergeKey?: string };

/** `Model.field` → patch strategy and merge key, from the Kubernetes API Go struct tags. */
const PATCH_META: Record<string, { strategy: string; key?: string }> = {
  'V1ObjectMeta.finalizers': { strategy: 'merge' },
  'V1ObjectMeta.ownerReferences': { strategy: 'merge', key: 'uid' },
  'V1PodSpec.containers': { strategy: 'merge', key: 'name' },
  'V1PodSpec.initContainers': { strategy: 'merge', key: 'name' },
  'V1PodSpec.ephemeralContainers': { strategy: 'merge', key: 'name' },
  'V1PodSpec.volumes': { strategy: 'merge,retainKeys', key: 'name' },
  'V1PodSpec.imagePullSecrets': { strategy: 'merge', key: 'name' },
  'V1PodSpec.hostAliases': { strategy: 'merge', key: 'ip' },
  'V1PodSpec.topologySpreadConstraints': { strategy: 'merge', key: 'topologyKey' },
  'V1PodSpec.resourceClaims': { strategy: 'merge,retainKeys', key: 'name' },
  'V1PodSpec.schedulingGates': { strategy: 'merge', key: 'name' },
  'V1Container.env': { strategy: 'merge', key: 'name' },
  'V1Container.ports': { strategy: 'merge', key: 'containerPort' },
  'V1Container.volumeMounts': { strategy: 'merge', key: 'mountPath' },
  'V1Container.volumeDevices': { strategy: 'merge', key: 'devicePath' },
  'V1EphemeralContainer.env': { strategy: 'merge', key: 'name' },
  'V1EphemeralContainer.volumeMounts': { strategy: 'merge', key: 'mountPath' },
  'V1DeploymentSpec.strategy': { strategy: 'retainKeys' },
  'V1DeploymentStatus.conditions': { strategy: 'merge', key: 'type' },
  'V1ReplicaSetStatus.conditions': { strategy: 'merge', key: 'type' },
  'V1StatefulSetStatus.conditions': { strategy: 'merge', key: 'type' },
  'V1PodStatus.conditions': { strategy: 'merge', key: 'type' },
  'V1PodStatus.podIPs': { strategy: 'merge', key: 'ip' },
  'V1ServiceSpec.ports': { strategy: 'merge', key: 'port' },
  'V1NamespaceStatus.conditions': { strategy: 'merge', key: 'type' },
  'V2HorizontalPodAutoscalerStatus.conditions': { strategy: 'merge', key: 'type' },
  'V1ServiceStatus.conditions': { strategy: 'merge', key: 'type' },
};

const cache = new Map<string, Map<string, Field> | null>();

/** The fields of a client-node model (e.g. 'V1Deployment'), or undefined for an unknown model. */
export function fieldsOf(model: string): Map<string, Field> | undefined {
  if (cache.has(model)) return cache.get(model) ?? undefined;
  const cls = (k8s as any)[model];
  const attrs: { baseName: string; type: string; format: string }[] | undefined = cls?.attributeTypeMap;
  if (!attrs) {
    cache.set(model, null);
    return undefined;
  }
  const fields = new Map<string, Field>();
  for (const a of attrs) {
    const meta = PATCH_META[`${model}.${a.baseName}`];
    fields.set(a.baseName, { ...parseType(a.type, a.format), ...(meta ? { patchStrategy: meta.strategy, patchMergeKey: meta.key } : {}) });
  }
  cache.set(model, fields);
  return fields;
}

function parseType(t: string, format: string): FieldType {
  t = t.trim();
  const arr = /^Array<(.+)>$/.exec(t);
  if (arr) return { kind: 'array', items: parseType(arr[1]!, '') };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(t);
  if (map) return { kind: 'map', values: parseType(map[1]!, '') };
  switch (t) {
    case 'string':
      return { kind: 'scalar', type: 'string', format: format || undefined };
    case 'Date':
      return { kind: 'scalar', type: 'string', format: 'date-time' };
    case 'boolean':
      return { kind: 'scalar', type: 'boolean' };
    case 'number':
      return format === 'double' ? { kind: 'scalar', type: 'number', format } : { kind: 'scalar', type: 'integer', format: format || undefined };
    case 'IntOrString':
      return { kind: 'intOrString' };
    case 'any':
    case 'object':
      return { kind: 'any' };
    default:
      return (k8s as any)[t]?.attributeTypeMap ? { kind: 'model', model: t } : { kind: 'any' };
  }
}

/** Every model reachable from the given ones (for the OpenAPI components). */
export function reachableModels(roots: string[]): string[] {
  const seen = new Set<string>();
  const visit = (m: string) => {
    if (seen.has(m)) return;
    const fields = fieldsOf(m);
    if (!fields) return;
    seen.add(m);
    for (const f of fields.values()) for (const inner of modelsIn(f)) visit(inner);
  };
  roots.forEach(visit);
  return [...seen];
}

function modelsIn(t: FieldType): string[] {
  if (t.kind === 'model') return [t.model];
  if (t.kind === 'array') return modelsIn(t.items);
  if (t.kind === 'map') return modelsIn(t.values);
  return [];
}

/**
 * Paths of fields the schema does not declare (strict field validation), like
 * `.spec.template.spec.containers[0].imagee`.
 */
export function unknownFields(model: string, value: unknown, path = ''): string[] {
  const fields = fieldsOf(model);
  if (!fields || !value || typeof value !== 'object' || Array.isArray(value)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const f = fields.get(k);
    if (!f) {
      out.push(`${path}.${k}`);
      continue;
    }
    out.push(...unknownIn(f, v, `${path}.${k}`));
  }
  return out;
}

function unknownIn(t: FieldType, v: unknown, path: string): string[] {
  if (v === null || v === undefined) return [];
  if (t.kind === 'model') return unknownFields(t.model, v, path);
  if (t.kind === 'array' && Array.isArray(v)) return v.flatMap((x, i) => unknownIn(t.items, x, `${path}[${i}]`));
  if (t.kind === 'map' && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => unknownIn(t.values, x, `${path}.${k}`));
  return [];
}
