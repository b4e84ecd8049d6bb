import 'server-only';
import { db } from '@/lib/db/client';
import { SETTING_KEYS, type ConsoleSettings } from '@/lib/settings/console-settings';

/** Reads the admin-editable settings; anything missing or malformed is left out (= default). */
export async function loadConsoleSettings(): Promise<ConsoleSettings> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.values(SETTING_KEYS) } } });
  const value = (key: string) => rows.find((r) => r.key === key)?.value as Record<string, unknown> | undefined;
  const out: ConsoleSettings = {};
  const minutes = value(SETTING_KEYS.stability)?.windowMinutes;
  if (typeof minutes === 'number' && minutes > 0) out.stabilityWindowMinutes = minutes;
  const smoke = value(SETTING_KEYS.smokeRequest);
  if (smoke && typeof smoke.path === 'string') {
    out.smokeRequest = {
      method: smoke.method === 'GET' ? 'GET' : 'POST',
      path: smoke.path,
      body: smoke.body,
      expectStatus: Array.isArray(smoke.expectStatus) ? smoke.expectStatus.filter((n): n is number => typeof n === 'number') : [200, 201],
    };
  }
  const window = value(SETTING_KEYS.metrics)?.window;
  if (typeof window === 'string') out.metricsWindow = window;
  return out;
}
