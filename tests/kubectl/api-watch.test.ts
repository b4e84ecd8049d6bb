/**
 * Streaming against the simulated API: `kubectl get -w`, raw watches (replay from a
 * resourceVersion, bookmarks, timeoutSeconds), pod logs, and the /_sim test controls.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- watch events and kubectl output are arbitrary Kubernetes JSON */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, KUBECTL_OLD, kubectl, startSim, type TestSim } from '../support/sim';

const NS = ['-n', 'llm-orchestrator'];

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Reads newline-delimited JSON watch events until `stop` says enough (or the stream ends). */
async function readEvents(url: string, stop: (events: any[]) => boolean, init?: RequestInit): Promise<{ events: any[]; status: number; contentType: string | null }> {
  const ac = new AbortController();
  const res = await fetch(url, { ...init, signal: ac.signal });
  const events: any[] = [];
  const reader = res.body!.getReader();
  let buf = '';
  const timer = setTimeout(() => ac.abort(), 15_000);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buf += Buffer.from(value).toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
      if (stop(events)) break;
    }
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return { events, status: res.status, contentType: res.headers.get('content-type') };
}

describe('watches, logs and test controls', () => {
  let sim: TestSim;
  const post = (path: string, body: unknown) =>
    fetch(sim.apiUrl + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    sim = await startSim({ speed: 20, bookmarkIntervalMs: 200 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it.each([KUBECTL, KUBECTL_OLD])('kubectl %s get -w prints a change as it happens', async (bin) => {
    const name = `watched-${bin.length}`;
    let out = '';
    const watch = kubectl(sim, ['get', 'configmaps', '-w', ...NS], { bin, onStdout: (c) => (out += c) });
    await until('the initial list', () => out.includes('orchestrator-config'));
    await kubectl(sim, ['create', 'configmap', name, '--from-literal=a=b', ...NS], { bin });
    await until(`${name} in the watch output`, () => new RegExp(`^${name}\\s+1\\s+\\S+$`, 'm').test(out));
    watch.kill();
    await watch;
    expect(out.match(/^NAME\s+DATA\s+AGE$/gm)).toHaveLength(1);
  });

  it('kubectl get pods -w shows a deleted pod terminating', async () => {
    let out = '';
    const watch = kubectl(sim, ['get', 'pods', '-w', ...NS], { onStdout: (c) => (out += c) });
    await until('the initial list', () => out.includes('postgres-0'));
    await kubectl(sim, ['delete', 'pod', 'postgres-0', '--wait=false', ...NS]);
    await until('postgres-0 Terminating', () => /^postgres-0\s+\d\/1\s+Terminating/m.test(out));
    watch.kill();
    await watch;
  });

  it('replays changes after a resourceVersion, flushes headers at once and sends bookmarks', async () => {
    const list = await (await fetch(`${sim.apiUrl}/api/v1/namespaces/llm-orchestrator/configmaps`)).json();
    const rv = list.metadata.resourceVersion;
    await kubectl(sim, ['create', 'configmap', 'replayed', '--from-literal=a=b', ...NS]);
    await kubectl(sim, ['label', 'configmap', 'replayed', 'x=y', ...NS]);
    const { events, status, contentType } = await readEvents(
      `${sim.apiUrl}/api/v1/namespaces/llm-orchestrator/configmaps?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dreplayed`,
      (ev) => ev.some((e) => e.type === 'BOOKMARK'),
    );
    expect(status).toBe(200);
    expect(contentType).toContain('application/json');
    expect(events.filter((e) => e.type !== 'BOOKMARK').map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(events[1].object.metadata.labels).toEqual({ x: 'y' });
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(events[1].object.metadata.resourceVersion));
  });

  it('ends a watch after timeoutSeconds', async () => {
    const started = Date.now();
    const { events, status } = await readEvents(`${sim.apiUrl}/api/v1/namespaces?watch=true&timeoutSeconds=1&resourceVersion=${1e9}`, () => false);
    expect(status).toBe(200);
    expect(events).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('serves pod logs with tail and timestamps, and refuses an unknown container', async () => {
    const pods = JSON.parse((await kubectl(sim, ['get', 'pods', '-l', 'app=orchestrator', '-o', 'json', ...NS])).stdout).items;
    const pod = pods[0].metadata.name;
    const text = await until('some log lines', async () => {
      const r = await kubectl(sim, ['logs', pod, '--tail=3', '--timestamps', ...NS]);
      return r.stdout.trim().split('\n').length === 3 && r.stdout;
    });
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
    const byLabel = await kubectl(sim, ['logs', '-l', 'app=orchestrator', '--tail=1', ...NS]);
    expect(byLabel.code).toBe(0);
    expect(byLabel.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(1);
    const wrong = await kubectl(sim, ['logs', pod, '-c', 'nope', ...NS]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`container nope is not valid for pod ${pod}`);
  });

  it('runs kubectl exec psql in the database pod against the application database (WebSocket exec)', async () => {
    const count = await kubectl(sim, ['exec', ...NS, 'postgres-0', '--', 'psql', '-U', 'orchestrator', '-d', 'orchestrator', '-t', '-c', 'SELECT 6*7;']);
    expect(count.stderr).toBe('');
    expect(count.code).toBe(0);
    expect(count.stdout.trim()).toBe('42');
    const piped = await kubectl(sim, ['exec', '-i', ...NS, 'postgres-0', '--', 'psql', '-U', 'orchestrator', 'orchestrator', '-t'], { input: 'SELECT 1+1;\n' });
    expect(piped.stdout.trim()).toBe('2');
    const failing = await kubectl(sim, ['exec', ...NS, 'postgres-0', '--', 'psql', '-c', 'SELECT nope']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('column "nope" does not exist');
    const pods = JSON.parse((await kubectl(sim, ['get', 'pods', '-l', 'app=orchestrator', '-o', 'json', ...NS])).stdout).items;
    const refused = await kubectl(sim, ['exec', ...NS, pods[0].metadata.name, '--', 'ls']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('exec is simulated only for the database pod');
  });

  it('counts requests by verb, resource, user agent and impersonated user', async () => {
    await post('/_sim/requests/reset', {});
    await kubectl(sim, ['get', 'deployments', ...NS]);
    await kubectl(sim, ['get', 'namespaces', '--as=alice@example.com', '--as-group=sre']);
    const stats = await (await fetch(`${sim.apiUrl}/_sim/requests`)).json();
    expect(stats.byVerb.list).toBeGreaterThanOrEqual(2);
    expect(stats.byResource.deployments).toBeGreaterThanOrEqual(1);
    expect(Object.keys(stats.byUserAgent).some((ua) => ua.startsWith('kubectl/'))).toBe(true);
    expect(stats.byImpersonatedUser['alice@example.com']).toBeGreaterThanOrEqual(1);
    expect(stats.recent.some((r: any) => r.impersonateGroups?.includes('sre'))).toBe(true);
  });

  it('injects faults: a status, then a dropped connection, each for the next matching request only', async () => {
    const path = '/apis/apps/v1/namespaces/llm-orchestrator/deployments/orchestrator';
    expect((await post('/_sim/faults', { pathPrefix: path, verb: 'get', count: 1, status: 503 })).status).toBe(201);
    const failed = await kubectl(sim, ['get', 'deployment', 'orchestrator', ...NS]);
    expect(failed.code).not.toBe(0);
    expect((await kubectl(sim, ['get', 'deployment', 'orchestrator', ...NS])).code).toBe(0);
    await post('/_sim/faults', { pathRegex: '/deployments/orchestrator$', count: 1, drop: true });
    await expect(fetch(sim.apiUrl + path)).rejects.toThrow();
    expect((await fetch(sim.apiUrl + path)).status).toBe(200);
    expect((await post('/_sim/faults', { count: 1 })).status).toBe(400);
  });

  it('answers bad input with Status errors and keeps serving', async () => {
    const cm = `${sim.apiUrl}/api/v1/namespaces/llm-orchestrator/configmaps`;
    const bad = await fetch(cm, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    const wrongPatch = await fetch(`${cm}/orchestrator-config`, { method: 'PATCH', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    expect(wrongPatch.status).toBe(415);
    const wrongKind = await fetch(cm, { method: 'POST', body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }) });
    expect(wrongKind.status).toBe(400);
    const badMethod = await fetch(`${sim.apiUrl}/version`, { method: 'DELETE' });
    expect(badMethod.status).toBe(405);
    const huge = await fetch(cm, { method: 'POST', body: JSON.stringify({ metadata: { name: 'x'.repeat(300) } }) });
    expect(huge.status).toBe(422);
    expect((await fetch(`${sim.apiUrl}/api/v1/pods?labelSelector=a%20in%20(`)).status).toBe(400);
    expect((await fetch(`${sim.apiUrl}/api/v1/pods?fieldSelector=%3D%3D`)).status).toBe(400);
    expect((await fetch(`${sim.apiUrl}/api/v1/namespaces/%ZZ/pods`)).status).toBe(400);
    expect((await fetch(`${sim.apiUrl}/version`)).status).toBe(200);
  });

  it('resets to another scenario through /_sim/reset', async () => {
    await kubectl(sim, ['create', 'configmap', 'before-reset', '--from-literal=a=b', ...NS]);
    const r = await post('/_sim/reset', { scenario: 'healthy' });
    expect(r.status).toBe(200);
    const missing = await kubectl(sim, ['get', 'configmap', 'before-reset', ...NS]);
    expect(missing.stderr).toContain('not found');
    const image = await kubectl(sim, ['get', 'deploy', 'orchestrator', '-o', 'jsonpath={.spec.template.spec.containers[0].image}', ...NS]);
    expect(image.stdout).toMatch(/:v0\.1\.1$/);
  });
});
