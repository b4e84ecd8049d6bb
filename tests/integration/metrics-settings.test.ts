import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { resetEnvForTests } from '@/lib/env';
import { getMetricPanel } from '@/lib/metrics/get-metric-panel';
import { METRIC_SETTINGS_KEY, resetMetricSettingsCacheForTests } from '@/lib/metrics/load-metric-settings';
import { createTestDatabase, type TestDatabase } from '../support/db';

describe('metric queries and window configured by an admin (Setting row "metrics")', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase();
    process.env.DATABASE_URL = t.url;
    delete process.env.PROMETHEUS_URL;
    resetEnvForTests();
    resetMetricSettingsCacheForTests();
  });

  afterAll(async () => {
    await db.$disconnect();
    await t?.drop();
  });

  it('uses the runbook defaults without a row, and the configured PromQL and window with one', async () => {
    const before = await getMetricPanel({ panel: 'errorRate' });
    expect(before.window).toBe('5m');
    expect(before.query).toBe('sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) * 100');

    await db.setting.create({
      data: {
        key: METRIC_SETTINGS_KEY,
        value: { window: '2m', queries: { errorRate: 'sum(rate(http_requests_total{code=~"5..",namespace="$namespace"}[$window])) * 100' } },
      },
    });
    resetMetricSettingsCacheForTests();
    const after = await getMetricPanel({ panel: 'errorRate', namespace: 'llm-orchestrator' });
    expect(after.window).toBe('2m');
    expect(after.query).toBe('sum(rate(http_requests_total{code=~"5..",namespace="llm-orchestrator"}[2m])) * 100');
    // Other panels keep their defaults, with the configured window.
    const p99 = await getMetricPanel({ panel: 'p99Latency' });
    expect(p99.query).toBe('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[2m])))');
    expect(after.state).toBe('not-configured');
  });

  it('ignores a malformed row rather than breaking the charts', async () => {
    await db.setting.update({ where: { key: METRIC_SETTINGS_KEY }, data: { value: { window: 'five minutes' } } });
    resetMetricSettingsCacheForTests();
    const panel = await getMetricPanel({ panel: 'errorRate' });
    expect(panel.window).toBe('5m');
  });
});
