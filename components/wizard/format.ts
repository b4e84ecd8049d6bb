import type { BadgeTone } from '@/components/ui/badge';

/** 1h 02m 05s / 4m 09s / 12s — the recovery clock's format. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m ${pad(sec)}s`;
  if (m > 0) return `${m}m ${pad(sec)}s`;
  return `${sec}s`;
}

/** 2026-11-28 06:40:16 UTC */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export const INCIDENT_STATUS_TONE: Record<string, BadgeTone> = {
  declared: 'danger',
  mitigating: 'warning',
  monitoring: 'info',
  resolved: 'success',
  closed: 'neutral',
};

export const SEVERITY_TONE: Record<string, BadgeTone> = { SEV1: 'danger', SEV2: 'warning', SEV3: 'info' };

export const STEP_STATUS_TONE: Record<string, BadgeTone> = {
  pending: 'neutral',
  in_progress: 'info',
  done: 'success',
  skipped: 'violet',
  failed: 'danger',
};

export const STEP_STATUS_LABEL: Record<string, string> = {
  pending: 'to do',
  in_progress: 'in progress',
  done: 'done',
  skipped: 'skipped',
  failed: 'failed',
};

export const ACTIVE_STATUSES = ['declared', 'mitigating', 'monitoring'];
