/**
 * The four PATCH flavours of the Kubernetes API, as pure functions on plain JSON values:
 * JSON patch (RFC 6902), JSON merge patch (RFC 7386), strategic merge patch (with `$patch`,
 * `$retainKeys`, `$setElementOrder/…` and `$deleteFromPrimitiveList/…` directives, driven by the
 * merge keys of sim/api/schema.ts) and the apply patch of `kubectl apply --server-side`.
 * @see https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
 * @see https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- patches operate on arbitrary JSON */
import { fieldsOf, type Field, type FieldType } from './schema';

/** A patch that cannot be applied: the server answers 422 (or 409 for a failed `test`). */
export class PatchError extends Error {
  constructor(message: string, public code: 400 | 409 | 422 = 422) {
    super(message);
  }
}

type Json = any;

const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));
const isObject = (v: unknown): v is Record<string, Json> => !!v && typeof v === 'object' && !Array.isArray(v);

// ---------------------------------------------------------------- RFC 6902

export function applyJsonPatch(doc: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw new PatchError('json patch must be an array of operations', 400);
  let root = clone(doc);
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') throw new PatchError('invalid JSON patch operation', 400);
    const path = parsePointer(op.path);
    switch (op.op) {
      case 'add':
        root = setAt(root, path, clone(op.value), 'add');
        break;
      case 'replace':
        getAt(root, path, op.path);
        root = setAt(root, path, clone(op.value), 'replace');
        break;
      case 'remove':
        getAt(root, path, op.path);
        root = removeAt(root, path);
        break;
      case 'move': {
        const from = parsePointer(String(op.from));
        const v = getAt(root, from, String(op.from));
        root = removeAt(root, from);
        root = setAt(root, path, v, 'add');
        break;
      }
      case 'copy': {
        const v = getAt(root, parsePointer(String(op.from)), String(op.from));
        root = setAt(root, path, clone(v), 'add');
        break;
      }
      case 'test': {
        const v = getAt(root, path, op.path);
        if (JSON.stringify(sortKeys(v)) !== JSON.stringify(sortKeys(op.value))) throw new PatchError(`testing value ${op.path} failed`, 422);
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`, 400);
    }
  }
  return root;
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchError(`invalid JSON pointer "${p}"`, 400);
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(root: Json, path: string[], raw: string): Json {
  let cur = root;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur) && seg in cur) cur = cur[seg];
    else throw new PatchError(`doc is missing path: "${raw}"`);
    if (cur === undefined) throw new PatchError(`doc is missing path: "${raw}"`);
  }
  return cur;
}

function setAt(root: Json, path: string[], value: Json, mode: 'add' | 'replace'): Json {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1), '/' + path.slice(0, -1).join('/'));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new PatchError(`index out of range: ${last}`);
    if (mode === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
  } else if (isObject(parent)) {
    parent[last] = value;
  } else {
    throw new PatchError(`doc is missing path: "/${path.join('/')}"`);
  }
  return root;
}

function removeAt(root: Json, path: string[]): Json {
  const parent = getAt(root, path.slice(0, -1), '/' + path.slice(0, -1).join('/'));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
  return root;
}

// ---------------------------------------------------------------- RFC 7386

export function applyMergePatch(doc: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, Json> = isObject(doc) ? clone(doc) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

// ---------------------------------------------------------------- strategic merge patch

/**
 * Applies a strategic merge patch to `doc`, a value of client-node model `model` (e.g.
 * 'V1Deployment'). Lists with a merge strategy are merged by their merge key; other lists are
 * replaced, as are fields of unknown type (like a JSON merge patch).
 */
export function applyStrategicMergePatch(doc: Json, patch: Json, model: string | undefined): Json {
  if (!isObject(patch)) throw new PatchError('strategic merge patch must be a JSON object', 400);
  return mergeMap(isObject(doc) ? doc : {}, patch, model);
}

function mergeMap(original: Record<string, Json>, patch: Record<string, Json>, model: string | undefined): Json {
  const directive = patch.$patch;
  if (directive === 'replace') return stripDirectives(withoutKey(patch, '$patch'));
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'merge') throw new PatchError(`Unknown patch type: ${directive}`);
  const fields = model ? fieldsOf(model) : undefined;
  const out: Record<string, Json> = clone(original);
  const orders: [string, Json[]][] = [];
  const primitiveDeletes: [string, Json[]][] = [];
  let retainKeys: string[] | undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    if (k === '$retainKeys') {
      if (!Array.isArray(v)) throw new PatchError('$retainKeys must be a list');
      retainKeys = v.map(String);
      continue;
    }
    if (k.startsWith('$setElementOrder/')) {
      if (!Array.isArray(v)) throw new PatchError(`${k} must be a list`);
      orders.push([k.slice('$setElementOrder/'.length), v]);
      continue;
    }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      if (!Array.isArray(v)) throw new PatchError(`${k} must be a list`);
      primitiveDeletes.push([k.slice('$deleteFromPrimitiveList/'.length), v]);
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const field = fields?.get(k);
    out[k] = mergeValue(out[k], v, field);
    if (out[k] === undefined) delete out[k];
  }
  for (const [k, values] of primitiveDeletes) {
    if (Array.isArray(out[k])) out[k] = out[k].filter((x: Json) => !values.some((d) => equal(d, x)));
  }
  for (const [k, order] of orders) {
    if (Array.isArray(out[k])) out[k] = reorder(out[k], order, fields?.get(k)?.patchMergeKey);
  }
  if (retainKeys) {
    for (const k of Object.keys(out)) if (!retainKeys.includes(k) && !(k in patch)) delete out[k];
  }
  return out;
}

function mergeValue(current: Json, patch: Json, field: Field | undefined): Json {
  if (isObject(patch)) {
    const model = field ? modelOf(field) : undefined;
    if (field?.kind === 'map') {
      // A map of models (rare) merges each entry; a map of scalars merges like a JSON merge patch.
      const out: Record<string, Json> = isObject(current) ? clone(current) : {};
      if (patch.$patch === 'replace') return stripDirectives(withoutKey(patch, '$patch'));
      for (const [k, v] of Object.entries(patch)) {
        if (k === '$patch') continue;
        if (v === null) delete out[k];
        else out[k] = mergeValue(out[k], v, field.values.kind === 'model' ? { ...field.values } : undefined);
      }
      return out;
    }
    if (field && field.kind !== 'model' && field.kind !== 'any' && field.kind !== 'intOrString') {
      return stripDirectives(patch);
    }
    return mergeMap(isObject(current) ? current : {}, patch, model);
  }
  if (Array.isArray(patch)) {
    const strategies = field?.patchStrategy?.split(',') ?? [];
    if (!strategies.includes('merge') || field?.kind !== 'array') return stripDirectives(patch);
    return mergeList(Array.isArray(current) ? current : [], patch, field.patchMergeKey, field.items);
  }
  return patch;
}

function modelOf(t: FieldType): string | undefined {
  if (t.kind === 'model') return t.model;
  return undefined;
}

function mergeList(current: Json[], patch: Json[], mergeKey: string | undefined, items: FieldType): Json[] {
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace')).map(stripDirectives);
  }
  if (!mergeKey) {
    // A primitive list with the merge strategy is a set union (deletions come separately).
    const out = clone(current);
    for (const p of patch) if (!out.some((x) => equal(x, p))) out.push(clone(p));
    return out;
  }
  const out = clone(current);
  const itemModel = items.kind === 'model' ? items.model : undefined;
  for (const p of patch) {
    if (!isObject(p)) throw new PatchError(`list items must be objects with merge key "${mergeKey}"`);
    if (!(mergeKey in p)) throw new PatchError(`map: ${JSON.stringify(p)} does not contain declared merge key: ${mergeKey}`);
    const i = out.findIndex((x) => isObject(x) && equal(x[mergeKey], p[mergeKey]));
    if (p.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = mergeMap(out[i], p, itemModel);
    else out.push(mergeMap({}, p, itemModel));
  }
  return out;
}

/** `$setElementOrder`: listed items first, in the given order; the others keep their relative order after them. */
function reorder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (x: Json) => (mergeKey && isObject(x) ? JSON.stringify(x[mergeKey]) : JSON.stringify(x));
  const orderKeys = order.map(keyOf);
  const ranked = list.map((x, i) => ({ x, i, r: orderKeys.indexOf(keyOf(x)) }));
  ranked.sort((a, b) => {
    const ar = a.r < 0 ? Infinity : a.r;
    const br = b.r < 0 ? Infinity : b.r;
    return ar === br ? a.i - b.i : ar - br;
  });
  return ranked.map((e) => e.x);
}

function withoutKey(o: Record<string, Json>, k: string) {
  const { [k]: _omit, ...rest } = o;
  return rest;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => !(isObject(x) && x.$patch === 'delete')).map(stripDirectives);
  if (isObject(v)) {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/') || k.startsWith('$deleteFromPrimitiveList/')) continue;
      if (x === null) continue;
      out[k] = stripDirectives(x);
    }
    return out;
  }
  return v;
}

function equal(a: Json, b: Json): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

// ---------------------------------------------------------------- server-side apply

/**
 * The apply patch of `kubectl apply --server-side`, without field managers: the applied
 * configuration is merged into the live object with strategic-merge semantics (lists merged by
 * key), and fields this manager applied last time but no longer applies are removed.
 */
export function applyApplyPatch(live: Json, applied: Json, model: string | undefined, lastApplied?: Json): Json {
  if (!isObject(applied)) throw new PatchError('apply patch must be an object', 400);
  let base = isObject(live) ? live : {};
  if (isObject(lastApplied)) base = removeDropped(base, lastApplied, applied, model);
  return mergeMap(base, applied, model);
}

/** Removes from `live` what `before` set and `after` no longer sets. */
function removeDropped(live: Record<string, Json>, before: Record<string, Json>, after: Record<string, Json>, model: string | undefined): Record<string, Json> {
  const fields = model ? fieldsOf(model) : undefined;
  const out = clone(live);
  for (const [k, b] of Object.entries(before)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'status') continue;
    const a = after[k];
    if (a === undefined) {
      delete out[k];
      continue;
    }
    const field = fields?.get(k);
    if (isObject(b) && isObject(a) && isObject(out[k])) {
      if (field?.kind === 'map') {
        for (const key of Object.keys(b)) if (!(key in a)) delete out[k][key];
      } else {
        out[k] = removeDropped(out[k], b, a, field?.kind === 'model' ? field.model : undefined);
      }
    } else if (Array.isArray(b) && Array.isArray(a) && Array.isArray(out[k]) && field?.kind === 'array' && field.patchMergeKey) {
      const key = field.patchMergeKey;
      const itemModel = field.items.kind === 'model' ? field.items.model : undefined;
      out[k] = out[k]
        .filter((x: Json) => !(isObject(x) && b.some((y) => isObject(y) && equal(y[key], x[key])) && !a.some((y) => isObject(y) && equal(y[key], x[key]))))
        .map((x: Json) => {
          const bi = b.find((y) => isObject(y) && isObject(x) && equal(y[key], x[key]));
          const ai = a.find((y) => isObject(y) && isObject(x) && equal(y[key], x[key]));
          return isObject(bi) && isObject(ai) ? removeDropped(x, bi, ai, itemModel) : x;
        });
    }
  }
  return out;
}
