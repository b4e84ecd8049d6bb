/**
 * The one resource store of the simulated cluster: every object of every resource, one global
 * monotonically increasing resourceVersion, a bounded history of changes that watches replay from,
 * and label/field selectors. The HTTP API (sim/api) and the controllers (sim/controllers) both
 * read and write through it, so what kubectl sees is exactly what the controllers wrote.
 *
 * Objects held by the store are deep-frozen. `get`/`list`/`create`/`update` return deep copies the
 * caller may mutate; `watch` callbacks receive the frozen stored object (read-only, shared by all
 * watchers so an HTTP watch serialises it once); `subscribe` callbacks receive a copy.
 *
 * Deletion here is immediate. Graceful pod deletion is the API layer's job: it sets
 * `metadata.deletionTimestamp` + `deletionGracePeriodSeconds` with `update`, and the pod
 * controller calls `delete` once the pod has stopped.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- objects are arbitrary Kubernetes JSON (the KubeObject contract) */
import { randomUUID } from 'node:crypto';

export type OwnerReference = {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
};
export type ObjectMeta = {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [k: string]: any;
};
export type KubeObject = { apiVersion: string; kind: string; metadata: ObjectMeta; [k: string]: any };
export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: KubeObject };
export type ListOptions = { namespace?: string; labelSelector?: string; fieldSelector?: string };

