import { hashEvent } from './hash-event';
import { GENESIS_HASH, type ChainVerification, type TimelineEventRecord } from './types';

export type VerifyChainOptions = {
  /** The incident's events; any order, they are checked in seq order. */
  events: readonly TimelineEventRecord[];
  /** When given, every event must belong to this incident. */
  incidentId?: string;
  /**
   * Events whose content was masked on export (secrets): their links are still checked, their
   * own content cannot be. Listed in `unverifiedSeqs` of the result.
   */
  contentUnverifiable?: ReadonlySet<number>;
};

/**
 * Recomputes an incident's hash chain and names the first event that does not match: an event
 * whose content was edited after it was recorded, a missing event (gap in seq), or a broken link
 * to the previous event. Pure: the same check runs on rows from the DB and on a JSON export.
 *
 * What it cannot see: events removed from the end of the chain (compare `count`/`headHash` with
 * another copy, e.g. an export, to catch that).
 */
export function verifyChain({ events, incidentId, contentUnverifiable }: VerifyChainOptions): ChainVerification {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  const unverified: number[] = [];
  const bad = (event: TimelineEventRecord, reason: string): ChainVerification => ({
    ok: false,
    count: sorted.length,
    headHash: sorted.at(-1)?.hash ?? GENESIS_HASH,
    firstBadSeq: event.seq,
    reason: `event #${event.seq}: ${reason}`,
  });
  for (const event of sorted) {
    if (incidentId !== undefined && event.incidentId !== incidentId) {
      return bad(event, `belongs to another incident (${event.incidentId})`);
    }
    if (event.seq !== expectedSeq) {
      return bad(
        event,
        event.seq === expectedSeq - 1
          ? 'sequence number appears twice'
          : `expected event #${expectedSeq} here; event(s) are missing`,
      );
    }
    if (event.prevHash !== prevHash) {
      return bad(event, 'its link to the previous event does not match (an event before it was changed or removed)');
    }
    if (contentUnverifiable?.has(event.seq)) {
      unverified.push(event.seq);
      prevHash = event.hash;
      expectedSeq += 1;
      continue;
    }
    let recomputed: string;
    try {
      recomputed = hashEvent(event);
    } catch (error) {
      return bad(event, `cannot be hashed (${error instanceof Error ? error.message : String(error)})`);
    }
    if (recomputed !== event.hash) {
      return bad(event, 'its content does not match its hash (it was edited after it was recorded)');
    }
    prevHash = event.hash;
    expectedSeq += 1;
  }
  return { ok: true, count: sorted.length, headHash: prevHash, ...(unverified.length ? { unverifiedSeqs: unverified } : {}) };
}
