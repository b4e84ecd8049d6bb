import { describe, expect, it } from 'vitest';
import { compileSelectors, parseLabelSelector, Store, StoreError, type KubeObject, type WatchEvent } from '@/sim/store';
import { LogBook } from '@/sim/logs';

const deployment = (name: string, labels: Record<string, string> = { app: name }, replicas = 1): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ns', labels },
  spec: { replicas, selector: { matchLabels: labels } },
});

describe('Store', () => {
  it('assigns uid, creationTimestamp, generation and one increasing resourceVersion across resources', () => {
    const s = new Store();
    const a = s.create('deployments', deployment('a'));
    const cm = s.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' }, data: { k: 'v' } });
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(a.metadata.generation).toBe(1);
    expect(cm.metadata.generation).toBeUndefined();
    expect(Number(cm.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(s.currentResourceVersion()).toBe(cm.metadata.resourceVersion);
  });

  it('refuses a duplicate name with 409 AlreadyExists', () => {
    const s = new Store();
    s.create('deployments', deployment('a'));
    expect(() => s.create('deployments', deployment('a'))).toThrow(expect.objectContaining({ code: 409, reason: 'AlreadyExists' }));
  });

  it('returns copies: changing a returned object does not change the store', () => {
    const s = new Store();
    s.create('deployments', deployment('a'));
    const got = s.get('deployments', 'ns', 'a')!;
    got.spec.replicas = 9;
    expect(s.get('deployments', 'ns', 'a')!.spec.replicas).toBe(1);
  });

  it('bumps generation on spec changes only, keeps status on update, and conflicts on a stale resourceVersion', () => {
    const s = new Store();
    const a = s.create('deployments', deployment('a'));
    const withStatus = s.updateStatus('deployments', { ...a, status: { replicas: 1 } });
    expect(withStatus.metadata.generation).toBe(1);
    const labelled = s.update('deployments', { ...withStatus, metadata: { ...withStatus.metadata, labels: { app: 'a', x: 'y' } }, status: undefined });
    expect(labelled.metadata.generation).toBe(1);
    expect(labelled.status).toEqual({ replicas: 1 });
    const scaled = s.update('deployments', { ...labelled, spec: { ...labelled.spec, replicas: 3 } });
    expect(scaled.metadata.generation).toBe(2);
    let err: unknown;
    try {
      s.update('deployments', { ...labelled, spec: { ...labelled.spec, replicas: 5 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(s.get('deployments', 'ns', 'a')!.spec.replicas).toBe(3);
  });

  it('does not write (no new resourceVersion, no event) when nothing changed', () => {
    const s = new Store();
    const a = s.create('deployments', deployment('a'));
    const events: WatchEvent[] = [];
    s.watch('deployments', { resourceVersion: s.currentResourceVersion() }, (e) => events.push(e));
    const same = s.update('deployments', a);
    expect(same.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    expect(events).toEqual([]);
  });

  it('lists by namespace, label selector and field selector, sorted by name', () => {
    const s = new Store();
    s.create('deployments', deployment('b', { app: 'b', tier: 'web' }));
    s.create('deployments', deployment('a', { app: 'a', tier: 'web' }));
    s.create('deployments', { ...deployment('c', { app: 'c' }), metadata: { name: 'c', namespace: 'other', labels: { app: 'c' } } });
    expect(s.list('deployments').items.map((d) => d.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(s.list('deployments', { namespace: 'ns' }).items.map((d) => d.metadata.name)).toEqual(['a', 'b']);
    expect(s.list('deployments', { labelSelector: 'tier=web,app!=a' }).items.map((d) => d.metadata.name)).toEqual(['b']);
    expect(s.list('deployments', { labelSelector: '!tier' }).items.map((d) => d.metadata.name)).toEqual(['c']);
    expect(s.list('deployments', { namespace: 'ns', fieldSelector: 'metadata.name=b' }).items.map((d) => d.metadata.name)).toEqual(['b']);
    expect(s.list('deployments', { fieldSelector: 'metadata.namespace!=ns' }).items.map((d) => d.metadata.name)).toEqual(['c']);
  });

  it('replays changes after a resourceVersion, then streams new ones in order', () => {
    const s = new Store();
    const a = s.create('deployments', deployment('a'));
    const from = a.metadata.resourceVersion!;
    s.update('deployments', { ...a, spec: { ...a.spec, replicas: 2 } });
    s.delete('deployments', 'ns', 'a');
    const seen: string[] = [];
    s.watch('deployments', { resourceVersion: from }, (e) => seen.push(`${e.type}:${e.object.metadata.resourceVersion}`));
    s.create('deployments', deployment('b'));
    expect(seen.map((x) => x.split(':')[0])).toEqual(['MODIFIED', 'DELETED', 'ADDED']);
    const rvs = seen.map((x) => Number(x.split(':')[1]));
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
  });

  it('sends ADDED for existing objects to a watch without resourceVersion', () => {
    const s = new Store();
    s.create('deployments', deployment('a'));
    const seen: string[] = [];
    s.watch('deployments', {}, (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    expect(seen).toEqual(['ADDED a']);
  });

  it('answers 410 Expired when the history no longer reaches the resourceVersion', () => {
    const s = new Store({ historyLimit: 3 });
    const a = s.create('deployments', deployment('a'));
    for (let i = 2; i < 8; i++) s.update('deployments', { ...s.get('deployments', 'ns', 'a')!, spec: { ...a.spec, replicas: i } });
    expect(() => s.watch('deployments', { resourceVersion: a.metadata.resourceVersion }, () => {})).toThrow(expect.objectContaining({ code: 410, reason: 'Expired' }));
  });

  it('tells a selector watch ADDED when an object starts matching and DELETED when it stops', () => {
    const s = new Store();
    const a = s.create('deployments', deployment('a', { app: 'a' }));
    const seen: string[] = [];
    s.watch('deployments', { labelSelector: 'track=canary', resourceVersion: s.currentResourceVersion() }, (e) => seen.push(e.type));
    const b = s.update('deployments', { ...a, metadata: { ...a.metadata, labels: { app: 'a', track: 'canary' } } });
    s.update('deployments', { ...b, metadata: { ...b.metadata, labels: { app: 'a' } } });
    expect(seen).toEqual(['ADDED', 'DELETED']);
  });

  it('delivers nested writes from a subscriber after the current change, keeping order', () => {
    const s = new Store();
    const order: string[] = [];
    s.subscribe((resource, e) => {
      order.push(`${resource} ${e.type} ${e.object.metadata.name}`);
      if (resource === 'deployments' && e.type === 'ADDED') {
        s.create('replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `${e.object.metadata.name}-rs`, namespace: 'ns' }, spec: {} });
      }
    });
    const watched: number[] = [];
    s.watch('replicasets', { resourceVersion: '0' }, (e) => watched.push(Number(e.object.metadata.resourceVersion)));
    s.create('deployments', deployment('a'));
    s.create('deployments', deployment('b'));
    expect(order).toEqual(['deployments ADDED a', 'replicasets ADDED a-rs', 'deployments ADDED b', 'replicasets ADDED b-rs']);
    expect(watched).toHaveLength(2);
  });

  it('keeps namespaces cluster-scoped and generates names from generateName', () => {
    const s = new Store();
    const ns = s.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', namespace: 'ignored' } });
    expect(ns.metadata.namespace).toBeUndefined();
    const pod = s.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', generateName: 'web-', namespace: 'x' }, spec: {} });
    expect(pod.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  const matches = (sel: string) => compileSelectors(sel).test({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels } });

  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app in (web, api)', true],
    ['app notin (web)', false],
    ['env notin (dev,staging)', true],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!tier', false],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['missing!=x', true],
    ['', true],
  ])('%s → %s', (sel, want) => {
    expect(matches(sel)).toBe(want);
  });

  it('rejects malformed selectors with a 400', () => {
    expect(() => parseLabelSelector('app in (web')).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => parseLabelSelector('app=web,,')).toThrow();
    expect(() => parseLabelSelector('=x')).toThrow();
  });

  it('selects events by involvedObject fields', () => {
    const m = compileSelectors(undefined, 'involvedObject.kind=Deployment,involvedObject.name=orchestrator');
    const ev = (kind: string, name: string) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind, name } });
    expect(m.test(ev('Deployment', 'orchestrator'))).toBe(true);
    expect(m.test(ev('Pod', 'orchestrator'))).toBe(false);
  });
});

describe('LogBook', () => {
  it('reads the tail, with kubelet timestamps when asked, and follows new lines', () => {
    const logs = new LogBook();
    const t0 = new Date('2026-01-01T00:00:00.123Z');
    for (let i = 1; i <= 5; i++) logs.append('ns', 'p', 'c', `line ${i}`, new Date(t0.getTime() + i * 1000));
    expect(logs.read('ns', 'p', 'c', { tailLines: 2 })).toBe('line 4\nline 5\n');
    expect(logs.read('ns', 'p', 'c', { tailLines: 1, timestamps: true })).toBe('2026-01-01T00:00:05.123000000Z line 5\n');
    const got: string[] = [];
    const stop = logs.follow('ns', 'p', 'c', { tailLines: 1 }, (l) => got.push(l));
    logs.append('ns', 'p', 'c', 'line 6');
    stop();
    logs.append('ns', 'p', 'c', 'line 7');
    expect(got).toEqual(['line 5\n', 'line 6\n']);
    expect(logs.read('ns', 'other', 'c')).toBe('');
  });
});
