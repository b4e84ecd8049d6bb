'use client';

import { useEffect, useState } from 'react';
import { formatDuration } from './format';

/**
 * The recovery clock: time since detection and since declaration, ticking every second until the
 * incident is mitigated (then frozen at the mitigation time).
 */
export function RecoveryClock({ detectedAt, declaredAt, mitigatedAt, compact = false }: { detectedAt: string; declaredAt: string; mitigatedAt: string | null; compact?: boolean }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    // Rendered on the server without a clock; the first tick comes right after hydration.
    const first = setTimeout(() => setNow(Date.now()), 0);
    if (mitigatedAt) return () => clearTimeout(first);
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [mitigatedAt]);
  const end = mitigatedAt ? new Date(mitigatedAt).getTime() : (now ?? new Date(declaredAt).getTime());
  const sinceDetected = end - new Date(detectedAt).getTime();
  const sinceDeclared = end - new Date(declaredAt).getTime();
  const running = !mitigatedAt;
  if (compact) {
    return (
      <span className="font-mono tabular-nums" data-testid="recovery-clock">
        {now === null && running ? '…' : formatDuration(sinceDetected)}
        {running ? '' : ' ✓'}
      </span>
    );
  }
  return (
    <div className="flex items-baseline gap-4" data-testid="recovery-clock" aria-live="off">
      <div>
        <p className="text-[11px] uppercase tracking-wide text-slate-500">since detection</p>
        <p className={`font-mono text-2xl font-semibold tabular-nums ${running ? 'text-red-700' : 'text-emerald-700'}`}>{now === null && running ? '…' : formatDuration(sinceDetected)}</p>
      </div>
      <div>
        <p className="text-[11px] uppercase tracking-wide text-slate-500">since declaration</p>
        <p className="font-mono text-lg tabular-nums text-slate-800">{now === null && running ? '…' : formatDuration(sinceDeclared)}</p>
      </div>
      <p className="text-xs text-slate-600">{running ? 'running until the rollback completes' : 'stopped: rollback complete (mitigated)'}</p>
    </div>
  );
}
