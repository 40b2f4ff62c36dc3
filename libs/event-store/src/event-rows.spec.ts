import fc from 'fast-check';
import { canonicalJson, sha256Hex } from './canonical-json';
import { chainHash, linkFields, plainCanonicalJson, type HashedFields } from './event-rows';

// The definition every stored chain was made with, and that verify must keep recomputing.
const byDefinition = (prev: string | null, e: HashedFields): string =>
  sha256Hex(`${prev ?? ''}\n${canonicalJson(linkFields(e))}`);

const json = fc.jsonValue();
const fields = fc.record({
  streamId: fc.string(),
  streamPosition: fc.integer({ min: 0 }),
  eventId: fc.uuid(),
  type: fc.string(),
  schemaVersion: fc.integer({ min: 1, max: 20 }),
  data: fc.oneof(json, fc.dictionary(fc.string(), json), fc.constant(undefined)),
  metadata: fc.oneof(fc.dictionary(fc.string(), json), fc.constant(undefined)),
  recordedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
});

describe('chainHash', () => {
  it('is SHA-256 over the previous link and the canonical JSON of the link fields', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })),
        fields,
        (prev, e) => {
          expect(chainHash(prev, e)).toBe(byDefinition(prev, e));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('ignores fields outside the link, such as a recorded event’s global position', () => {
    const e = {
      streamId: 'tests.thing-1',
      streamPosition: 3,
      eventId: '0b0c3e5e-8f4c-4b38-9d35-6f2a3b1c9e01',
      type: 'ThingNamed',
      schemaVersion: 1,
      data: { name: 'x', '10': 1, '9': 2 },
      metadata: { actor: 'test' },
      recordedAt: '2026-12-04T10:00:00.000Z',
    };
    expect(chainHash('ab', { ...e, globalPosition: 99 } as HashedFields)).toBe(byDefinition('ab', e));
    expect(chainHash(null, e)).not.toBe(chainHash(null, { ...e, streamPosition: 4 }));
  });
});

describe('plainCanonicalJson', () => {
  it('writes canonicalJson’s text for JSON values, and a text that parses to what JSON.stringify’s does', () => {
    fc.assert(
      fc.property(fc.oneof(json, fc.dictionary(fc.string(), fc.oneof(json, fc.constant(undefined)))), (value) => {
        const text = plainCanonicalJson(value);
        expect(text).toBe(canonicalJson(value));
        expect(JSON.parse(text ?? '')).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes objects of one shape alike whatever order their keys came in, and again once the order is known', () => {
    const keys = ['zeta', 'alpha', 'mu', 'beta', 'omega'];
    fc.assert(
      fc.property(
        fc.shuffledSubarray(keys, { minLength: 1 }),
        fc.array(json, { minLength: 5, maxLength: 5 }),
        (order, values) => {
          const value = Object.fromEntries(order.map((key) => [key, values[keys.indexOf(key)]]));
          const reversed = Object.fromEntries([...order].reverse().map((key) => [key, value[key]]));
          expect(plainCanonicalJson(value)).toBe(canonicalJson(value));
          expect(plainCanonicalJson(reversed)).toBe(plainCanonicalJson(value));
          expect(plainCanonicalJson(value)).toBe(plainCanonicalJson({ ...value }));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('declines what canonicalJson and JSON.stringify write differently', () => {
    class Money {
      constructor(readonly centimes: number) {}
    }
    const sparse = [1, 2];
    delete sparse[0];
    for (const value of [new Date(0), new Money(5), { at: new Date(0) }, [sparse], { f: () => 1 }, { n: 1n }]) {
      expect(plainCanonicalJson(value)).toBeUndefined();
    }
    expect(plainCanonicalJson({ b: [1, undefined, 'x'], a: { z: null, y: -0 }, c: undefined })).toBe(
      canonicalJson({ b: [1, undefined, 'x'], a: { z: null, y: -0 }, c: undefined }),
    );
  });
});
