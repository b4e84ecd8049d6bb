import { createHash } from 'node:crypto';
import { canonicalEventForm } from './canonical';
import type { ChainedEventFields } from './types';

/**
 * SHA-256 (lowercase hex) over the canonical form of an event, its previous hash included.
 * Changing any field of any event changes its hash, and so breaks the link to the next event.
 */
export function hashEvent(event: ChainedEventFields): string {
  return createHash('sha256').update(canonicalEventForm(event), 'utf8').digest('hex');
}
