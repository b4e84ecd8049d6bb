import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { hashEvent } from '@/lib/timeline/hash-event';
import { GENESIS_HASH, type TimelineEventRecord } from '@/lib/timeline/types';
import type { TimelineExportData } from '@/lib/timeline/export-types';
import { buildMarkdownExport, markdownCode, markdownText } from '@/lib/timeline/build-markdown-export';
import { buildJsonExport } from '@/lib/timeline/build-json-export';
import { buildCsvExport } from '@/lib/timeline/build-csv-export';
import { verifyExport } from '@/lib/timeline/verify-export';
import { renderNoteMarkdown } from '@/lib/timeline/render-note-markdown';
import { csvCell } from '@/lib/timeline/csv';
import { redactSecrets } from '@/lib/timeline/redact-secrets';
import { formatDuration } from '@/lib/timeline/format-time';

const XSS_NOTE = [
  'Rollback looks good <script>alert("pwned")</script>',
  '<img src=x onerror="alert(1)">',
  '[click me](javascript:alert(document.cookie))',
  '[also](  JaVaScRiPt:alert(2))',
  '<a href="javascript:alert(3)">raw</a>',
].join('\n\n');

function fixture(): TimelineExportData {
  const incidentId = 'inc_example';
  const raw: Omit<TimelineEventRecord, 'incidentId' | 'seq' | 'at' | 'prevHash' | 'hash'>[] = [
    { type: 'incident.declared', actorType: 'person', actorId: 'u1', actorName: 'Ada Commander', summary: 'Incident declared: orchestrator v0.2.0 crash-looping', payload: { releasedAt: '2026-11-28T04:50:00.000Z' }, kubectl: null },
    { type: 'action.succeeded', actorType: 'person', actorId: 'u1', actorName: 'Ada Commander', summary: 'Rolled back to revision 2', payload: { resourceVersionBefore: '100', resourceVersionAfter: '104', databaseUrl: 'postgresql://app:hunter2@db:5432/app', password: 'hunter2' }, kubectl: 'kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2' },
    { type: 'note', actorType: 'person', actorId: 'u2', actorName: 'Bob Author', summary: 'Rollback looks good', payload: { markdown: XSS_NOTE }, kubectl: null },
    { type: 'note', actorType: 'person', actorId: 'u2', actorName: 'Bob Author', summary: '=HYPERLINK("http://evil.example","click")', payload: { markdown: '@SUM(1+1)' }, kubectl: null },
    { type: 'k8s.event', actorType: 'system', actorId: null, actorName: 'Rollback Console', summary: 'Pod orchestrator-abc BackOff | restarting', payload: {}, kubectl: 'kubectl get events -n llm-orchestrator' },
  ];
  let prevHash = GENESIS_HASH;
  const events: TimelineEventRecord[] = raw.map((r, i) => {
    const fields = { ...r, incidentId, seq: i + 1, at: new Date(Date.UTC(2026, 10, 28, 5, i, 0)), prevHash };
    const hash = hashEvent(fields);
    prevHash = hash;
    return { ...fields, id: `ev${i + 1}`, hash };
  });
  return {
    incident: {
      id: incidentId, key: 'INC-EXAMPLE-001', title: 'orchestrator v0.2.0 crash loop', severity: 'SEV1', status: 'resolved',
      symptoms: 'High error rate', impact: 'Workflow API returned 5xx for 20 minutes', clusterContext: 'sim',
      namespace: 'llm-orchestrator', deployment: 'orchestrator', failedRevision: 3, failedImage: 'orchestrator:v0.2.0',
      targetRevision: 2, targetImage: 'orchestrator:v0.1.1',
      detectedAt: new Date('2026-11-28T04:58:00Z'), declaredAt: new Date('2026-11-28T05:00:00Z'),
      mitigatedAt: new Date('2026-11-28T05:12:30Z'), resolvedAt: new Date('2026-11-28T05:45:00Z'), closedAt: null,
      commanderName: 'Ada Commander',
    },
    steps: [{ step: 1, status: 'done', reason: null, completedAt: new Date('2026-11-28T05:01:00Z') }, { step: 2, status: 'skipped', reason: 'No rollout in progress', completedAt: null }],
    events,
    generatedAt: new Date('2026-11-28T06:00:00Z'),
  };
}

/** What a permissive Markdown viewer (raw HTML allowed) would put in a page. */
function renderPermissively(markdown: string): string {
  return new MarkdownIt({ html: true, linkify: true }).render(markdown);
}

function assertInertHtml(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i); // no event-handler attribute on any tag
  expect(html).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
  expect(html).not.toMatch(/<img/i);
}

describe('notes rendered in the page', () => {
  it('keeps a script, an onerror handler and javascript: links inert, and shows the text', () => {
    const html = renderNoteMarkdown({ markdown: XSS_NOTE });
    assertInertHtml(html);
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<a href="javascript');
  });

  it('still renders ordinary Markdown and safe links', () => {
    const html = renderNoteMarkdown({ markdown: '**Rolled back** to `v0.1.1`, see https://status.example.com' });
    expect(html).toContain('<strong>Rolled back</strong>');
    expect(html).toContain('<code>v0.1.1</code>');
    expect(html).toContain('<a href="https://status.example.com" rel="noopener noreferrer nofollow" target="_blank">');
  });
});

