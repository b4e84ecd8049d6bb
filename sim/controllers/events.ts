/**
 * Records core/v1 Events the way client-go's recorder does: one Event per (object, type, reason,
 * message), its `count` and `lastTimestamp` bumped on repeats, so `kubectl describe` prints
 * "(x5 over 3m)". Old events are pruned to keep a long demo small.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
 */
import type { KubeObject, Store } from '../store';
import { StoreError } from '../store';
import { nowIso, randomHex } from './util';

const MAX_EVENTS = 1500;

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  /** aggregation key → event name */
  private names = new Map<string, { ns: string; name: string }>();

  /**
   * Events already in the store (a scenario's history) are indexed once, here: looking them up per
   * new event listed and sorted every event of the namespace, which made 5,000 pods quadratic.
   * Controllers, and so this recorder, are created anew after every scenario load.
   */
  constructor(private store: Store, private now: () => number = Date.now) {
    for (const e of store.listFrozen('events')) {
      const key = `${e.involvedObject?.uid}|${e.type}|${e.reason}|${e.message}|${e.source?.component}`;
      this.names.set(key, { ns: e.metadata.namespace ?? 'default', name: e.metadata.name });
    }
  }

  record(obj: KubeObject, type: EventType, reason: string, message: string, component: string, host?: string): void {
    const ns = obj.metadata.namespace ?? 'default';
    const k = `${obj.metadata.uid}|${type}|${reason}|${message}|${component}`;
    const ts = nowIso(this.now());
    const known = this.names.get(k);
    if (known) {
      const ev = this.store.get('events', known.ns, known.name);
      if (ev) {
        ev.count = (ev.count ?? 1) + 1;
        ev.lastTimestamp = ts;
        delete ev.metadata.resourceVersion;
        try {
          this.store.update('events', ev);
          return;
        } catch (err) {
          if (!(err instanceof StoreError)) throw err;
        }
      }
      this.names.delete(k);
    }
    const name = `${obj.metadata.name}.${randomHex(16)}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: ns,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        ...(obj.kind === 'Pod' && obj.spec?.containers?.[0] ? { fieldPath: `spec.containers{${obj.spec.containers[0].name}}` } : {}),
      },
      reason,
      message,
      source: host ? { component, host } : { component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: host ?? '',
    };
    try {
      this.store.create('events', event);
      this.names.set(k, { ns, name });
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
    }
    if (this.names.size > MAX_EVENTS) this.prune();
  }

  /** Deletes the oldest recorded events beyond the cap. */
  private prune(): void {
    const excess = this.names.size - Math.floor(MAX_EVENTS * 0.8);
    let i = 0;
    for (const [k, v] of this.names) {
      if (i++ >= excess) break;
      this.store.delete('events', v.ns, v.name);
      this.names.delete(k);
    }
  }
}
