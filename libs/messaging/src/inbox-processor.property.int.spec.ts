import { randomUUID } from 'node:crypto';
import { CONTRACTS, contractFor, envelopeSchema, HEADERS } from '@tashghil/contracts';
import { openPgliteDatabase, openStore, type TestDatabase } from '@tashghil/event-store';
import fc from 'fast-check';
import { z } from 'zod';
import { InProcessBus } from './in-process-bus';
import { InboxProcessor, type Outcome } from './inbox-processor';
import type { InboundMessage } from './message';
import { MESSAGING_MIGRATIONS } from './migrations';

const TOPIC = 'tashghil.conventions';
const thing = z.object({ n: z.number().int(), label: z.string() });
/** The real registry, plus one small contract whose handler writes what it got: a way to reach 'applied'. */
const contracts = (type: string) =>
  type === 'ThingCounted' ? { topic: TOPIC, versions: { 1: thing } } : contractFor(type);
const HANDLED = new Set(['ThingCounted', ...Object.keys(CONTRACTS)]);

type Expected =
  | 'applied'
  | 'ignored'
  | 'EMPTY'
  | 'MALFORMED_JSON'
  | 'MALFORMED_ENVELOPE'
  | 'UNKNOWN_SCHEMA_VERSION'
  | 'CONTRACT_VIOLATION';

/** What the processor must answer, read from the message as the specification says, not as the code does it. */
const expectedFor = (value: string | null): Expected => {
  if (value === null) return 'EMPTY';
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return 'MALFORMED_JSON';
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return 'MALFORMED_ENVELOPE';
  if (!HANDLED.has(envelope.data.type)) return 'ignored';
  const schema = contracts(envelope.data.type)?.versions[envelope.data.schemaVersion];
  if (!schema) return 'UNKNOWN_SCHEMA_VERSION';
  return schema.safeParse(envelope.data.data).success ? 'applied' : 'CONTRACT_VIOLATION';
};

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const text = fc.oneof(
  fc.constantFrom(
    '',
    '\u0000',
    'a\u0000b',
    '\\u0000',
    '\\\\u0000',
    '\ud800',
    '\udfff"',
    '"\\',
    'كلميم',
    '\u202e',
    '{"a":',
    'null',
    '[]',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({
    unit: fc.oneof(
      lone,
      fc.constantFrom('\u0000', '\\', '"', 'u', '0'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 20,
  }),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'x'.repeat(n)),
);
const headers = fc.dictionary(text, text, { maxKeys: 4 });

const envelope = (eventId: string, type: string, data: unknown, overrides: Record<string, unknown> = {}) => ({
  eventId,
  type,
  schemaVersion: 1,
  streamId: `things.thing-${eventId}`,
  streamPosition: 0,
  globalPosition: 1,
  recordedAt: '2022-04-22T09:00:00.000Z',
  data,
  metadata: { correlationId: 'corr-1' },
  ...overrides,
});
/** Ids from a small pool, so the same event comes again now and then, as a redelivery would. */
const eventId = fc.oneof(fc.uuid({ version: 4 }), fc.constantFrom(randomUUID(), randomUUID()));

const envelopeField = fc.constantFrom(
  'eventId',
  'type',
  'schemaVersion',
  'streamId',
  'streamPosition',
  'globalPosition',
  'recordedAt',
  'data',
  'metadata',
);
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  text,
  fc.constantFrom(0, -1, 1.5, 2 ** 53, 'NaN', null, [], {}),
);

/** Message values from plain noise to an envelope one field away from valid. */
const value: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant(null),
  text,
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .tuple(eventId, fc.integer({ min: -5, max: 5 }), text)
    .map(([id, n, label]) => JSON.stringify(envelope(id, 'ThingCounted', { n, label }))),
  fc
    .tuple(eventId, fc.constantFrom(...Object.keys(CONTRACTS), 'ThingCounted'), anyJson)
    .map(([id, type, data]) => JSON.stringify(envelope(id, type, data))),
  fc
    .tuple(
      eventId,
      fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'NoSuchEvent', ''),
      anyJson,
    )
    .map(([id, type, data]) => JSON.stringify(envelope(id, type, data))),
  fc
    .tuple(eventId, fc.constantFrom(0, 2, -1, 1.5, 99), anyJson)
    .map(([id, v, data]) => JSON.stringify(envelope(id, 'ThingCounted', data, { schemaVersion: v }))),
  fc
    .tuple(eventId, envelopeField, fc.option(anyJson, { nil: undefined }))
    .map(([id, field, v]) => JSON.stringify(envelope(id, 'ThingCounted', { n: 1, label: 'x' }, { [field]: v }))),
  fc
    .tuple(eventId, fc.integer({ min: 1, max: 5 }), fc.constantFrom('__proto__', 'constructor'))
    .map(([id, n, key]) =>
      JSON.stringify(envelope(id, 'ThingCounted', { n, label: 'p' })).replace(
        '"data":{',
        `"data":{"${key}":{"n":"polluted"},`,
      ),
    ),
);

