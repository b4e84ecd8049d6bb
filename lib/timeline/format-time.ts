/** Times in exports and the print page: always UTC, always saying so. */
export const UTC_NOTICE = 'All times UTC (+00:00)';

/** 2026-11-28 05:51:13 (UTC, no suffix: the table header says UTC). */
export function formatUtc(at: Date | string | null | undefined): string {
  if (at === null || at === undefined) return '—';
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

/** 2026-11-28T05:51:13.123Z, for machine-readable columns. */
export function isoUtc(at: Date | string | null | undefined): string {
  if (at === null || at === undefined) return '';
  const date = at instanceof Date ? at : new Date(at);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** "1 h 04 min 09 s", "12 min 30 s", "45 s"; null when either end is missing or reversed. */
export function formatDuration(from: Date | string | null | undefined, to: Date | string | null | undefined): string | null {
  if (!from || !to) return null;
  const ms = new Date(to).getTime() - new Date(from).getTime();
  if (!Number.isFinite(ms) || ms < 0) return null;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h} h ${pad(m)} min ${pad(s)} s`;
  if (m > 0) return `${m} min ${pad(s)} s`;
  return `${s} s`;
}
