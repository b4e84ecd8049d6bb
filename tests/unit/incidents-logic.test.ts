import { describe, expect, it } from 'vitest';
import { suggestTargetRevision } from '@/lib/incidents/suggest-target-revision';
import { dueReminders, reminderSummary, REMINDER_RUNGS } from '@/lib/jobs/escalation-ladder';
import { evaluateStability, stabilityWindowMs } from '@/lib/jobs/evaluate-stability';
import { imageVersion, renderAnnouncement, renderResolution } from '@/lib/notify/templates';

const img = (v: string) => `registry.example.com/llm/orchestrator:${v}`;
const history = [
  { revision: 1, image: img('v0.1.0') },
  { revision: 2, image: img('v0.1.1') },
  { revision: 3, image: img('v0.2.0') },
];

describe('suggesting the last stable revision (step 3)', () => {
  it('suggests current - 1 in the usual case', () => {
    const s = suggestTargetRevision({ revisions: history, currentRevision: 3, failedImage: img('v0.2.0'), knownBadImages: [] });
    expect(s?.revision).toBe(2);
    expect(s?.image).toBe(img('v0.1.1'));
  });

  it('passes over known-bad images and revisions that run the failed image', () => {
    const withRepeat = [...history, { revision: 4, image: img('v0.2.0') }];
    const s = suggestTargetRevision({ revisions: withRepeat, currentRevision: 4, failedImage: img('v0.2.0'), knownBadImages: [img('v0.1.1')] });
    expect(s?.revision).toBe(1);
    expect(s?.skipped.map((x) => [x.revision, x.why])).toEqual([
      [3, 'failed-image'],
      [2, 'known-bad'],
    ]);
    expect(s?.reason).toContain('passed over revision 3');
  });

  it('suggests nothing when every older revision is bad', () => {
    expect(suggestTargetRevision({ revisions: history, currentRevision: 3, knownBadImages: [img('v0.1.0'), img('v0.1.1')] })).toBeNull();
  });
});

describe('escalation reminders', () => {
  const declaredAt = new Date('2026-11-28T10:00:00Z');
  it('are due at 5, 10, 15 and 20 minutes without recovery, scaled by CLOCK_SPEED', () => {
    expect(REMINDER_RUNGS.map((r) => r.afterMinutes)).toEqual([5, 10, 15, 20]);
    const at = (min: number) => new Date(declaredAt.getTime() + min * 60_000);
    expect(dueReminders({ declaredAt, now: at(4.9), clockSpeed: 1, recovered: false, alreadySent: [] })).toEqual([]);
    expect(dueReminders({ declaredAt, now: at(11), clockSpeed: 1, recovered: false, alreadySent: [5] }).map((r) => r.who)).toEqual([
      'Database Administrator',
    ]);
    // At 60x, the 20-minute rung comes after 20 real seconds.
    expect(dueReminders({ declaredAt, now: at(20 / 60), clockSpeed: 60, recovered: false, alreadySent: [] })).toHaveLength(4);
    expect(dueReminders({ declaredAt, now: at(30), clockSpeed: 1, recovered: true, alreadySent: [] })).toEqual([]);
  });
  it('name who to call', () => {
    expect(reminderSummary(REMINDER_RUNGS[0]!)).toBe('5 minutes without recovery: call the Engineering Manager (PagerDuty: LLM Orchestrator Critical)');
  });
});

