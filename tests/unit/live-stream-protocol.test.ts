import { describe, expect, it } from 'vitest';
import { backoffDelay } from '@/lib/live/backoff';
import { foldLiveMessage } from '@/lib/live/fold-live-message';
import { createSseParser, formatSseEvent, type SseEvent } from '@/lib/live/parse-sse';
import type { LiveObject } from '@/lib/live/types';

const pod = (name: string, rv: string, phase = 'Running'): LiveObject => ({
  metadata: { name, namespace: 'llm-orchestrator', resourceVersion: rv },
  status: { phase },
});

describe('folding live messages into the list a viewer sees', () => {
  it('starts from the snapshot, then adds, updates and removes pods by name', () => {
    let state = foldLiveMessage({
      state: undefined,
      message: { type: 'SNAPSHOT', items: [pod('b', '2'), pod('a', '1')], resourceVersion: '2', status: { state: 'live', since: 1 } },
      now: 10,
    });
    expect(state.items.map((p) => p.metadata?.name)).toEqual(['a', 'b']);
    state = foldLiveMessage({ state, message: { type: 'ADDED', object: pod('c', '3', 'Pending'), at: 0 } });
    state = foldLiveMessage({ state, message: { type: 'MODIFIED', object: pod('c', '4', 'Running'), at: 0 } });
    state = foldLiveMessage({ state, message: { type: 'DELETED', object: pod('a', '5'), at: 0 } });
    expect(state.items.map((p) => [p.metadata?.name, (p.status as { phase: string }).phase])).toEqual([
      ['b', 'Running'],
      ['c', 'Running'],
    ]);
    expect(state.resourceVersion).toBe('5');
  });

  it('a new snapshot after a re-list replaces everything, dropping pods deleted during an outage', () => {
    let state = foldLiveMessage({
      state: undefined,
      message: { type: 'SNAPSHOT', items: [pod('a', '1'), pod('b', '1')], resourceVersion: '1', status: { state: 'live', since: 1 } },
    });
    state = foldLiveMessage({ state, message: { type: 'STATUS', status: { state: 'error', message: 'down', since: 2 } } });
    expect(state.status.state).toBe('error');
    expect(state.items).toHaveLength(2);
    state = foldLiveMessage({
      state,
      message: { type: 'SNAPSHOT', items: [pod('b', '9')], resourceVersion: '9', status: { state: 'live', since: 3 } },
    });
    expect(state.items.map((p) => p.metadata?.name)).toEqual(['b']);
    expect(state.status.state).toBe('live');
  });
});

describe('the Server-Sent Events parser', () => {
  it('reassembles events split across chunks at any byte, with CRLF and heartbeat comments', () => {
    const text =
      'retry: 2000\n\n' + formatSseEvent('ADDED', { object: { a: 1 } }) + ': heartbeat 1\r\n\r\n' + 'event: STATUS\r\ndata: {"x":\r\ndata: 2}\r\n\r\n';
    for (const size of [1, 2, 3, 7, text.length]) {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const parser = createSseParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
      for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
      expect(events).toEqual([
        { event: 'ADDED', data: '{"object":{"a":1}}' },
        { event: 'STATUS', data: '{"x":\n2}' },
      ]);
      expect(comments).toEqual(['heartbeat 1']);
    }
  });
});

describe('reconnect back-off', () => {
  it('grows exponentially, is jittered between half and all of the delay, and is capped', () => {
    expect(backoffDelay({ attempt: 0, baseMs: 1000, random: 0 })).toBe(500);
    expect(backoffDelay({ attempt: 0, baseMs: 1000, random: 0.999 })).toBeCloseTo(1000, -1);
    expect(backoffDelay({ attempt: 3, baseMs: 1000, random: 0 })).toBe(4000);
    expect(backoffDelay({ attempt: 50, baseMs: 1000, maxMs: 30_000, random: 1 })).toBe(30_000);
    const spread = new Set(Array.from({ length: 20 }, (_, i) => backoffDelay({ attempt: 2, random: i / 20 })));
    expect(spread.size).toBeGreaterThan(10);
  });
});
