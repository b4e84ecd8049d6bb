import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { resetKubeClientForTests } from '@/lib/k8s/client';
import { createLiveStream } from '@/lib/live/create-live-stream';
import { liveStats, setLiveLinger, stopAllLiveWatches, subscribeLive } from '@/lib/live/subscribe-live';
import type { LiveMessage } from '@/lib/live/types';
import { startSim } from '../support/sim';

const NS = 'llm-orchestrator';
const SELECTOR = 'app=orchestrator';
type Sim = Awaited<ReturnType<typeof startSim>>;

async function until<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('lib/live: one shared watch per (kind, namespace, selector)', () => {
  let sim: Sim;

  beforeAll(async () => {
    sim = await startSim({ scenario: 'bad-release' });
    process.env.KUBECONFIG = sim.kubeconfigPath;
    process.env.KUBE_CONTEXT = 'sim';
    resetEnvForTests();
    resetKubeClientForTests();
    setLiveLinger(200);
  });

  afterAll(async () => {
    stopAllLiveWatches();
    await sim?.stop();
  });

  const consoleRequests = async () => {
    const counts = (await (await fetch(`${sim.apiUrl}/_sim/requests`)).json()) as { byUserAgent: Record<string, number> };
    return Object.entries(counts.byUserAgent)
      .filter(([ua]) => ua.startsWith('rollback-console'))
      .reduce((n, [, c]) => n + c, 0);
  };

  it('many viewers share one list and one watch, and all see a deleted pod', async () => {
    await fetch(`${sim.apiUrl}/_sim/requests/reset`, { method: 'POST' });
    const inboxes: LiveMessage[][] = Array.from({ length: 25 }, () => []);
    const subs = inboxes.map((inbox) => subscribeLive({ kind: 'pods', namespace: NS, selector: SELECTOR, listener: (m) => inbox.push(m) }));
    // Every viewer gets the snapshot with the three orchestrator pods.
    await until(() => inboxes.every((i) => i.some((m) => m.type === 'SNAPSHOT')));
    for (const inbox of inboxes) {
      const snap = inbox.find((m) => m.type === 'SNAPSHOT');
      expect(snap?.type === 'SNAPSHOT' && snap.items.filter((p) => p.metadata?.name?.startsWith('orchestrator-'))).toHaveLength(3);
    }
    expect(liveStats().watches).toBe(1);
    expect(liveStats().subscribers).toBe(25);

    const snap = inboxes[0]!.find((m) => m.type === 'SNAPSHOT');
    const victim = snap?.type === 'SNAPSHOT' ? snap.items[0]!.metadata!.name! : '';
    await fetch(`${sim.apiUrl}/api/v1/namespaces/${NS}/pods/${victim}`, { method: 'DELETE', headers: { 'user-agent': 'test' } });
    await until(() =>
      inboxes.every((i) => i.some((m) => (m.type === 'MODIFIED' || m.type === 'DELETED') && m.object.metadata?.name === victim)),
    );
    // One LIST and one WATCH, whatever the number of viewers.
    expect(await consoleRequests()).toBe(2);

    for (const s of subs) s.unsubscribe();
    // The watch lingers briefly after the last viewer, then stops.
    expect(liveStats().watches).toBe(1);
    await until(() => liveStats().watches === 0);
  });

  it('a viewer arriving later starts from the current snapshot without a new request', async () => {
    await fetch(`${sim.apiUrl}/_sim/requests/reset`, { method: 'POST' });
    const first: LiveMessage[] = [];
    const a = subscribeLive({ kind: 'deployments', namespace: NS, listener: (m) => first.push(m) });
    let b: ReturnType<typeof subscribeLive> | undefined;
    try {
      await until(() => first.some((m) => m.type === 'SNAPSHOT'));
      // The shared watch (LIST, then WATCH) is established before the second viewer comes.
      await until(async () => (await consoleRequests()) >= 2);
      await fetch(`${sim.apiUrl}/_sim/requests/reset`, { method: 'POST' });
      const second: LiveMessage[] = [];
      b = subscribeLive({ kind: 'deployments', namespace: NS, listener: (m) => second.push(m) });
      expect(second[0]?.type).toBe('SNAPSHOT');
      const s = second[0];
      expect(s?.type === 'SNAPSHOT' && s.items.map((d) => d.metadata?.name)).toContain('orchestrator');
      expect(await consoleRequests()).toBe(0);
    } finally {
      a.unsubscribe();
      b?.unsubscribe();
    }
  });

  it('an API-server failure is reported to viewers, then a re-list brings them back to live', async () => {
    // The next two requests for events fail as if the API server were down.
    await fetch(`${sim.apiUrl}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: `/api/v1/namespaces/${NS}/events`, status: 503, count: 2 }),
    });
    const inbox: LiveMessage[] = [];
    const sub = subscribeLive({ kind: 'events', namespace: NS, listener: (m) => inbox.push(m) });
    const error = await until(() => inbox.find((m) => m.type === 'STATUS' && m.status.state === 'error'));
    expect(error.type === 'STATUS' && error.status.message).toMatch(/API server/);
    const snap = await until(() => inbox.find((m) => m.type === 'SNAPSHOT'), 20_000);
    expect(snap.type === 'SNAPSHOT' && snap.status.state).toBe('live');
    sub.unsubscribe();
  });

  it('the SSE stream sends the snapshot and releases the viewer when the request is aborted', async () => {
    const abort = new AbortController();
    const stream = createLiveStream({ kind: 'pods', namespace: NS, selector: SELECTOR, signal: abort.signal });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: SNAPSHOT')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('event: SNAPSHOT');
    expect(text).toContain('"name":"orchestrator-');
    const podSubscribers = () => liveStats().entries.filter((e) => e.key.includes('"pods"')).reduce((n, e) => n + e.refs, 0);
    expect(podSubscribers()).toBe(1);
    abort.abort();
    await until(() => podSubscribers() === 0);
  });

  it('the SSE stream ends by itself after its maximum age, so the browser reconnects and the session is checked again', async () => {
    const abort = new AbortController();
    const stream = createLiveStream({ kind: 'pods', namespace: NS, selector: SELECTOR, signal: abort.signal, maxAgeMs: 500 });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('event: SNAPSHOT');
    const podSubscribers = () => liveStats().entries.filter((e) => e.key.includes('"pods"')).reduce((n, e) => n + e.refs, 0);
    expect(podSubscribers()).toBe(0);
  });
});