describe('the inbox processor on arbitrary messages (PGlite)', () => {
  let database: TestDatabase;
  let bus: InProcessBus;
  let processor: InboxProcessor;
  let stopping = false;
  const consumer = `fuzz-${randomUUID()}`;
  let offset = 0;

  beforeAll(async () => {
    database = await openPgliteDatabase();
    await openStore(database, MESSAGING_MIGRATIONS);
    await database.db.query(
      `CREATE TABLE public.fuzz_applied (event_id uuid PRIMARY KEY, type text NOT NULL, label text)`,
    );
    bus = new InProcessBus();
    processor = new InboxProcessor({
      db: database.db,
      consumer,
      contracts,
      deadLetters: bus,
      backoffMs: () => 1,
      isStopping: () => stopping,
      handlerFor: (type) =>
        HANDLED.has(type)
          ? async (data, ctx) => {
              const label = type === 'ThingCounted' ? (data as z.infer<typeof thing>).label : null;
              await ctx.tx.query(`INSERT INTO public.fuzz_applied (event_id, type, label) VALUES ($1, $2, $3)`, [
                ctx.envelope.eventId,
                type,
                label,
              ]);
            }
          : undefined,
    });
  });
  afterAll(() => database.dispose());

  /** A stalled retry loop fails the property instead of hanging the suite. */
  const processWithin = async (message: InboundMessage, ms: number): Promise<Outcome> => {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        stopping = true;
        reject(new Error(`processing stalled for ${ms} ms`));
      }, ms);
    });
    try {
      return await Promise.race([processor.process(message), stalled]);
    } finally {
      clearTimeout(timer);
    }
  };

  it('answers every message with its outcome, records it, moves the offset on, and never throws or stalls', async () => {
    const message = fc.record({
      key: fc.option(text, { nil: null }),
      value,
      headers,
      partition: fc.integer({ min: 0, max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        offset += 1;
        const inbound: InboundMessage = {
          topic: TOPIC,
          partition: m.partition,
          offset: String(offset),
          key: m.key,
          value: m.value,
          headers: m.headers,
        };
        const expected = expectedFor(m.value);
        const id = expected === 'applied' ? (JSON.parse(m.value ?? '{}') as { eventId: string }).eventId : null;
        const { rows: seen } = await database.db.query(
          `SELECT 1 FROM msg.inbox WHERE consumer = $1 AND event_id = $2::uuid`,
          [consumer, id],
        );
        const outcome = await processWithin(inbound, 10_000);
        if (outcome === 'ignored') {
          // A skipped message costs no write of its own; the partition's next flush records its offset.
          const { rows: before } = await database.db.query<{ offset: string }>(
            `SELECT "offset"::text AS offset FROM msg.consumer_offsets WHERE consumer = $1 AND topic = $2 AND partition = $3`,
            [consumer, TOPIC, m.partition],
          );
          expect(Number(before[0]?.offset ?? -1)).toBeLessThan(offset);
          await processor.flushSkipped();
        }

        const dead = await database.db.query<{ reason: string }>(
          `SELECT reason FROM msg.dead_letters WHERE consumer = $1 AND topic = $2 AND partition = $3 AND "offset" = $4`,
          [consumer, TOPIC, m.partition, offset],
        );
        const {
          rows: [moved],
        } = await database.db.query<{ offset: string }>(
          `SELECT "offset"::text AS offset FROM msg.consumer_offsets WHERE consumer = $1 AND topic = $2 AND partition = $3`,
          [consumer, TOPIC, m.partition],
        );
        expect(Number(moved?.offset)).toBeGreaterThanOrEqual(offset);

        if (expected === 'applied') {
          // PostgreSQL refuses NUL in text on every attempt; PGlite refuses some strings with an
          // unpaired surrogate and stores others with U+FFFD in its place.
          const { data } = JSON.parse(m.value ?? '{}') as { data: { label: string } };
          const refused = data.label.includes('\u0000');
          const either = !refused && UNPAIRED_SURROGATE.test(data.label);
          const { rows } = await database.db.query(`SELECT 1 FROM public.fuzz_applied WHERE event_id = $1`, [id]);
          if (seen.length > 0) expect(outcome).toBe('duplicate');
          else if (either)
            expect(outcome === 'applied' ? [] : dead.rows.map((r) => r.reason)).toEqual(
              outcome === 'applied' ? [] : ['HANDLER_FAILED'],
            );
          else
            expect([outcome, ...dead.rows.map((r) => r.reason)]).toEqual(
              refused ? ['dead-lettered', 'HANDLER_FAILED'] : ['applied'],
            );
          expect(rows).toHaveLength(outcome === 'dead-lettered' ? 0 : 1);
        } else if (expected === 'ignored') {
          expect(outcome).toBe('ignored');
          expect(dead.rows).toEqual([]);
        } else {
          expect(outcome).toBe('dead-lettered');
          expect(dead.rows.map((r) => r.reason)).toEqual([expected]);
          const published = bus.published(`${TOPIC}.dlq`).at(-1);
          expect(published?.headers[HEADERS.dlqReason]).toBe(expected);
          expect(published?.headers[HEADERS.dlqOffset]).toBe(String(offset));
        }
        expect(({} as Record<string, unknown>).n).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('applies a redelivered message once and answers duplicate, whatever its headers', async () => {
    await fc.assert(
      fc.asyncProperty(headers, headers, fc.integer(), async (first, second, n) => {
        const v = JSON.stringify(envelope(randomUUID(), 'ThingCounted', { n, label: 'again' }));
        offset += 1;
        expect(
          await processWithin(
            { topic: TOPIC, partition: 0, offset: String(offset), key: 'k', value: v, headers: first },
            10_000,
          ),
        ).toBe('applied');
        offset += 1;
        expect(
          await processWithin(
            { topic: TOPIC, partition: 0, offset: String(offset), key: 'k', value: v, headers: second },
            10_000,
          ),
        ).toBe('duplicate');
        const { rows } = await database.db.query(`SELECT 1 FROM public.fuzz_applied WHERE event_id = $1`, [
          (JSON.parse(v) as { eventId: string }).eventId,
        ]);
        expect(rows).toHaveLength(1);
      }),
      { numRuns: 30 },
    );
  });
});
