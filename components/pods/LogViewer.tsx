'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { queryKeys } from '@/lib/query-keys';
import { Card } from '@/components/ui/card';

type LogsResponse =
  | { ok: true; text: string; kubectl: string[] }
  | { ok: false; code?: string; message: string; kubectl?: string[] };

/**
 * `kubectl logs` for one pod or every pod of the deployment (by label), last N lines, with
 * timestamps, refreshed every few seconds when "follow" is on.
 */
export function LogViewer({ namespace, name, selector, podNames }: { namespace: string; name: string; selector: string; podNames: string[] }) {
  const [pod, setPod] = useState('');
  const [tail, setTail] = useState(100);
  const [timestamps, setTimestamps] = useState(true);
  const [follow, setFollow] = useState(false);
  const query = useQuery({
    queryKey: queryKeys.logs({ namespace, pod: pod || undefined, selector: pod ? undefined : selector, tail, timestamps }),
    queryFn: async ({ signal }): Promise<LogsResponse> => {
      const params = new URLSearchParams({ tail: String(tail), timestamps: timestamps ? '1' : '0' });
      if (pod) params.set('pod', pod);
      const res = await fetch(`/deployments/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/logs?${params}`, {
        signal,
        cache: 'no-store',
      });
      return (await res.json()) as LogsResponse;
    },
    refetchInterval: follow ? 3_000 : false,
  });
  const data = query.data;
  return (
    <Card
      title="Logs"
      description={data?.kubectl?.map((k) => (
        <code key={k} className="block text-[11px]">
          {k}
        </code>
      ))}
    >
      <div className="mb-2 flex flex-wrap items-center gap-3 text-sm">
        <label className="flex items-center gap-1">
          Pod
          <select aria-label="Pod" className="rounded border border-slate-300 px-2 py-1" value={pod} onChange={(e) => setPod(e.target.value)}>
            <option value="">all pods ({selector})</option>
            {podNames.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1">
          Lines
          <select aria-label="Lines" className="rounded border border-slate-300 px-2 py-1" value={tail} onChange={(e) => setTail(Number(e.target.value))}>
            {[50, 100, 500, 1000].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} /> timestamps
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
        <button type="button" className="rounded px-2 py-1 ring-1 ring-slate-300 hover:bg-slate-50" onClick={() => void query.refetch()}>
          Refresh
        </button>
      </div>
      {query.isPending ? (
        <p className="text-sm text-slate-500">Loading logs…</p>
      ) : query.error ? (
        <p className="text-sm text-red-700">Could not load logs: {query.error.message}</p>
      ) : data && !data.ok ? (
        <p className="text-sm text-red-700">{data.message}</p>
      ) : (
        <pre className="max-h-96 overflow-auto rounded bg-slate-900 p-2 text-[11px] leading-snug text-slate-100" data-testid="log-output">
          {data?.ok ? data.text || '(no log lines)' : ''}
        </pre>
      )}
    </Card>
  );
}
