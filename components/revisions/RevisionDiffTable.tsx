import type { DiffEntry } from '@/lib/k8s/template-diff';
import { Badge, type BadgeTone } from '@/components/ui/badge';

const CHANGE_TONE: Record<DiffEntry['change'], BadgeTone> = { added: 'success', removed: 'danger', changed: 'warning' };

/** The changes between two pod templates, one row per change; masked values stay masked. */
export function RevisionDiffTable({ changes, fromLabel, toLabel }: { changes: DiffEntry[]; fromLabel: string; toLabel: string }) {
  if (changes.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="diff-empty">
        No differences between {fromLabel} and {toLabel}.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm" data-testid="diff-table">
        <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-1 pr-3">What</th>
            <th className="py-1 pr-3">Change</th>
            <th className="py-1 pr-3">{fromLabel}</th>
            <th className="py-1">{toLabel}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {changes.map((c) => (
            <tr key={`${c.path}-${c.change}`} data-testid="diff-row" data-category={c.category}>
              <td className="py-1 pr-3">
                <span className="mr-1 text-xs uppercase text-slate-500">{c.category}</span>
                <code className="text-xs">{c.path}</code>
              </td>
              <td className="py-1 pr-3">
                <Badge tone={CHANGE_TONE[c.change]}>{c.change}</Badge>
              </td>
              <td className="py-1 pr-3 font-mono text-xs text-red-800">{c.before ?? '–'}</td>
              <td className="py-1 font-mono text-xs text-emerald-800">
                {c.after ?? '–'}
                {c.masked && <span className="ml-1 font-sans text-slate-500">(value hidden)</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