describe('Markdown postmortem draft', () => {
  const md = buildMarkdownExport(fixture());

  it('states UTC, the versions, the key durations and the runbook action items', () => {
    expect(md).toContain('All times UTC (+00:00)');
    expect(md).toContain('# Postmortem draft: INC-EXAMPLE-001');
    expect(md).toContain('revision 3, `orchestrator:v0.2.0`');
    expect(md).toContain('revision 2, `orchestrator:v0.1.1`');
    expect(md).toContain('**Time to detect** (bad release → detected): 8 min 00 s');
    expect(md).toContain('**Time to mitigate** (detected → mitigated): 14 min 30 s');
    expect(md).toContain('**Time to recover** (detected → resolved): 47 min 00 s');
    expect(md).toContain('## Root cause');
    expect(md).toContain('- [ ] Schedule post-incident review (within 24-48 hours)');
    expect(md).toContain('hash chain verified, 5 events');
    expect(md).toContain('2. **Pause the rollout**: skipped — No rollout in progress');
  });

  it('has a timeline row per event with its UTC time and kubectl command', () => {
    expect(md).toContain(
      '| 2 | 2026-11-28 05:01:00 | Ada Commander | action.succeeded | Rolled back to revision 2 | `kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2` |',
    );
    expect(md).toContain('Pod orchestrator-abc BackOff \\| restarting');
  });

  it('puts each of several commands in its own code span, and keeps continuation lines together', () => {
    expect(markdownCode('kubectl get pods\nkubectl scale deployment x \\\n  --replicas=0')).toBe(
      '`kubectl get pods`<br>`kubectl scale deployment x --replicas=0`',
    );
    expect(markdownCode('echo `date` | grep x')).toBe('``echo `date` \\| grep x``');
    expect(markdownText('see [x](javascript:alert(1)) <b>&</b>')).toBe('see \\[x\\](javascript:alert(1)) &lt;b&gt;&amp;&lt;/b&gt;');
  });

  it('keeps the XSS note inert when the draft is viewed in a Markdown renderer that allows HTML', () => {
    const html = renderPermissively(md);
    assertInertHtml(html);
    expect(html).toContain('&lt;script&gt;');
  });

  it('never carries secrets from payloads', () => {
    expect(md).not.toContain('hunter2');
  });
});

describe('CSV export', () => {
  const csv = buildCsvExport(fixture());

  it('neutralises spreadsheet formulas and keeps one row per event', () => {
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('seq,time_utc,actor_type,actor_id,actor_name,type,summary,kubectl,payload_json,prev_hash,hash');
    expect(lines[4]).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(lines[2]).toMatch(/^2,2026-11-28T05:01:00.000Z,person,u1,Ada Commander,action.succeeded,/);
    expect(csv).not.toContain('hunter2');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(' =1+1')).toBe("' =1+1");
    expect(csvCell('plain')).toBe('plain');
  });
});

describe('JSON export', () => {
  it('is complete and verifies; the secret-carrying event is masked and reported unverifiable', () => {
    const json = buildJsonExport(fixture());
    expect(json).not.toContain('hunter2');
    const data = JSON.parse(json);
    expect(data.events).toHaveLength(5);
    expect(data.events[0]).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, at: '2026-11-28T05:00:00.000Z' });
    expect(data.incident.key).toBe('INC-EXAMPLE-001');
    const result = verifyExport({ data });
    expect(result).toMatchObject({ ok: true, count: 5, unverifiedSeqs: [2] });
  });

  it('an edited export fails and names the edited event', () => {
    const data = JSON.parse(buildJsonExport(fixture()));
    data.events[3].summary = 'Nothing to see here';
    expect(verifyExport({ data })).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('an export with its last event removed fails', () => {
    const data = JSON.parse(buildJsonExport(fixture()));
    data.events.pop();
    expect(verifyExport({ data })).toMatchObject({ ok: false, firstBadSeq: 5 });
  });

  it('a file that is not an export is refused with a reason', () => {
    expect(verifyExport({ data: { hello: 'world' } })).toMatchObject({ ok: false, reason: expect.stringMatching(/not a Rollback Console/) });
  });
});

describe('helpers', () => {
  it('redacts secret-named keys and credentials in URLs', () => {
    expect(redactSecrets({ token: 'abc', nested: { databaseUrl: 'x', url: 'postgres://u:pw@h/db' }, name: 'ok' })).toEqual({
      token: '[redacted]',
      nested: { databaseUrl: '[redacted]', url: 'postgres://u:[redacted]@h/db' },
      name: 'ok',
    });
  });

  it('formats durations for the postmortem', () => {
    expect(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T01:04:09Z')).toBe('1 h 04 min 09 s');
    expect(formatDuration('2026-01-01T00:00:00Z', null)).toBeNull();
  });
});
