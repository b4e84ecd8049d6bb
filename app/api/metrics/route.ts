import { guardRoute } from '@/lib/auth/guard-route';
import { parseLiveParams } from '@/lib/live/create-live-stream';
import { getMetricPanel } from '@/lib/metrics/get-metric-panel';
import { isMetricPanelId, METRIC_PANEL_IDS, WINDOW_PATTERN } from '@/lib/metrics/panels';
import type { MetricPanelId } from '@/lib/metrics/types';

/**
 * GET /api/metrics?panel=errorRate&panel=p99Latency&namespace=NS&deployment=NAME&selector=app%3Dx
 *     &range=1800&window=5m
 * → `{ ok: true, panels: MetricPanelData[] }`. No `panel` = all panels. Each panel carries its
 * own state ('ok' | 'not-configured' | 'unreachable' | 'error') and a plain message, so a
 * missing Prometheus is a 200 with a sentence for the UI, never a 500.
 */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = guardRoute('cluster.read', async (request) => {
  const params = new URL(request.url).searchParams;
  const requested = params.getAll('panel').flatMap((p) => p.split(',')).filter(Boolean);
  const bad = requested.filter((p) => !isMetricPanelId(p));
  if (bad.length > 0) {
    return Response.json(
      { ok: false, code: 'invalid', message: `unknown panel ${bad.join(', ')}; known: ${METRIC_PANEL_IDS.join(', ')}` },
      { status: 400 },
    );
  }
  const window = params.get('window') ?? undefined;
  if (window !== undefined && !WINDOW_PATTERN.test(window)) {
    return Response.json({ ok: false, code: 'invalid', message: 'window must be a Prometheus duration like 5m' }, { status: 400 });
  }
  const range = Number(params.get('range') ?? 1800);
  if (!Number.isFinite(range) || range <= 0) {
    return Response.json({ ok: false, code: 'invalid', message: 'range must be a number of seconds' }, { status: 400 });
  }
  // The pod-restarts panel reads the shared pod watch: same validation as /api/live.
  const scope = parseLiveParams(
    new URLSearchParams({ kind: 'pods', namespace: params.get('namespace') ?? '', selector: params.get('selector') ?? '' }),
  );
  if (!scope.ok) return Response.json({ ok: false, code: 'invalid', message: scope.message }, { status: 400 });
  const panels = (requested.length > 0 ? requested : METRIC_PANEL_IDS) as MetricPanelId[];
  const data = await Promise.all(
    panels.map((panel) =>
      getMetricPanel({
        panel,
        namespace: scope.namespace,
        deployment: params.get('deployment') ?? undefined,
        selector: scope.selector,
        rangeSeconds: range,
        window,
      }),
    ),
  );
  return Response.json({ ok: true, panels: data }, { headers: { 'cache-control': 'no-store' } });
});
