import 'server-only';
import { listEvents } from './list-events';
import type { ChainVerification } from './types';
import { verifyChain } from './verify-chain';

/**
 * Recomputes the stored chain of one incident (the badge on the incident page and
 * `npm run timeline:verify`). Names the first event that does not match.
 */
export async function verifyIncidentChain({ incidentId }: { incidentId: string }): Promise<ChainVerification> {
  const events = await listEvents({ incidentId });
  return verifyChain({ events, incidentId });
}
