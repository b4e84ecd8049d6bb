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
  return serialize(value) ?? 'null';
}

// One pass that normalises as it writes (same rules as normalizeJson), because hashing runs for
// every event on every verification and export. Written out rather than
// JSON.stringify(sortedObject): JavaScript objects enumerate integer-like keys ("2", "10") first
// in numeric order, which is not the sorted order other verifiers expect.
// Returns undefined for values an object drops (undefined, functions, symbols).
function serialize(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(cleanString(value));
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(Object.is(value, -0) ? 0 : value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'null' : `"${value.toISOString()}"`;
  if (Array.isArray(value)) return `[${value.map((item) => serialize(item) ?? 'null').join(',')}]`;
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return serialize(withToJson.toJSON());
  const record = value as Record<string, unknown>;
  // Keys are compared after NUL replacement, as normalizeJson stores them.
  const keys = Object.keys(record)
    .map((key) => [cleanString(key), key] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const parts: string[] = [];
  for (const [clean, key] of keys) {
    const item = serialize(record[key]);
    if (item !== undefined) parts.push(`${JSON.stringify(clean)}:${item}`);
  }
  return `{${parts.join(',')}}`;
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
  // Lone surrogates cannot be stored as UTF-8 either; the driver would turn them into U+FFFD.
  const wellFormed = value.isWellFormed() ? value : value.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replace(/\u0000/g, '\uFFFD') : wellFormed;
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
  // Written out in sorted key order (the same string canonicalJson would give, unit-tested):
  // this runs for every event on every verification and export.
  const text = (value: string) => JSON.stringify(cleanString(value));
  const nullable = (value: string | null | undefined) => (value === null || value === undefined ? 'null' : text(value));
  return (
    `{"actorId":${nullable(event.actorId)},"actorName":${text(event.actorName)},"actorType":${text(event.actorType)}` +
    `,"at":"${canonicalTime(event.at)}","incidentId":${text(event.incidentId)},"kubectl":${nullable(event.kubectl)}` +
    `,"payload":${serialize(event.payload ?? {}) ?? 'null'},"prevHash":${text(event.prevHash)},"seq":${serialize(event.seq) ?? 'null'}` +
    `,"summary":${text(event.summary)},"type":${text(event.type)}}`
  );
}

/**
 * The canonical form split around the two fields only the database knows at insert time (the
 * previous hash and the next seq): `prefix + '"prevHash":"' + prevHash + '","seq":' + seq + ',' + suffix`
 * equals canonicalEventForm(). Lets one SQL statement compute the hash under the lock (sha256 in
 * Postgres), so the per-incident lock is held for microseconds instead of network round trips.
 * Relies on the sorted key order: actorId actorName actorType at incidentId kubectl payload |
 * prevHash seq | summary type (unit-tested against canonicalEventForm).
 */
export function canonicalEventFormParts(event: Omit<ChainedEventFields, 'seq' | 'prevHash'>): { prefix: string; suffix: string } {
  const head = canonicalJson({
    incidentId: event.incidentId,
    at: canonicalTime(event.at),
    actorType: event.actorType,
    actorId: event.actorId ?? null,
    actorName: event.actorName,
    payload: event.payload ?? {},
    kubectl: event.kubectl ?? null,
  });
  const tail = canonicalJson({ summary: event.summary, type: event.type });
  return { prefix: `${head.slice(0, -1)},`, suffix: tail.slice(1) };
}
