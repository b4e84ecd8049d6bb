import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { resetKubeClientForTests } from '@/lib/k8s/client';
import { undoRollout } from '@/lib/k8s/undo-rollout';
import { stopAllLiveWatches } from '@/lib/live/subscribe-live';
import { getMetricPanel } from '@/lib/metrics/get-metric-panel';
import { METRIC_PANELS, renderPromql } from '@/lib/metrics/panels';
import { queryPrometheus } from '@/lib/metrics/query-prometheus';
import { resetMetricsCacheForTests } from '@/lib/metrics/query-cache';
import { findPrometheusBinary, startPrometheus, type RunningPrometheus } from '../../scripts/lib/prometheus';
import { startSim } from '../support/sim';

const NS = 'llm-orchestrator';
type Sim = Awaited<ReturnType<typeof startSim>>;
const WINDOW = '20s';
const errorRateQuery = renderPromql(METRIC_PANELS.find((p) => p.id === 'errorRate')!.promql, { window: WINDOW });

async function errorRate(baseUrl: string): Promise<number | undefined> {
  const r = await queryPrometheus({ baseUrl, promql: errorRateQuery });
  if (!r.ok) throw new Error(r.message);
  const v = r.data[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

describe('metrics from a real Prometheus scraping the simulated application', () => {
  let sim: Sim;
  let prom: RunningPrometheus;
  let dataDir: string;

  beforeAll(async () => {
    if (!findPrometheusBinary()) {
      throw new Error('Debian prometheus is required: apt-get install -y --no-install-recommends prometheus');
    }
    sim = await startSim({ scenario: 'bad-release', speed: 20 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prom-test-'));
    prom = await startPrometheus({ scrapeUrl: `${sim.appUrl}/metrics`, dataDir, scrapeIntervalSeconds: 2 });
    process.env.KUBECONFIG = sim.kubeconfigPath;
    process.env.KUBE_CONTEXT = 'sim';
    process.env.PROMETHEUS_URL = prom.url;
    resetEnvForTests();
    resetKubeClientForTests();
    resetMetricsCacheForTests();
  });

  afterAll(async () => {
    stopAllLiveWatches();
    await prom?.stop();
    await sim?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    delete process.env.PROMETHEUS_URL;
    resetEnvForTests();
  });

  it('the runbook error rate is above 5% with v0.2.0 and falls below 1% after an undo', async () => {
    const bad = await until(async () => {
      const v = await errorRate(prom.url);
      return v !== undefined && v > 5 ? v : undefined;
    }, 45_000);
    expect(bad).toBeGreaterThan(5);

    // The chart route's panel shows the same picture, with the thresholds of the runbook.
    // (Its range ends on the last whole step, so it may lag the instant query by a few seconds.)
    const panel = await until(async () => {
      const p = await getMetricPanel({ panel: 'errorRate', namespace: NS, deployment: 'orchestrator', rangeSeconds: 300, window: WINDOW });
      return p.series[0]?.points.some(([, v]) => v > 5) ? p : undefined;
    }, 30_000);
    expect(panel.state).toBe('ok');
    expect(panel.thresholds.map((t) => t.value)).toEqual([5, 1]);
    expect(panel.series[0]?.points.some(([, v]) => v > 5)).toBe(true);

    const undo = await undoRollout({ namespace: NS, name: 'orchestrator', reason: 'metrics integration test' });
    expect(undo.ok).toBe(true);

    const good = await until(async () => {
      const v = await errorRate(prom.url);
      return v !== undefined && v < 1 ? v : undefined;
    }, 90_000);
    expect(good).toBeLessThan(1);
  });

  it('says plainly when Prometheus is not reachable or not configured', async () => {
    process.env.PROMETHEUS_URL = 'http://127.0.0.1:9';
    resetEnvForTests();
    const down = await getMetricPanel({ panel: 'p99Latency', namespace: NS, deployment: 'orchestrator' });
    expect(down.state).toBe('unreachable');
    expect(down.message).toBe('Prometheus is not reachable at http://127.0.0.1:9.');

    delete process.env.PROMETHEUS_URL;
    resetEnvForTests();
    const none = await getMetricPanel({ panel: 'errorRate' });
    expect(none.state).toBe('not-configured');
    expect(none.message).toMatch(/PROMETHEUS_URL is not set/);
  });
});
