/**
 * Plain data shapes of the incident timeline, shared by the server code, the exports and the
 * client components (no server-only import here: these are types and constants only).
 */

/** prevHash of the first event of every incident. */
export const GENESIS_HASH = '0'.repeat(64);

/** Who caused an event: a signed-in person, or the console itself (a check, a watch, a job). */
export type TimelineActor =
  | { type: 'person'; id: string; name: string }
  | { type: 'system'; name: string; id?: string | null };

/** JSON value as stored in the payload column. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The fields covered by an event's hash, exactly as stored. */
export type ChainedEventFields = {
  incidentId: string;
  seq: number;
  at: Date | string;
  actorType: string;
  actorId: string | null;
  actorName: string;
  type: string;
  summary: string;
  payload: JsonValue;
  kubectl: string | null;
  prevHash: string;
};

/** A stored timeline event (a TimelineEvent row as plain data). */
export type TimelineEventRecord = ChainedEventFields & { id?: string; hash: string };

/**
 * What the browser receives for one event: times as UTC ISO strings, payload redacted, and for
 * notes the Markdown already rendered to safe HTML on the server.
 */
export type TimelineEventView = {
  id: string;
  incidentId: string;
  seq: number;
  /** UTC ISO 8601 with milliseconds, e.g. 2026-11-28T05:51:13.123Z */
  at: string;
  actorType: string;
  actorId: string | null;
  actorName: string;
  type: string;
  summary: string;
  payload: JsonValue;
  kubectl: string | null;
  prevHash: string;
  hash: string;
  /** Sanitized HTML of a note's Markdown (type 'note' only). */
  noteHtml?: string;
};

/** Result of recomputing a chain. */
export type ChainVerification = {
  ok: boolean;
  /** Number of events checked. */
  count: number;
  /** Hash of the last event (GENESIS_HASH when there are none). */
  headHash: string;
  /** Sequence number of the first event that does not match. */
  firstBadSeq?: number;
  /** Why it does not match, in words a postmortem author understands. */
  reason?: string;
  /** Events whose content could not be rechecked (masked on export); links were checked. */
  unverifiedSeqs?: number[];
};
