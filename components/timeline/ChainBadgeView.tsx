import type { ChainVerification } from '@/lib/timeline/types';
import { cn } from '@/components/ui/cn';

/**
 * Shows whether the incident's timeline hash chain verifies, and if not, the first event that
 * does not match. Presentational: the result comes from verifyIncidentChain on the server.
 */
export function ChainBadgeView({ result, className }: { result: ChainVerification; className?: string }) {
  const title = result.ok
    ? `Hash chain verified: ${result.count} events, head ${result.headHash.slice(0, 16)}…`
    : (result.reason ?? 'Hash chain does not verify');
  return (
    <span
      data-testid="chain-badge"
      data-ok={result.ok ? 'true' : 'false'}
      title={title}
      className={cn(
        'inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset',
        result.ok ? 'bg-emerald-50 text-emerald-800 ring-emerald-300' : 'bg-red-50 text-red-800 ring-red-300',
        className,
      )}
    >
      <span aria-hidden>{result.ok ? '✓' : '⚠'}</span>
      {result.ok
        ? `Timeline verified (${result.count} events)`
        : `Timeline tampered: event #${result.firstBadSeq ?? '?'} does not match`}
    </span>
  );
}
