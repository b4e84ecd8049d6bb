import 'server-only';
import { verifyIncidentChain } from '@/lib/timeline/verify-incident-chain';
import { ChainBadgeView } from './ChainBadgeView';

/**
 * Server component: recomputes the incident's hash chain on each render and shows the verdict.
 * `<ChainBadge incidentId={incident.id} />` in the incident page's header.
 */
export async function ChainBadge({ incidentId, className }: { incidentId: string; className?: string }) {
  const result = await verifyIncidentChain({ incidentId });
  return <ChainBadgeView result={result} className={className} />;
}
