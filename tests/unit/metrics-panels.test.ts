import { describe, expect, it } from 'vitest';
import {
  formatMetricValue,
  latestValue,
  placeMarkers,
  thresholdVerdict,
  toChartRows,
  yDomain,
} from '@/components/charts/chart-data';
import { alignRange, METRIC_PANELS, renderPromql } from '@/lib/metrics/panels';

describe('the runbook queries', () => {
  it('the error-rate panel is the runbook query in percent with the 5% and 1% thresholds', () => {
    const panel = METRIC_PANELS.find((p) => p.id === 'errorRate')!;
    expect(renderPromql(panel.promql, { window: '5m' })).toBe(
      'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) * 100',
    );
    expect(panel.thresholds.map((t) => t.value)).toEqual([5, 1]);
  });

  it('P99 latency uses the histogram with the 2 s threshold', () => {
    const panel = METRIC_PANELS.find((p) => p.id === 'p99Latency')!;
    expect(renderPromql(panel.promql, { window: '30s' })).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[30s])))',
    );
    expect(panel.thresholds).toEqual([{ value: 2, label: 'P99 < 2 s', kind: 'bad' }]);
  });

  it('a namespace cannot break out of a label matcher', () => {
    expect(renderPromql('x{namespace="$namespace"}', { window: '5m', namespace: 'a"} or vector(1) #' })).toBe(
      'x{namespace="a\\"} or vector(1) #"}',
    );
  });

  it('every viewer within one step asks for the same range, so the server runs one query per interval', () => {
    const a = alignRange({ nowMs: 1_700_000_011_000, rangeSeconds: 1800 });
    const b = alignRange({ nowMs: 1_700_000_024_000, rangeSeconds: 1800 });
    expect(a).toEqual(b);
    expect(a.step).toBe(15);
    expect(a.end - a.start).toBe(1800);
    const c = alignRange({ nowMs: 1_700_000_026_000, rangeSeconds: 1800 });
    expect(c.end).toBe(a.end + 15);
  });
});

describe('chart shaping', () => {
  it('merges series by time, leaving gaps where a series has no sample', () => {
    const { rows, columns } = toChartRows([
      { name: 'a', points: [[10, 1], [20, 2]] },
      { name: 'b', points: [[20, 5], [30, 6]] },
    ]);
    expect(columns).toEqual([{ key: 's0', name: 'a' }, { key: 's1', name: 'b' }]);
    expect(rows).toEqual([
      { t: 10, s0: 1, s1: null },
      { t: 20, s0: 2, s1: 5 },
      { t: 30, s0: null, s1: 6 },
    ]);
  });

  it('keeps the threshold lines on screen even when errors are low', () => {
    expect(yDomain([{ name: 'e', points: [[1, 0.4]] }], [{ value: 5, label: '', kind: 'bad' }])[1]).toBeGreaterThan(5);
    expect(yDomain([{ name: 'e', points: [[1, 12.3]] }], [{ value: 5, label: '', kind: 'bad' }])[1]).toBeGreaterThan(12.3);
    expect(yDomain([], [])).toEqual([0, 1]);
  });

  it('places action markers given as dates, ISO strings, seconds or milliseconds inside the range only', () => {
    const placed = placeMarkers(
      [
        { at: new Date(1_700_000_500 * 1000), label: 'undo' },
        { at: 1_700_000_100, label: 'pause' },
        { at: '2023-11-14T22:15:00Z', label: 'declared' },
        { at: 1_700_000_300_000, label: 'ms' },
        { at: 5, label: 'too early' },
      ],
      1_700_000_000,
      1_700_001_000,
    );
    expect(placed).toEqual([
      { t: 1_700_000_100, label: 'pause' },
      { t: 1_700_000_100, label: 'declared' },
      { t: 1_700_000_300, label: 'ms' },
      { t: 1_700_000_500, label: 'undo' },
    ]);
  });

  it('judges the latest value against the runbook thresholds', () => {
    const th = METRIC_PANELS.find((p) => p.id === 'errorRate')!.thresholds;
    expect(thresholdVerdict(12, th)).toBe('bad');
    expect(thresholdVerdict(3, th)).toBe('watch');
    expect(thresholdVerdict(0.4, th)).toBe('good');
    expect(thresholdVerdict(3.4, METRIC_PANELS.find((p) => p.id === 'p99Latency')!.thresholds)).toBe('bad');
    expect(thresholdVerdict(undefined, th)).toBe('none');
    expect(latestValue([{ name: 'x', points: [[1, 2], [2, 9]] }])).toBe(9);
  });

  it('formats values as people read them', () => {
    expect(formatMetricValue(12.34, '%')).toBe('12.3%');
    expect(formatMetricValue(0.456, '%')).toBe('0.46%');
    expect(formatMetricValue(3.5, 's')).toBe('3.50 s');
    expect(formatMetricValue(0.45, 's')).toBe('450 ms');
    expect(formatMetricValue(Number.NaN, '%')).toBe('–');
  });
});

describe('axis ticks', () => {
  it('are short enough for the axis', async () => {
    const { formatAxisTick } = await import('@/components/charts/chart-data');
    expect(formatAxisTick(120, 'req/s')).toBe('120');
    expect(formatAxisTick(12.5, '%')).toBe('13%');
    expect(formatAxisTick(2.5, '%')).toBe('2.5%');
    expect(formatAxisTick(0.25, 's')).toBe('0.25 s');
  });
});
