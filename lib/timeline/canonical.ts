import type { ChainedEventFields, JsonValue } from './types';

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, no undefined, Dates as
 * UTC ISO strings with milliseconds. Two equal values always give the same string, whatever the
 * key order Postgres's jsonb hands back, so a hash over it survives a round trip through the DB.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8785 (the same idea; numbers here use JavaScript's own
 *   shortest round-trip form, which is what RFC 8785 specifies too)
 */
export function canonicalJson(value: unknown): string {
  return serialize(normalizeJson(value));
}

// Written out rather than JSON.stringify(sortedObject): JavaScript objects enumerate integer-like
// keys ("2", "10") first in numeric order, which is not the sorted order other verifiers expect.
function serialize(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${serialize(value[key] as JsonValue)}`).join(',')}}`;
}

/**
 * Turns any value into the JSON data Postgres will store and give back: undefined and functions
 * dropped from objects (null in arrays), Dates as ISO strings, non-finite numbers as null, NUL
 * characters (which jsonb and text columns refuse) replaced by U+FFFD, keys sorted.
 */
export function normalizeJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return cleanString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => normalizeJson(item));
  if (typeof value === 'object') {
    const withToJson = value as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return normalizeJson(withToJson.toJSON());
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      out[cleanString(key)] = normalizeJson(item);
    }
    return out;
  }
  return null;
}

/** Postgres text and jsonb cannot hold U+0000. */
export function cleanString(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000/g, '\uFFFD') : value;
}

/** UTC ISO 8601 with milliseconds; the only time format inside the hash. */
export function canonicalTime(at: Date | string): string {
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) throw new Error(`Invalid event time: ${String(at)}`);
  return date.toISOString();
}

/**
 * The exact string an event's hash is computed over: every stored field except id and hash,
 * including the previous event's hash, which is what chains the events together.
 */
export function canonicalEventForm(event: ChainedEventFields): string {
  return canonicalJson({
    incidentId: event.incidentId,
    seq: event.seq,
    at: canonicalTime(event.at),
    actorType: event.actorType,
    actorId: event.actorId ?? null,
    actorName: event.actorName,
    type: event.type,
    summary: event.summary,
    payload: event.payload ?? {},
    kubectl: event.kubectl ?? null,
    prevHash: event.prevHash,
  });
}
