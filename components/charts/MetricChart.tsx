'use client';

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartMarker, MetricPanelData } from '@/lib/metrics/types';
import { cn } from '@/components/ui/cn';
import {
  formatAxisTick,
  formatMetricValue,
  formatTick,
  latestValue,
  placeMarkers,
  thresholdVerdict,
  toChartRows,
  yDomain,
} from './chart-data';

export type MetricChartProps = {
  /** One panel from /api/metrics (or getMetricPanel on the server). */
  data: MetricPanelData;
  /** Vertical lines where actions happened (rollout paused, undo, ...). */
  markers?: ChartMarker[];
  height?: number;
  className?: string;
};

const COLORS = ['#0369a1', '#7c3aed', '#0f766e', '#b45309', '#be123c'];
const VERDICT_CLASS = {
  bad: 'text-red-700',
  watch: 'text-amber-700',
  good: 'text-emerald-700',
  none: 'text-slate-900',
} as const;

/**
 * A line chart of one metric panel with the runbook's thresholds as horizontal lines and
 * actions as vertical markers. When there is no data source it says why, in words.
 */
export function MetricChart({ data, markers = [], height = 180, className }: MetricChartProps) {
  const { rows, columns } = toChartRows(data.series);
  const domain = yDomain(data.series, data.thresholds);
  const placed = placeMarkers(markers, data.start, data.end);
  const latest = latestValue(data.series);
  const verdict = thresholdVerdict(latest, data.thresholds);
  const range = data.end - data.start;

  return (
    <figure
      className={cn('rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200', className)}
      data-testid={`metric-${data.panel}`}
      aria-label={`${data.title} chart`}
    >
      <figcaption className="flex items-baseline justify-between gap-2">
        <span className="text-sm font-semibold text-slate-800">{data.title}</span>
        {data.state === 'ok' && (
          <span className={cn('text-lg font-semibold tabular-nums', VERDICT_CLASS[verdict])} data-testid={`metric-${data.panel}-latest`}>
            {formatMetricValue(latest, data.unit)}
          </span>
        )}
      </figcaption>
      {data.state !== 'ok' ? (
        <div
          className="mt-2 flex items-center justify-center rounded border border-dashed border-slate-300 bg-slate-50 px-3 text-center text-sm text-slate-600"
          style={{ height }}
          role="status"
        >
          {data.message ?? 'No data.'}
        </div>
      ) : rows.length === 0 ? (
        <div
          className="mt-2 flex items-center justify-center rounded border border-dashed border-slate-300 bg-slate-50 px-3 text-sm text-slate-600"
          style={{ height }}
          role="status"
        >
          No samples yet in this range.
        </div>
      ) : (
        <div className="mt-2" style={{ height }}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                domain={[data.start, data.end]}
                tickFormatter={(t: number) => formatTick(t, range)}
                tick={{ fontSize: 11, fill: '#64748b' }}
                minTickGap={24}
              />
              <YAxis
                domain={domain}
                width={44}
                tick={{ fontSize: 11, fill: '#64748b' }}
                tickFormatter={(v: number) => formatAxisTick(v, data.unit)}
              />
              <Tooltip
                labelFormatter={(t) => new Date(Number(t) * 1000).toLocaleTimeString()}
                formatter={(v) => formatMetricValue(typeof v === 'number' ? v : Number(v), data.unit)}
              />
              {data.thresholds.map((th) => (
                <ReferenceLine
                  key={`${th.kind}-${th.value}`}
                  y={th.value}
                  stroke={th.kind === 'bad' ? '#dc2626' : '#059669'}
                  strokeDasharray="6 4"
                  label={{ value: th.label, position: 'insideTopRight', fontSize: 10, fill: th.kind === 'bad' ? '#b91c1c' : '#047857' }}
                />
              ))}
              {placed.map((m) => (
                <ReferenceLine
                  key={`${m.t}-${m.label}`}
                  x={m.t}
                  stroke="#475569"
                  label={{ value: m.label, position: 'insideTopLeft', fontSize: 10, fill: '#334155' }}
                />
              ))}
              {columns.map((c, i) => (
                <Line
                  key={c.key}
                  dataKey={c.key}
                  name={c.name}
                  type="monotone"
                  dot={false}
                  isAnimationActive={false}
                  connectNulls={false}
                  stroke={COLORS[i % COLORS.length]}
                  strokeWidth={2}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <p className="mt-1 truncate text-[11px] text-slate-500" title={data.query}>
        <code>{data.query}</code>
      </p>
    </figure>
  );
}
