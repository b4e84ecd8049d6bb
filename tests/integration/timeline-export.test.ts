/**
 * The worked example, notes and exports end to end against the real database, through the real
 * server action and route handler (only next-auth's session lookup and Next's cookie store are
 * replaced, to sign in as a given user outside a Next request; roles are still re-read from the
 * User table).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import MarkdownIt from 'markdown-it';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { createTestDatabase } from '@/tests/support/db';
import { resetEnvForTests } from '@/lib/env';
import { db } from '@/lib/db/client';
import { closeAppendPool } from '@/lib/timeline/append-event';
import { seedExampleIncident, EXAMPLE_INCIDENT_KEY } from '@/scripts/lib/seed-example-incident';
import { verifyIncidentChain } from '@/lib/timeline/verify-incident-chain';
import { searchEvents } from '@/lib/timeline/search-events';
import { loadExportData } from '@/lib/timeline/load-export-data';
import { verifyChain } from '@/lib/timeline/verify-chain';
import { PrintableTimeline } from '@/components/timeline/PrintableTimeline';

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('next-auth', async (importOriginal) => {
  const actual = await importOriginal<Record<string, unknown>>();
  return { ...actual, getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null) };
});
// Outside a Next.js request there is no cookie store; the session comes from the mock above.
vi.mock('next/headers', async (importOriginal) => {
  const actual = await importOriginal<Record<string, unknown>>();
  return { ...actual, cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }) };
});

const run = promisify(execFile);
// The project's own tsx, without npx's lookup (seconds on a busy machine).
const TSX = path.resolve('node_modules/.bin/tsx');
let url = '';
let drop: () => Promise<void> = async () => {};
const users: Record<'viewer' | 'author' | 'commander', string> = { viewer: '', author: '', commander: '' };
let incidentId = '';
const XSS = '<script>alert("x")</script> <img src=x onerror=alert(1)> [click](javascript:alert(2))';

async function exportRoute(format: string, id = EXAMPLE_INCIDENT_KEY): Promise<Response> {
  const { GET } = await import('@/app/incidents/[id]/export/route');
  return GET(new Request(`http://127.0.0.1/incidents/${id}/export?format=${format}`), { params: Promise.resolve({ id }) });
}

async function addNoteAs(role: keyof typeof users | null, markdown: string) {
  session.userId = role ? users[role] : null;
  const { addNote } = await import('@/app/incidents/[id]/timeline-actions');
  return addNote({ incidentId, markdown });
}

async function verifyFile(file: string) {
  return run(TSX, ['--conditions=react-server', 'scripts/timeline-verify.ts', '--file', file], { cwd: process.cwd() }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
}

beforeAll(async () => {
  const t = await createTestDatabase();
  url = t.url;
  drop = t.drop;
  process.env.DATABASE_URL = url;
  process.env.NEXTAUTH_SECRET = 'timeline-export-test-secret-0123456789';
  resetEnvForTests();
  for (const role of ['viewer', 'author', 'commander'] as const) {
    users[role] = (await db.user.create({ data: { email: `${role}@example.test`, name: `Test ${role}`, role } })).id;
  }
  const seeded = await seedExampleIncident();
  incidentId = seeded.incidentId;
});

afterAll(async () => {
  // The live route used this process's shared LISTEN connection.
  const { getTimelineListener } = await import('@/lib/timeline/subscribe');
  await getTimelineListener().close();
  await closeAppendPool();
  await db.$disconnect();
  await drop();
});

describe('the worked example', () => {
  it('is a resolved bad-release incident, all ten steps done, with an intact timeline; seeding again changes nothing', async () => {
    const incident = await db.incident.findUniqueOrThrow({ where: { key: EXAMPLE_INCIDENT_KEY }, include: { steps: true } });
    expect(incident).toMatchObject({ status: 'resolved', failedImage: expect.stringContaining('v0.2.0'), targetImage: expect.stringContaining('v0.1.1') });
    expect(incident.mitigatedAt).not.toBeNull();
    expect(incident.steps.filter((s) => s.status === 'done')).toHaveLength(10);
    const check = await verifyIncidentChain({ incidentId });
    expect(check.ok).toBe(true);
    expect(check.count).toBeGreaterThan(35);
    const again = await seedExampleIncident();
    expect(again).toMatchObject({ incidentId, created: false, events: check.count });
  });
});

describe('notes', () => {
  it('an author adds a note; a viewer and an anonymous caller are refused and nothing is recorded', async () => {
    const before = await db.timelineEvent.count({ where: { incidentId } });
    expect(await addNoteAs('viewer', 'I should not be able to write this')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await addNoteAs(null, 'nor this')).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect(await db.timelineEvent.count({ where: { incidentId } })).toBe(before);

    const added = await addNoteAs('author', XSS);
    expect(added).toMatchObject({ ok: true, data: { seq: before + 1 } });
    const formula = await addNoteAs('commander', '=HYPERLINK("http://evil.example","Click")');
    expect(formula.ok).toBe(true);
    expect(await addNoteAs('author', '   ')).toMatchObject({ ok: false, code: 'invalid' });
    const last = await db.timelineEvent.findFirstOrThrow({ where: { incidentId, seq: before + 1 } });
    expect(last).toMatchObject({ type: 'note', actorId: users.author, actorName: 'Test author' });
    expect((await verifyIncidentChain({ incidentId })).ok).toBe(true);
  });

  it('the XSS note is inert on the print page', async () => {
    const data = (await loadExportData({ incidentId }))!;
    const html = renderToStaticMarkup(createElement(PrintableTimeline, { data, verification: verifyChain({ events: data.events }) }));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html.match(/data-testid="print-event"/g)).toHaveLength(data.events.length);
  });
});

describe('export route', () => {
  it('refuses a viewer (403) and an anonymous caller (401)', async () => {
    session.userId = users.viewer;
    expect((await exportRoute('md')).status).toBe(403);
    session.userId = null;
    expect((await exportRoute('json')).status).toBe(401);
  });

  it('gives an author the Markdown postmortem draft, with the XSS note inert', async () => {
    session.userId = users.author;
    const response = await exportRoute('md');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${EXAMPLE_INCIDENT_KEY}-postmortem.md"`);
    const md = await response.text();
    for (const expected of ['All times UTC (+00:00)', '## Summary', '## Impact', '## Key times', '**Time to detect** (bad release → detected): 4 min 30 s', '**Time to mitigate** (detected → mitigated): 15 min 10 s', '## Timeline', '## Root cause', '## Action items', 'kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2', 'hash chain verified']) {
      expect(md).toContain(expected);
    }
    const html = new MarkdownIt({ html: true, linkify: true }).render(md);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/href="javascript:/i);
  });

  it('gives a CSV whose formula-looking cells are neutralised', async () => {
    session.userId = users.author;
    const response = await exportRoute('csv');
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    expect(response.headers.get('content-disposition')).toContain(`${EXAMPLE_INCIDENT_KEY}-timeline.csv`);
    const csv = await response.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
    expect(csv.split('\r\n').some((line) => /,=|^=/.test(line))).toBe(false);
  });

  it('gives a JSON export that the verify command accepts, and refuses once edited', async () => {
    session.userId = users.commander;
    const response = await exportRoute('json', incidentId);
    expect(response.status).toBe(200);
    const text = await response.text();
    const data = JSON.parse(text);
    expect(data.events.length).toBe(await db.timelineEvent.count({ where: { incidentId } }));
    expect(data.events[0]).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timeline-export-'));
    const file = path.join(dir, `${EXAMPLE_INCIDENT_KEY}.json`);
    fs.writeFileSync(file, text);
    const ok = await verifyFile(file);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`OK  ${EXAMPLE_INCIDENT_KEY}`);

    data.events[9].summary = 'Rolled back on the first try';
    fs.writeFileSync(file, JSON.stringify(data));
    const bad = await verifyFile(file);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('first bad event: #10');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('answers 400 for an unknown format and 404 for an unknown incident', async () => {
    session.userId = users.author;
    expect((await exportRoute('pdf')).status).toBe(400);
    expect((await exportRoute('md', 'INC-NOPE')).status).toBe(404);
  });
});

describe('timeline routes for the page', () => {
  it('a viewer reads the event list and opens the live stream; an anonymous caller is refused', async () => {
    const { GET: list } = await import('@/app/api/incidents/[id]/events/list/route');
    const { GET: stream } = await import('@/app/api/incidents/[id]/events/route');
    const ctx = { params: Promise.resolve({ id: EXAMPLE_INCIDENT_KEY }) };
    session.userId = users.viewer;
    const response = await list(new Request(`http://127.0.0.1/api/incidents/${EXAMPLE_INCIDENT_KEY}/events/list`), ctx);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { events: { seq: number; noteHtml?: string }[] };
    expect(body.events[0]?.seq).toBe(1);
    expect(body.events.some((e) => e.noteHtml?.includes('<strong>201</strong>'))).toBe(true);

    const abort = new AbortController();
    const live = await stream(new Request(`http://127.0.0.1/api/incidents/${EXAMPLE_INCIDENT_KEY}/events?after=40`, { signal: abort.signal }), ctx);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = live.body!.getReader();
    let text = '';
    while (!text.includes('id: 41')) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    expect(text).toContain('event: timeline');

    session.userId = null;
    expect((await list(new Request('http://127.0.0.1/x'), ctx)).status).toBe(401);
    expect((await stream(new Request('http://127.0.0.1/x'), ctx)).status).toBe(401);
  });
});

describe('search', () => {
  it('finds timeline text across incidents and within one', async () => {
    const other = await db.incident.create({
      data: { key: 'INC-OTHER-001', title: 'other', severity: 'SEV3', clusterContext: 'sim', namespace: 'x', deployment: 'y', detectedAt: new Date(), commanderId: users.commander },
    });
    const { appendEvent } = await import('@/lib/timeline/append-event');
    await appendEvent({ incidentId: other.id, actor: { type: 'system', name: 'Rollback Console' }, type: 'k8s.event', summary: 'CrashLoopBackOff on pod y-1' });
    const across = await searchEvents({ query: 'crashloopbackoff' });
    expect(new Set(across.map((h) => h.incidentKey))).toEqual(new Set([EXAMPLE_INCIDENT_KEY, 'INC-OTHER-001']));
    const within = await searchEvents({ query: 'backoff', incidentId: other.id });
    expect(within.map((h) => h.incidentKey)).toEqual(['INC-OTHER-001']);
    expect(await searchEvents({ query: 'schema_migrations 20251101_001_initial' })).not.toHaveLength(0);
    expect(await searchEvents({ query: '100%_' })).toEqual([]);
  });
});
