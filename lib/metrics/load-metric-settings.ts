import 'server-only';
import { z } from 'zod';
import { db } from '@/lib/db/client';
import { DEFAULT_METRIC_WINDOW, METRIC_PANELS, WINDOW_PATTERN } from './panels';
import type { MetricPanelId } from './types';

/**
 * Admin overrides of the metric panels, stored in the `Setting` row with key `metrics`:
 * `{ "window": "5m", "queries": { "errorRate": "sum(rate(...[$window]))..." } }`.
 * Read at most every 30 s; a missing or unreadable row means the runbook's defaults (the charts
 * must keep working when the console's database is briefly away).
 */
export const METRIC_SETTINGS_KEY = 'metrics';

const settingsSchema = z.object({
  window: z.string().regex(WINDOW_PATTERN).optional(),
  queries: z.record(z.string(), z.string().min(1)).optional(),
});

export type MetricSettings = { window: string; queries: Record<MetricPanelId, string> };

let cached: { at: number; value: MetricSettings } | undefined;

function defaults(): MetricSettings {
  return {
    window: DEFAULT_METRIC_WINDOW,
    queries: Object.fromEntries(METRIC_PANELS.map((p) => [p.id, p.promql])) as Record<MetricPanelId, string>,
  };
}

export async function loadMetricSettings(options: { nowMs?: number } = {}): Promise<MetricSettings> {
  const now = options.nowMs ?? Date.now();
  if (cached && now - cached.at < 30_000) return cached.value;
  const value = defaults();
  try {
    const row = await db.setting.findUnique({ where: { key: METRIC_SETTINGS_KEY } });
    const parsed = settingsSchema.safeParse(row?.value ?? {});
    if (parsed.success) {
      if (parsed.data.window) value.window = parsed.data.window;
      for (const panel of METRIC_PANELS) {
        const q = parsed.data.queries?.[panel.id];
        if (q && panel.source === 'prometheus') value.queries[panel.id] = q;
      }
    }
  } catch {
    // No database (or no row): the runbook's defaults.
  }
  cached = { at: now, value };
  return value;
}

export function resetMetricSettingsCacheForTests(): void {
  cached = undefined;
}
