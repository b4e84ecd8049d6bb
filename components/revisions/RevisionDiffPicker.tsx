'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTransition } from 'react';

/**
 * Two selects (from, to: any revision or the live template). The choice goes into the URL
 * (?from=2&to=3), so a diff can be linked and the server renders it.
 */
export function RevisionDiffPicker({ revisions, from, to }: { revisions: number[]; from: string; to: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [pending, startTransition] = useTransition();
  const options = [...revisions.map(String), 'live'];
  const go = (next: { from?: string; to?: string }) => {
    const params = new URLSearchParams(search.toString());
    params.set('from', next.from ?? from);
    params.set('to', next.to ?? to);
    startTransition(() => router.replace(`${pathname}?${params}#diff`, { scroll: false }));
  };
  const label = (o: string) => (o === 'live' ? 'live template' : `revision ${o}`);
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <label className="flex items-center gap-1">
        From
        <select
          aria-label="Diff from"
          className="rounded border border-slate-300 px-2 py-1"
          value={from}
          onChange={(e) => go({ from: e.target.value })}
        >
          {options.map((o) => (
            <option key={o} value={o}>
              {label(o)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1">
        to
        <select aria-label="Diff to" className="rounded border border-slate-300 px-2 py-1" value={to} onChange={(e) => go({ to: e.target.value })}>
          {options.map((o) => (
            <option key={o} value={o}>
              {label(o)}
            </option>
          ))}
        </select>
      </label>
      {pending && <span className="text-xs text-slate-500">Loading…</span>}
    </div>
  );
}