describe('stability verdict (step 8)', () => {
  const sample = { at: '', errorRatePct: 0.4, p99Seconds: 0.8, restarts: { a: 1, b: 0 } };
  it('passes below 1% errors, below 2 s P99 and with no new restarts', () => {
    expect(evaluateStability({ sample, baselineRestarts: { a: 1, b: 0 } })).toEqual([]);
  });
  it('names each breach', () => {
    const bad = { at: '', errorRatePct: 12, p99Seconds: 3.5, restarts: { a: 2, c: 1 } };
    const breaches = evaluateStability({ sample: bad, baselineRestarts: { a: 1 } });
    expect(breaches.map((b) => b.check)).toEqual(['error-rate', 'p99-latency', 'pod-restarts']);
    expect(breaches[2]?.message).toBe('New pod restarts: a (1 → 2), c (0 → 1)');
  });
  it('ignores unknown metrics instead of failing on them', () => {
    expect(evaluateStability({ sample: { ...sample, errorRatePct: null, p99Seconds: null }, baselineRestarts: { a: 1 } })).toEqual([]);
  });
  it('shortens the window by CLOCK_SPEED', () => {
    expect(stabilityWindowMs(30, 1)).toBe(1_800_000);
    expect(stabilityWindowMs(30, 600)).toBe(3000);
  });
});

describe('runbook message templates', () => {
  it('fill the step 1 announcement', () => {
    const text = renderAnnouncement({
      service: 'LLM Orchestrator',
      symptoms: 'High error rate',
      impact: 'User-facing',
      initiatedBy: 'Ada Commander',
      at: new Date('2026-11-28T10:00:00Z'),
    });
    expect(text).toBe(
      'INCIDENT: LLM Orchestrator deployment rollback required\nSymptoms: High error rate\nImpact: User-facing\nInitiated by: Ada Commander\nTime: 2026-11-28T10:00:00.000Z',
    );
  });
  it('fill the step 10 resolution', () => {
    expect(renderResolution({ service: 'LLM Orchestrator', fromVersion: 'v0.2.0', toVersion: 'v0.1.1', recoveryMinutes: 12.4 })).toBe(
      'RESOLVED: LLM Orchestrator rollback completed\nRolled back from: v0.2.0 to v0.1.1\nRecovery time: 12 minutes\nStatus: Monitoring stability\nNext steps: Root cause analysis scheduled',
    );
    expect(imageVersion(img('v0.1.1'))).toBe('v0.1.1');
    expect(imageVersion('localhost:5000/app')).toBe('localhost:5000/app');
  });
});

describe('error rate and P99 from the application /metrics (no Prometheus)', () => {
  const scrape = (ok: number, err: number, buckets: number[]) =>
    [
      '# TYPE http_requests_total counter',
      `http_requests_total{handler="/api/v1/workflows",method="POST",status="200",version="v0.1.1"} ${ok}`,
      `http_requests_total{handler="/api/v1/workflows",method="POST",status="500",version="v0.1.1"} ${err}`,
      ...[0.5, 1, 2, 4].map((le, i) => `http_request_duration_seconds_bucket{version="v0.1.1",le="${le}"} ${buckets[i]}`),
      `http_request_duration_seconds_bucket{version="v0.1.1",le="+Inf"} ${buckets[4]}`,
    ].join('\n');

  it('computes the 5xx share and the 99th percentile from counter increases, like rate() and histogram_quantile()', async () => {
    const { parseAppMetrics, errorRateBetween, quantileBetween, requestsBetween } = await import('@/lib/jobs/app-metrics');
    const before = parseAppMetrics(scrape(1000, 100, [900, 1000, 1100, 1100, 1100]));
    const after = parseAppMetrics(scrape(1990, 110, [1890, 1990, 2090, 2100, 2100]));
    expect(requestsBetween(before, after)).toBe(1000);
    expect(errorRateBetween(before, after)).toBeCloseTo(1, 5);
    // 1000 new observations: 990 of them ≤ 0.5 s, 10 in (2, 4] s.
    expect(quantileBetween(before, after, 0.99)).toBeCloseTo(0.5, 5);
    expect(quantileBetween(before, after, 0.999)).toBeCloseTo(2 + (2 * 9) / 10, 5);
    // Counters are stored as JSON between polls: the +Inf bucket must survive the round trip.
    const roundTripped = JSON.parse(JSON.stringify(before)) as typeof before;
    expect(quantileBetween(roundTripped, after, 0.99)).toBeCloseTo(0.5, 5);
    expect(errorRateBetween(after, after)).toBeNull();
  });
});
