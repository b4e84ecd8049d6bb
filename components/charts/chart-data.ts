/**
 * Pure shaping of metric panel data for the charts (CONVENTIONS.md §7: chart components only
 * draw; what they draw is decided here and unit-tested).
 */
import type { ChartMarker, MetricPanelData, MetricSeries, Threshold } from '@/lib/metrics/types';

export type ChartRow = { t: number } & Record<string, number | null>;

/**
 * Merges series into rows keyed by time, one column per series (`s0`, `s1`, ...), as recharts
 * wants them. A series without a point at some time gets null there (a gap, not a zero).
 */
export function toChartRows(series: MetricSeries[]): { rows: ChartRow[]; columns: { key: string; name: string }[] } {
  const columns = series.map((s, i) => ({ key: `s${i}`, name: s.name }));
  const byTime = new Map<number, ChartRow>();
  series.forEach((s, i) => {
    for (const [t, v] of s.points) {
      let row = byTime.get(t);
      if (!row) {
        row = { t } as ChartRow;
        for (const c of columns) row[c.key] = null;
        byTime.set(t, row);
      }
      row[`s${i}`] = v;
    }
  });
  return { rows: [...byTime.values()].sort((a, b) => a.t - b.t), columns };
}

/** The Y range: from 0 to a bit above the highest of the data and the thresholds, so the threshold lines are always visible. */
export function yDomain(series: MetricSeries[], thresholds: Threshold[]): [number, number] {
  let max = 0;
  for (const s of series) for (const [, v] of s.points) if (Number.isFinite(v) && v > max) max = v;
  for (const th of thresholds) if (th.value > max) max = th.value;
  if (max === 0) return [0, 1];
  return [0, niceCeil(max * 1.15)];
}

function niceCeil(value: number): number {
  const exp = Math.floor(Math.log10(value));
  const base = 10 ** exp;
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (m * base >= value) return Number((m * base).toPrecision(6));
  }
  return 10 * base;
}

/** Markers as unix seconds inside [start, end], sorted, with a label. */
export function placeMarkers(markers: ChartMarker[], start: number, end: number): { t: number; label: string }[] {
  return markers
    .map((m) => ({ t: toUnixSeconds(m.at), label: m.label }))
    .filter((m) => Number.isFinite(m.t) && m.t >= start && m.t <= end)
    .sort((a, b) => a.t - b.t);
}

export function toUnixSeconds(at: number | string | Date): number {
  if (at instanceof Date) return at.getTime() / 1000;
  if (typeof at === 'number') return at > 1e11 ? at / 1000 : at; // milliseconds or seconds
  return Date.parse(at) / 1000;
}

/** A value as people read it on the chart: 12.3%, 3.5 s / 450 ms, 42 req/s, 7 restarts. */
export function formatMetricValue(value: number | null | undefined, unit: MetricPanelData['unit']): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (unit) {
    case '%':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}%`;
    case 's':
      return value < 1 ? `${Math.round(value * 1000)} ms` : `${value.toFixed(2)} s`;
    case 'req/s':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(0)} req/s`;
    case 'restarts':
      return `${Math.round(value)}`;
  }
}

/** The last value of the first series, the number shown big above the chart. */
export function latestValue(series: MetricSeries[]): number | undefined {
  const points = series[0]?.points;
  const last = points?.[points.length - 1];
  return last ? last[1] : undefined;
}

/**
 * Where the latest value stands against the runbook thresholds: 'bad' above a 'bad' line,
 * 'good' below every 'good' line (or below the 'bad' line when there is no 'good' line),
 * 'watch' in between, 'none' without thresholds or data.
 */
export function thresholdVerdict(value: number | undefined, thresholds: Threshold[]): 'bad' | 'watch' | 'good' | 'none' {
  if (value === undefined || !Number.isFinite(value) || thresholds.length === 0) return 'none';
  const bad = thresholds.filter((t) => t.kind === 'bad');
  const good = thresholds.filter((t) => t.kind === 'good');
  if (bad.some((t) => value > t.value)) return 'bad';
  if (good.length === 0) return 'good';
  return good.every((t) => value < t.value) ? 'good' : 'watch';
}

/** Tick label on the time axis (local HH:MM, or HH:MM:SS for short ranges). */
export function formatTick(t: number, rangeSeconds: number): string {
  const d = new Date(t * 1000);
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  if (rangeSeconds <= 600) return `${hh}:${mm}:${String(d.getSeconds()).padStart(2, '0')}`;
  return `${hh}:${mm}`;
}

/** A Y-axis tick: short, unit-light, so it fits the axis (the big number above says the unit). */
export function formatAxisTick(value: number, unit: MetricPanelData['unit']): string {
  if (!Number.isFinite(value)) return '';
  const n = Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(0) : Number(value.toFixed(2)).toString();
  if (unit === '%') return `${n}%`;
  if (unit === 's') return `${n} s`;
  return n;
}
