import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalEventForm, canonicalEventFormParts, canonicalJson } from '@/lib/timeline/canonical';
import { hashEvent } from '@/lib/timeline/hash-event';
import { verifyChain } from '@/lib/timeline/verify-chain';
import { GENESIS_HASH, type ChainedEventFields, type TimelineEventRecord } from '@/lib/timeline/types';

function chain(n: number, incidentId = 'inc_1'): TimelineEventRecord[] {
  const events: TimelineEventRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields: ChainedEventFields = {
      incidentId,
      seq,
      at: new Date(Date.UTC(2026, 10, 28, 5, 0, seq, 123)),
      actorType: seq % 2 ? 'person' : 'system',
      actorId: seq % 2 ? 'user_1' : null,
      actorName: seq % 2 ? 'Ada Commander' : 'Rollback Console',
      type: 'action.succeeded',
      summary: `step ${seq}`,
      payload: { step: seq, nested: { b: 1, a: [1, 'two'] } },
      kubectl: 'kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2',
      prevHash,
    };
    const hash = hashEvent(fields);
    events.push({ ...fields, hash });
    prevHash = hash;
  }
  return events;
}

describe('canonical form', () => {
  it('sorts keys at every depth, including integer-like keys, and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [3, undefined] }, 10: 'x', 9: 'y' })).toBe(
      '{"10":"x","9":"y","a":{"c":[3,null]},"b":1}',
    );
  });

  it('writes times as UTC ISO with milliseconds whatever the input form', () => {
    const base: ChainedEventFields = chain(1)[0]!;
    const asString = canonicalEventForm({ ...base, at: '2026-11-28T06:00:01.123+01:00' });
    const asDate = canonicalEventForm({ ...base, at: new Date('2026-11-28T05:00:01.123Z') });
    expect(asString).toBe(asDate);
    expect(asDate).toContain('"at":"2026-11-28T05:00:01.123Z"');
  });

  it('gives the same hash whatever the key order Postgres returns the payload in', () => {
    const [event] = chain(1);
    const reordered = { ...event!, payload: { nested: { a: [1, 'two'], b: 1 }, step: 1 } };
    expect(hashEvent(reordered)).toBe(event!.hash);
  });

  it('property: editing any hashed field of an event changes its hash', () => {
    const jsonValue = fc.jsonValue() as fc.Arbitrary<unknown>;
    const eventArb = fc.record({
      incidentId: fc.string({ minLength: 1 }),
      seq: fc.integer({ min: 1, max: 1_000_000 }),
      at: fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 0)), noInvalidDate: true }),
      actorType: fc.constantFrom('person', 'system'),
      actorId: fc.option(fc.string(), { nil: null }),
      actorName: fc.string(),
      type: fc.string({ minLength: 1 }),
      summary: fc.string(),
      payload: fc.dictionary(fc.string(), jsonValue),
      kubectl: fc.option(fc.string(), { nil: null }),
      prevHash: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
    });
    const fields = ['incidentId', 'seq', 'at', 'actorType', 'actorId', 'actorName', 'type', 'summary', 'payload', 'kubectl', 'prevHash'] as const;
    fc.assert(
      fc.property(eventArb, fc.constantFrom(...fields), fc.string({ minLength: 1 }), (event, field, noise) => {
        const original = hashEvent(event as ChainedEventFields);
        const edited: Record<string, unknown> = { ...event };
        switch (field) {
          case 'seq':
            edited.seq = event.seq + 1;
            break;
          case 'at':
            edited.at = new Date(event.at.getTime() + 1);
            break;
          case 'payload':
            edited.payload = { ...event.payload, [`__edit${noise}`]: noise };
            break;
          case 'actorId':
          case 'kubectl':
            edited[field] = event[field] === null ? noise : null;
            break;
          case 'actorType':
            edited.actorType = event.actorType === 'person' ? 'system' : 'person';
            break;
          default:
            edited[field] = `${String(event[field])}${noise}`;
        }
        expect(hashEvent(edited as ChainedEventFields)).not.toBe(original);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the written-out event form', () => {
  it('property: is exactly the generic canonical JSON of the event', () => {
    fc.assert(
      fc.property(
        fc.record({
          incidentId: fc.string({ unit: 'binary' }),
          seq: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          at: fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 0)), noInvalidDate: true }),
          actorType: fc.string(),
          actorId: fc.option(fc.string({ unit: 'binary' }), { nil: null }),
          actorName: fc.string({ unit: 'binary' }),
          type: fc.string(),
          summary: fc.string({ unit: 'binary' }),
          payload: fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue() as fc.Arbitrary<never>),
          kubectl: fc.option(fc.string(), { nil: null }),
          prevHash: fc.string(),
        }),
        (event) => {
          expect(canonicalEventForm(event)).toBe(canonicalJson({ ...event, at: event.at.toISOString() }));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('canonical form split for hashing inside Postgres', () => {
  it('property: prefix + prevHash + seq + suffix is exactly the canonical form', () => {
    fc.assert(
      fc.property(
        fc.record({
          incidentId: fc.string({ minLength: 1 }),
          at: fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 0)), noInvalidDate: true }),
          actorType: fc.constantFrom('person', 'system'),
          actorId: fc.option(fc.string(), { nil: null }),
          actorName: fc.string(),
          type: fc.string({ minLength: 1 }),
          summary: fc.string({ unit: 'binary' }),
          payload: fc.dictionary(fc.string(), fc.jsonValue() as fc.Arbitrary<never>),
          kubectl: fc.option(fc.string(), { nil: null }),
        }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
        (fields, seq, prevHash) => {
          const { prefix, suffix } = canonicalEventFormParts(fields);
          expect(`${prefix}"prevHash":"${prevHash}","seq":${seq},${suffix}`).toBe(canonicalEventForm({ ...fields, seq, prevHash }));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const events = chain(5);
    expect(verifyChain({ events, incidentId: 'inc_1' })).toEqual({ ok: true, count: 5, headHash: events[4]!.hash });
    expect(verifyChain({ events: [] })).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
  });

  it('names the edited event when one summary is changed', () => {
    const events = chain(6);
    events[3] = { ...events[3]!, summary: 'nothing happened here' };
    const result = verifyChain({ events });
    expect(result.ok).toBe(false);
    expect(result.firstBadSeq).toBe(4);
    expect(result.reason).toMatch(/event #4: .*edited/);
  });

  it('names the next event when an edited event had its hash recomputed too', () => {
    const events = chain(6);
    const { hash: _old, ...fields } = events[2]!;
    const forged = { ...fields, summary: 'forged' };
    events[2] = { ...forged, hash: hashEvent(forged) };
    expect(verifyChain({ events })).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('names the gap when an event is removed from the middle', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verifyChain({ events })).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/missing/) });
  });

  it('refuses an event from another incident', () => {
    const events = chain(3);
    expect(verifyChain({ events, incidentId: 'inc_2' })).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('property: any single-field edit of any event is detected at or before that event', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), fc.string({ minLength: 1 }), (n, pick, noise) => {
        const events = chain(n);
        const index = pick % n;
        events[index] = { ...events[index]!, actorName: events[index]!.actorName + noise };
        const result = verifyChain({ events });
        expect(result.ok).toBe(false);
        expect(result.firstBadSeq).toBe(index + 1);
      }),
    );
  });
});
