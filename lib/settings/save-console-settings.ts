import 'server-only';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import { auditLog } from '@/lib/actions/audit-log';
import { SETTING_KEYS, type ConsoleSettings } from '@/lib/settings/console-settings';

export type SaveConsoleSettingsOptions = { settings: ConsoleSettings; actor: { id: string; name: string } };

/**
 * Writes the settings in one transaction; an absent value deletes its row (back to the default).
 * The metrics row keeps its other fields (custom PromQL queries are edited elsewhere). Each changed
 * key is audit-logged with its old and new value.
 */
export async function saveConsoleSettings(options: SaveConsoleSettingsOptions): Promise<ConsoleSettings> {
  const { settings } = options;
  await db.$transaction(async (tx) => {
    const existing = await tx.setting.findMany({ where: { key: { in: Object.values(SETTING_KEYS) } } });
    const before = (key: string) => existing.find((r) => r.key === key)?.value as Record<string, unknown> | undefined;

    const wanted: Array<[string, Record<string, unknown> | undefined]> = [
      [SETTING_KEYS.stability, settings.stabilityWindowMinutes ? { windowMinutes: settings.stabilityWindowMinutes } : undefined],
      [SETTING_KEYS.smokeRequest, settings.smokeRequest ? { ...settings.smokeRequest } : undefined],
    ];
    const metricsBefore = before(SETTING_KEYS.metrics);
    const { window: _oldWindow, ...metricsRest } = metricsBefore ?? {};
    const metricsAfter = settings.metricsWindow ? { ...metricsRest, window: settings.metricsWindow } : Object.keys(metricsRest).length ? metricsRest : undefined;
    wanted.push([SETTING_KEYS.metrics, metricsAfter]);

    for (const [key, after] of wanted) {
      const old = before(key);
      if (JSON.stringify(old ?? null) === JSON.stringify(after ?? null)) continue;
      if (after) {
        const value = after as Prisma.InputJsonValue;
        await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
      } else {
        await tx.setting.deleteMany({ where: { key } });
      }
      auditLog({ action: 'setting.changed', actor: options.actor, target: key, before: old, after });
    }
  });
  return settings;
}
