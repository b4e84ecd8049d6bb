'use client';

import { useQuery } from '@tanstack/react-query';
import type { ChartMarker, MetricPanelData, MetricPanelId } from '@/lib/metrics/types';
import { queryKeys } from '@/lib/query-keys';
import { Alert } from '@/components/ui/alert';
import { MetricChart } from './MetricChart';

type Props = {
  namespace: string;
  deployment: string;
  /** The deployment's pod selector (pod restarts panel). */
  selector: string;
  panels?: MetricPanelId[];
  /** Seconds of history; default 30 minutes. */
  range?: number;
  markers?: ChartMarker[];
  /** First state rendered by the server, if it has one. */
  initialPanels?: MetricPanelData[];
};

/**
 * The metric charts of a deployment, refreshed once per chart step. The server caches each
 * panel per step, so polling here costs Prometheus nothing extra per viewer.
 */
export function MetricPanels({ namespace, deployment, selector, panels, range = 1800, markers, initialPanels }: Props) {
  const query = useQuery({
    queryKey: [...queryKeys.metrics(panels?.join(',') ?? 'all', { namespace, deployment, range }), selector],
    queryFn: async ({ signal }): Promise<MetricPanelData[]> => {
      const params = new URLSearchParams({ namespace, deployment, selector, range: String(range) });
      for (const p of panels ?? []) params.append('panel', p);
      const res = await fetch(`/api/metrics?${params}`, { signal, cache: 'no-store' });
      const body = (await res.json()) as { ok: boolean; panels?: MetricPanelData[]; message?: string };
      if (!res.ok || !body.ok || !body.panels) throw new Error(body.message ?? `HTTP ${res.status}`);
      return body.panels;
    },
    initialData: initialPanels,
    refetchInterval: (q) => Math.max(5, q.state.data?.[0]?.step ?? 15) * 1000,
    refetchOnWindowFocus: false,
  });
  const data = query.data;
  return (
    <div className="space-y-2">
      {query.error && (
        <Alert tone="warning" title="Metrics could not be refreshed">
          {query.error.message}
        </Alert>
      )}
      {!data ? (
        <p className="text-sm text-slate-500">Loading metrics…</p>
      ) : (
        <div className="grid gap-3 md:grid-cols-2">
          {data.map((panel) => (
            <MetricChart key={panel.panel} data={panel} markers={markers} />
          ))}
        </div>
      )}
    </div>
  );
}
