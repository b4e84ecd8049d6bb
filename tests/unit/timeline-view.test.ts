import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { eventStyle, filterEvents, mergeEvents } from '@/components/timeline/timeline-data';
import { TimelineRow } from '@/components/timeline/Timeline';
import { ChainBadgeView } from '@/components/timeline/ChainBadgeView';
import { noteSummary } from '@/lib/timeline/add-note';
import { toEventView } from '@/lib/timeline/to-event-view';
import type { TimelineEventView } from '@/lib/timeline/types';

function view(seq: number, over: Partial<TimelineEventView> = {}): TimelineEventView {
  return {
    id: `e${seq}`,
    incidentId: 'inc',
    seq,
    at: new Date(Date.UTC(2026, 10, 28, 5, 0, seq)).toISOString(),
    actorType: 'person',
    actorId: 'u1',
    actorName: 'Ada Commander',
    type: 'action.succeeded',
    summary: `event ${seq}`,
    payload: {},
    kubectl: null,
    prevHash: 'p',
    hash: 'h',
    ...over,
  };
}

describe('folding live events into the list', () => {
  it('appends new events, ignores replays and keeps seq order', () => {
    const list = [view(1), view(2)];
    expect(mergeEvents(list, [view(2), view(3)]).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(mergeEvents(list, [view(5), view(4)]).map((e) => e.seq)).toEqual([1, 2, 4, 5]);
    expect(mergeEvents(undefined, [view(1)]).map((e) => e.seq)).toEqual([1]);
  });
});

describe('timeline filters', () => {
  const events = [
    view(1, { type: 'incident.declared', summary: 'Incident declared' }),
    view(2, { type: 'action.succeeded', summary: 'Rolled back', kubectl: 'kubectl rollout undo deployment/orchestrator' }),
    view(3, { type: 'note', summary: 'Looks good', payload: { markdown: 'Looks good, **error rate** down' } }),
  ];
  it('keeps only the chosen event groups', () => {
    expect(filterEvents(events, { groups: ['note', 'incident'], text: '' }).map((e) => e.seq)).toEqual([1, 3]);
  });
  it('finds text in summaries, kubectl and note bodies, every word required', () => {
    expect(filterEvents(events, { groups: [], text: 'rollout UNDO' }).map((e) => e.seq)).toEqual([2]);
    expect(filterEvents(events, { groups: [], text: 'error rate' }).map((e) => e.seq)).toEqual([3]);
    expect(filterEvents(events, { groups: [], text: 'error nothing' })).toEqual([]);
  });
  it('colours failures red whatever their group', () => {
    expect(eventStyle('action.failed').icon).toBe('✖');
    expect(eventStyle('note').label).toBe('Note');
  });
});

describe('a timeline row as the browser shows it', () => {
  it('shows UTC time, actor, the kubectl command and keeps an XSS note inert', () => {
    const record = {
      incidentId: 'inc',
      seq: 7,
      at: new Date('2026-11-28T05:07:00.000Z'),
      actorType: 'person',
      actorId: 'u2',
      actorName: 'Bob Author',
      type: 'note',
      summary: 'x',
      payload: { markdown: '<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))' },
      kubectl: null,
      prevHash: 'p',
      hash: 'h',
    };
    const html = renderToStaticMarkup(createElement(TimelineRow, { event: toEventView(record) }));
    expect(html).toContain('2026-11-28 05:07:00 UTC');
    expect(html).toContain('Bob Author');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');

    const action = renderToStaticMarkup(
      createElement(TimelineRow, { event: view(8, { kubectl: 'kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2' }) }),
    );
    expect(action).toContain('kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2');
    expect(action).toContain('Copy');
  });

  it('masks secrets in the payload sent to the browser', () => {
    const v = toEventView({ ...view(1), at: new Date(), payload: { password: 'hunter2', ok: 1 } });
    expect(JSON.stringify(v)).not.toContain('hunter2');
  });

  it('the chain badge names the first bad event', () => {
    const bad = renderToStaticMarkup(createElement(ChainBadgeView, { result: { ok: false, count: 9, headHash: 'x', firstBadSeq: 4, reason: 'event #4: edited' } }));
    expect(bad).toContain('event #4 does not match');
    const good = renderToStaticMarkup(createElement(ChainBadgeView, { result: { ok: true, count: 9, headHash: 'abc' } }));
    expect(good).toContain('Timeline verified (9 events)');
  });
});

describe('note summaries', () => {
  it('use the first line as plain text', () => {
    expect(noteSummary('\n## **Rolled back** to [v0.1.1](https://x)\nmore')).toBe('Rolled back to v0.1.1');
    expect(noteSummary('x'.repeat(300))).toHaveLength(140);
  });
});

describe('export links', () => {
  it('are shown to roles that may export, and not at all to others', async () => {
    const { ExportLinks } = await import('@/components/timeline/ExportLinks');
    const html = renderToStaticMarkup(createElement(ExportLinks, { incident: 'INC-EXAMPLE-001', canExport: true }));
    expect(html).toContain('href="/incidents/INC-EXAMPLE-001/export?format=md"');
    expect(html).toContain('href="/incidents/INC-EXAMPLE-001/print"');
    expect(renderToStaticMarkup(createElement(ExportLinks, { incident: 'INC-EXAMPLE-001', canExport: false }))).toBe('');
  });
});

describe('note form', () => {
  it('is absent for roles without timeline.note and present for the others', async () => {
    const { NoteForm } = await import('@/components/timeline/NoteForm');
    expect(renderToStaticMarkup(createElement(NoteForm, { incidentId: 'inc', canNote: false }))).toBe('');
    const html = renderToStaticMarkup(createElement(NoteForm, { incidentId: 'inc', canNote: true }));
    expect(html).toContain('<textarea');
    expect(html).toContain('Add note');
  });
});
