import type { LiveKind, LiveObject } from './types';

/**
 * What a viewer's browser receives of each object: only the fields the pages show. Two reasons:
 * 1. Secrets hygiene: pod templates carry env values, and `last-applied-configuration` carries
 *    the whole manifest; stakeholders must never receive them (issue 4: "Secret values and env
 *    values marked sensitive are never shown").
 * 2. Cost: each change goes to every viewer; a pod shrinks from ~3 KB to under 1.5 KB.
 */
const DROP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const asArr = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Obj[]) : []);

function pick(obj: Obj | undefined, keys: string[]): Obj | undefined {
  if (!obj) return undefined;
  const out: Obj = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function slimMetadata(meta: unknown): LiveObject['metadata'] {
  const m = asObj(meta) ?? {};
  const out = pick(m, [
    'name',
    'namespace',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'labels',
    'ownerReferences',
  ]) as NonNullable<LiveObject['metadata']>;
  const annotations = asObj(m.annotations);
  if (annotations) {
    out.annotations = Object.fromEntries(
      Object.entries(annotations).filter(([k]) => !DROP_ANNOTATIONS.has(k)),
    ) as Record<string, string>;
  }
  return out;
}

const containerNames = (v: unknown) => asArr(v).map((c) => pick(c, ['name', 'image']));

function slimTemplate(template: unknown): Obj | undefined {
  const t = asObj(template);
  if (!t) return undefined;
  const meta = asObj(t.metadata);
  return {
    metadata: { labels: meta?.labels },
    spec: { containers: containerNames(asObj(t.spec)?.containers) },
  };
}

const containerStatus = (v: unknown) =>
  asArr(v).map((c) => pick(c, ['name', 'image', 'ready', 'started', 'restartCount', 'state', 'lastState']));

export function slimObject(kind: LiveKind, raw: unknown): LiveObject {
  const obj = asObj(raw) ?? {};
  const base: LiveObject = { apiVersion: obj.apiVersion as string | undefined, kind: obj.kind as string | undefined, metadata: slimMetadata(obj.metadata) };
  const spec = asObj(obj.spec);
  const status = asObj(obj.status);
  switch (kind) {
    case 'pods':
      return {
        ...base,
        spec: {
          nodeName: spec?.nodeName,
          containers: containerNames(spec?.containers),
          initContainers: containerNames(spec?.initContainers),
        },
        status: {
          ...pick(status, ['phase', 'reason', 'message', 'startTime', 'conditions']),
          containerStatuses: containerStatus(status?.containerStatuses),
          initContainerStatuses: containerStatus(status?.initContainerStatuses),
        },
      };
    case 'deployments':
      return {
        ...base,
        spec: {
          ...pick(spec, ['replicas', 'paused', 'selector', 'strategy', 'minReadySeconds', 'progressDeadlineSeconds', 'revisionHistoryLimit']),
          template: slimTemplate(spec?.template),
        },
        status,
      };
    case 'replicasets':
      return { ...base, spec: { ...pick(spec, ['replicas', 'selector']), template: slimTemplate(spec?.template) }, status };
    case 'events': {
      const { metadata: _m, ...rest } = obj;
      return { ...rest, ...base };
    }
  }
}