export class StoreError extends Error {
  constructor(
    public code: 404 | 409 | 410 | 422 | 400,
    public reason: 'NotFound' | 'Conflict' | 'AlreadyExists' | 'Invalid' | 'Expired' | 'BadRequest',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Resources that live outside namespaces. Everything else is namespaced. */
export const CLUSTER_SCOPED = new Set(['namespaces', 'nodes']);

/** A compiled selector: a predicate on an object, plus the exact name when the selector pins it. */
export type Matcher = { test: (o: KubeObject) => boolean; name?: string };

type Change = { rv: number; resource: string; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject; old?: KubeObject };
type Watcher = { namespace?: string; match: Matcher; onEvent: (e: WatchEvent) => void };

const HISTORY_LIMIT = 4096;

export class Store {
  /** resource → "namespace/name" (or "name" when cluster-scoped) → frozen object */
  private objects = new Map<string, Map<string, KubeObject>>();
  /** resource → namespace → set of keys, so a namespaced list does not scan the whole resource */
  private byNamespace = new Map<string, Map<string, Set<string>>>();
  /** Sorted key lists per resource and namespace ('' = all), dropped on create/delete. */
  private sorted = new Map<string, string[]>();
  private rv = 0;
  private history: Change[] = [];
  private watchers = new Map<string, Set<Watcher>>();
  private subscribers = new Set<(resource: string, e: WatchEvent) => void>();
  private queue: Change[] = [];
  private dispatching = false;

  constructor(private options: { historyLimit?: number; now?: () => Date } = {}) {}

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  currentResourceVersion(): string {
    return String(this.rv);
  }

  /** Drops every object and watcher registration's backlog; watchers and subscribers stay. */
  clear(): void {
    for (const [resource, map] of this.objects) {
      for (const obj of [...map.values()]) this.delete(resource, obj.metadata.namespace, obj.metadata.name);
    }
  }

  /** Names of resources that currently hold objects. */
  resources(): string[] {
    return [...this.objects.keys()];
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.objects.get(resource)?.get(key(resource, namespace, name));
    return o ? clone(o) : undefined;
  }

  /** The frozen stored object, without copying: for read-only hot paths (watch filters, tables). */
  peek(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(key(resource, namespace, name));
  }

  list(resource: string, opts: ListOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    return { items: this.listFrozen(resource, opts).map(clone), resourceVersion: String(this.rv) };
  }

  /** Like list, but the items are the frozen stored objects (do not mutate). */
  listFrozen(resource: string, opts: ListOptions = {}): KubeObject[] {
    const match = compileSelectors(opts.labelSelector, opts.fieldSelector);
    const map = this.objects.get(resource);
    if (!map) return [];
    const ns = CLUSTER_SCOPED.has(resource) ? undefined : opts.namespace || undefined;
    if (match.name !== undefined && (ns !== undefined || CLUSTER_SCOPED.has(resource))) {
      const o = map.get(key(resource, ns, match.name));
      return o && match.test(o) ? [o] : [];
    }
    const out: KubeObject[] = [];
    for (const k of this.sortedKeys(resource, ns)) {
      const o = map.get(k);
      if (o && match.test(o)) out.push(o);
    }
    return out;
  }

  /** Keys in (namespace, name) order, cached until an object is created or deleted. */
  private sortedKeys(resource: string, namespace: string | undefined): string[] {
    const cacheKey = `${resource}\u0000${namespace ?? ''}`;
    let keys = this.sorted.get(cacheKey);
    if (!keys) {
      const source =
        namespace !== undefined ? [...(this.byNamespace.get(resource)?.get(namespace) ?? [])] : [...(this.objects.get(resource)?.keys() ?? [])];
      const map = this.objects.get(resource);
      keys = source.sort((a, b) => byNamespaceAndName(map!.get(a)!, map!.get(b)!));
      this.sorted.set(cacheKey, keys);
    }
    return keys;
  }

  create(resource: string, obj: KubeObject): KubeObject {
    const o = clone(obj);
    o.metadata = o.metadata ?? ({} as ObjectMeta);
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = o.metadata.generateName + randomSuffix();
    if (!o.metadata.name) throw new StoreError(422, 'Invalid', `${resource} "": name or generateName is required`);
    if (CLUSTER_SCOPED.has(resource)) delete o.metadata.namespace;
    else if (!o.metadata.namespace) o.metadata.namespace = 'default';
    const k = key(resource, o.metadata.namespace, o.metadata.name);
    const map = this.mapFor(resource);
    if (map.has(k)) throw new StoreError(409, 'AlreadyExists', `${resource} "${o.metadata.name}" already exists`);
    o.metadata.uid = randomUUID();
    o.metadata.creationTimestamp = isoSeconds(this.now());
    o.metadata.resourceVersion = String(++this.rv);
    if ('spec' in o) o.metadata.generation = 1;
    else delete o.metadata.generation;
    delete o.metadata.deletionTimestamp;
    const frozen = deepFreeze(o);
    map.set(k, frozen);
    this.index(resource, frozen.metadata.namespace, k, true);
    this.emit({ rv: this.rv, resource, type: 'ADDED', object: frozen });
    return clone(frozen);
  }

  /**
   * Replaces the object (status is kept unless the new object carries one). A set but stale
   * `metadata.resourceVersion` is a 409 Conflict; a spec change bumps `metadata.generation`.
   * uid and creationTimestamp cannot be changed.
   */
  update(resource: string, obj: KubeObject): KubeObject {
    return this.write(resource, obj, false);
  }

  /** Replaces only `status`; never bumps generation. */
  updateStatus(resource: string, obj: KubeObject): KubeObject {
    return this.write(resource, obj, true);
  }

  private write(resource: string, obj: KubeObject, statusOnly: boolean): KubeObject {
    const name = obj?.metadata?.name;
    const namespace = CLUSTER_SCOPED.has(resource) ? undefined : obj?.metadata?.namespace || 'default';
    const k = key(resource, namespace, name);
    const map = this.mapFor(resource);
    const old = map.get(k);
    if (!old) throw new StoreError(404, 'NotFound', `${resource} "${name}" not found`);
    const given = obj.metadata.resourceVersion;
    if (given && given !== old.metadata.resourceVersion) {
      throw new StoreError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    let next: KubeObject;
    if (statusOnly) {
      next = clone(old);
      if (obj.status !== undefined) next.status = clone(obj.status);
      else delete next.status;
    } else {
      next = clone(obj);
      if (next.status === undefined && old.status !== undefined) next.status = clone(old.status);
      next.metadata = { ...next.metadata };
      next.metadata.namespace = namespace;
      if (namespace === undefined) delete next.metadata.namespace;
      next.metadata.uid = old.metadata.uid;
      next.metadata.creationTimestamp = old.metadata.creationTimestamp;
      // deletionTimestamp can be set (graceful deletion) but never cleared once set.
      if (old.metadata.deletionTimestamp) next.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
      if (old.metadata.generation !== undefined || 'spec' in next) {
        const gen = old.metadata.generation ?? 1;
        next.metadata.generation = deepEqual(old.spec, next.spec) ? gen : gen + 1;
      }
    }
    // Nothing changed: like the real API server, no new resourceVersion and no watch event.
    const sameAsOld = deepEqual({ ...next, metadata: { ...next.metadata, resourceVersion: undefined } }, { ...old, metadata: { ...old.metadata, resourceVersion: undefined } });
    if (sameAsOld) return clone(old);
    next.metadata.resourceVersion = String(++this.rv);
    const frozen = deepFreeze(next);
    map.set(k, frozen);
    this.emit({ rv: this.rv, resource, type: 'MODIFIED', object: frozen, old });
    return clone(frozen);
  }

  delete(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const ns = CLUSTER_SCOPED.has(resource) ? undefined : namespace || 'default';
    const k = key(resource, ns, name);
    const map = this.objects.get(resource);
    const old = map?.get(k);
    if (!map || !old) return undefined;
    map.delete(k);
    this.index(resource, ns, k, false);
    // The DELETED event carries the object at a new resourceVersion, as the real server does.
    const gone = deepFreeze({ ...clone(old), metadata: { ...clone(old.metadata), resourceVersion: String(++this.rv) } });
    this.emit({ rv: this.rv, resource, type: 'DELETED', object: gone, old });
    return clone(gone);
  }

  /**
   * Calls onEvent for each change of `resource` matching opts. Without a resourceVersion (or "0")
   * it first sends ADDED for every current match; with one, it replays the recorded changes after
   * it, or throws a 410 Expired StoreError when the history no longer reaches back that far.
   * Objects passed to onEvent are frozen and shared: do not mutate them.
   */
  watch(resource: string, opts: ListOptions & { resourceVersion?: string }, onEvent: (e: WatchEvent) => void): () => void {
    const match = compileSelectors(opts.labelSelector, opts.fieldSelector);
    const namespace = CLUSTER_SCOPED.has(resource) ? undefined : opts.namespace || undefined;
    const watcher: Watcher = { namespace, match, onEvent };
    const from = opts.resourceVersion;
    if (from === undefined || from === '' || from === '0') {
      for (const o of this.listFrozen(resource, { namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector })) {
        onEvent({ type: 'ADDED', object: o });
      }
    } else {
      const since = Number(from);
      if (!Number.isInteger(since) || since < 0) throw new StoreError(400, 'BadRequest', `invalid resource version "${from}"`);
      const oldest = this.history[0]?.rv ?? this.rv + 1;
      if (since < oldest - 1 && since < this.rv) {
        throw new StoreError(410, 'Expired', `too old resource version: ${since} (${oldest - 1})`);
      }
      for (const c of this.history) if (c.rv > since && c.resource === resource) deliver(watcher, c);
    }
    let set = this.watchers.get(resource);
    if (!set) this.watchers.set(resource, (set = new Set()));
    set.add(watcher);
    return () => {
      set!.delete(watcher);
    };
  }

  /** Every change of every resource, in order, for the controllers. Objects are copies. */
  subscribe(onChange: (resource: string, e: WatchEvent) => void): () => void {
    this.subscribers.add(onChange);
    return () => {
      this.subscribers.delete(onChange);
    };
  }

  /** Number of open watches (for /_sim and benchmarks). */
  watchCount(): number {
    let n = 0;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }

  private mapFor(resource: string): Map<string, KubeObject> {
    let m = this.objects.get(resource);
    if (!m) this.objects.set(resource, (m = new Map()));
    return m;
  }

  private index(resource: string, namespace: string | undefined, k: string, add: boolean) {
    this.sorted.delete(`${resource}\u0000`);
    if (namespace === undefined) return;
    this.sorted.delete(`${resource}\u0000${namespace}`);
    let byNs = this.byNamespace.get(resource);
    if (!byNs) this.byNamespace.set(resource, (byNs = new Map()));
    let keys = byNs.get(namespace);
    if (!keys) byNs.set(namespace, (keys = new Set()));
    if (add) keys.add(k);
    else keys.delete(k);
  }

  /**
   * Records and delivers a change. Delivery is serialised through a queue: a callback that writes
   * to the store does not get its change delivered before the current one reached everyone, so
   * every watcher sees resourceVersions in increasing order.
   */
  private emit(c: Change) {
    this.history.push(c);
    const limit = this.options.historyLimit ?? HISTORY_LIMIT;
    if (this.history.length > limit) this.history.splice(0, this.history.length - limit);
    this.queue.push(c);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (this.queue.length) {
        const next = this.queue.shift()!;
        for (const w of [...(this.watchers.get(next.resource) ?? [])]) {
          try {
            deliver(w, next);
          } catch {
            // A failing watcher must not stop the others.
          }
        }
        if (this.subscribers.size) {
          for (const s of [...this.subscribers]) {
            try {
              s(next.resource, { type: next.type, object: clone(next.object) });
            } catch (err) {
              console.error('[sim] store subscriber failed:', err);
            }
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
  }
}

/**
 * Sends a change to a watcher the way the real watch cache does with selectors: an object that
 * starts matching is ADDED, one that stops matching is DELETED.
 */
function deliver(w: Watcher, c: Change) {
  const inNs = (o: KubeObject | undefined) => !!o && (w.namespace === undefined || o.metadata.namespace === w.namespace);
  const now = inNs(c.object) && w.match.test(c.object);
  if (c.type === 'MODIFIED') {
    const before = inNs(c.old) && w.match.test(c.old!);
    if (now && before) w.onEvent({ type: 'MODIFIED', object: c.object });
    else if (now) w.onEvent({ type: 'ADDED', object: c.object });
    else if (before) w.onEvent({ type: 'DELETED', object: c.object });
    return;
  }
  if (now) w.onEvent({ type: c.type, object: c.object });
}

function key(resource: string, namespace: string | undefined, name: string): string {
  return CLUSTER_SCOPED.has(resource) ? name : `${namespace || 'default'}/${name}`;
}

function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += ALNUM[Math.floor(Math.random() * ALNUM.length)];
  return s;
}

/** RFC 3339 without fractional seconds, as Kubernetes timestamps are. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Deep copy of a JSON value (several times faster than structuredClone on small objects). */
export function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = clone((v as Record<string, unknown>)[k]);
  return out as T;
}

/** Structural equality of JSON values, ignoring key order; `skip` names top-level-of-metadata keys to ignore. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ak = Object.keys(a).filter((k) => (a as any)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as any)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!deepEqual((a as any)[k], (b as any)[k])) return false;
  return true;
}

export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as any)[k]);
  }
  return v;
}

/** JSON with object keys sorted, so two structurally equal values compare equal as strings. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val).sort().map((k) => [k, val[k]]))
      : val,
  ) ?? 'undefined';
}

// ---------------------------------------------------------------- selectors

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!' };

/**
 * Parses a label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * comma-separated (AND).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
export function parseLabelSelector(selector: string): Requirement[] {
  const reqs: Requirement[] = [];
  const s = selector.trim();
  if (!s) return reqs;
  let i = 0;
  const fail = (why: string): never => {
    throw new StoreError(400, 'BadRequest', `unable to parse requirement: ${why} in label selector "${selector}"`);
  };
  const skipWs = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const readKey = () => {
    skipWs();
    const m = /^[A-Za-z0-9_./-]+/.exec(s.slice(i));
    if (!m) fail('missing key');
    i += m![0].length;
    return m![0];
  };
  const readValue = () => {
    skipWs();
    const m = /^[A-Za-z0-9_.-]*/.exec(s.slice(i))!;
    i += m[0].length;
    return m[0];
  };
  while (i < s.length) {
    skipWs();
    if (s[i] === '!') {
      i++;
      reqs.push({ key: readKey(), op: '!' });
    } else {
      const k = readKey();
      skipWs();
      const rest = s.slice(i);
      if (rest.startsWith('==')) {
        i += 2;
        reqs.push({ key: k, op: 'in', values: [readValue()] });
      } else if (rest.startsWith('!=')) {
        i += 2;
        reqs.push({ key: k, op: 'notin', values: [readValue()] });
      } else if (rest.startsWith('=')) {
        i += 1;
        reqs.push({ key: k, op: 'in', values: [readValue()] });
      } else if (/^(in|notin)\s*\(/.test(rest)) {
        const op = rest.startsWith('in') ? 'in' : 'notin';
        i += op.length;
        skipWs();
        i++; // (
        const close = s.indexOf(')', i);
        if (close < 0) fail('missing )');
        const values = s.slice(i, close).split(',').map((v) => v.trim());
        if (values.some((v) => !/^[A-Za-z0-9_.-]*$/.test(v))) fail('invalid value');
        i = close + 1;
        reqs.push({ key: k, op, values });
      } else if (rest === '' || rest.startsWith(',')) {
        reqs.push({ key: k, op: 'exists' });
      } else {
        fail(`unexpected "${rest[0]}"`);
      }
    }
    skipWs();
    if (i < s.length) {
      if (s[i] !== ',') fail(`expected "," at "${s.slice(i)}"`);
      i++;
    }
  }
  return reqs;
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  for (const r of reqs) {
    const v = labels?.[r.key];
    switch (r.op) {
      case 'in':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (v === undefined) return false;
        break;
      case '!':
        if (v !== undefined) return false;
        break;
    }
  }
  return true;
}

type FieldRequirement = { path: string[]; op: '=' | '!='; value: string };

/**
 * Parses a field selector (`metadata.name=x,involvedObject.kind!=Pod`). Any dotted path is
 * accepted and read from the object, which covers metadata.name/namespace, involvedObject.* of
 * events, status.phase and spec.nodeName of pods.
 */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const part of selector.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const m = /^([A-Za-z0-9_.]+)\s*(==|!=|=)\s*(.*)$/.exec(p);
    if (!m) throw new StoreError(400, 'BadRequest', `invalid field selector: "${p}"`);
    out.push({ path: m[1]!.split('.'), op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() });
  }
  return out;
}

function fieldValue(o: KubeObject, path: string[]): string {
  let v: any = o;
  for (const p of path) v = v?.[p];
  return v === undefined || v === null ? '' : String(v);
}

/** Compiles label and field selectors into one predicate; remembers a pinned metadata.name. */
export function compileSelectors(labelSelector?: string, fieldSelector?: string): Matcher {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : [];
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : [];
  const pinned = fields.find((f) => f.op === '=' && f.path.length === 2 && f.path[0] === 'metadata' && f.path[1] === 'name');
  return {
    name: pinned?.value,
    test: (o) => {
      if (labels.length && !matchesLabels(labels, o.metadata.labels)) return false;
      for (const f of fields) {
        const v = fieldValue(o, f.path);
        if (f.op === '=' ? v !== f.value : v === f.value) return false;
      }
      return true;
    },
  };
}
