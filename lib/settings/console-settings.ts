/**
 * The admin-editable settings shown on /settings, as plain data. Each lives in its own `Setting`
 * row, under the key the module that uses it reads:
 * - `stability` = { windowMinutes } (lib/incidents/start-stability-watch.ts, runbook step 8)
 * - `verify.smokeRequest` = { method, path, body?, expectStatus } (lib/incidents/verify-rollback.ts, step 7)
 * - `metrics` = { window, queries? } (lib/metrics/load-metric-settings.ts)
 * Absent means the runbook's default.
 */
export type ConsoleSettings = {
  stabilityWindowMinutes?: number;
  smokeRequest?: { method: 'GET' | 'POST'; path: string; body?: unknown; expectStatus: number[] };
  metricsWindow?: string;
};

export const SETTING_KEYS = { stability: 'stability', smokeRequest: 'verify.smokeRequest', metrics: 'metrics' } as const;
