import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CanonicalEvent, Party, WireEvent } from './cross-parties';

/** The clients that take part in the cross-client scenarios, by the names judges/scenarios.json uses. */
export const CROSS_PARTIES = ['go', 'python', 'node'] as const;
export type PartyName = (typeof CROSS_PARTIES)[number];

/** An entry of judges/scenarios.json with a writer: one client appends, the others read. */
export interface CrossScenario {
  readonly id: string;
  readonly name: string;
  readonly writer: string;
  readonly readers: readonly string[];
}

const JSON_CONTENT = 'application/json';
const BINARY_CONTENT = 'application/octet-stream';

const b64 = (bytes: string | Uint8Array): string => Buffer.from(bytes).toString('base64');
const jsonEvent = (type: string, data: unknown, metadata: unknown): WireEvent => ({
  id: randomUUID(),
  type,
  contentType: JSON_CONTENT,
  data: b64(JSON.stringify(data)),
  metadata: b64(JSON.stringify(metadata)),
});

/**
 * What a writer appends: JSON with nested values, Arabic text and a null; bytes that are not UTF-8
 * with metadata that is not JSON; each with an id of its own, so readers can compare ids too.
 */
const eventsOf = (writer: string, tag: string): { first: WireEvent[]; second: WireEvent[] } => ({
  first: [
    jsonEvent(
      'ParcelSent',
      { parcel: { id: `p-${tag}`, grams: 1250 }, note: 'طرد إلى أكادير', tags: ['fragile', 'express'], insured: null },
      { source: `${writer}-judge`, $correlationId: tag },
    ),
    {
      id: randomUUID(),
      type: 'LabelScanned',
      contentType: BINARY_CONTENT,
      data: b64(Uint8Array.from([0, 1, 2, 250, 255, 10])),
      metadata: b64('scanner-3'),
    },
    jsonEvent('ParcelDelivered', { parcel: { id: `p-${tag}` }, signedBy: 'Yassine' }, { source: `${writer}-judge` }),
  ],
  second: [jsonEvent('ParcelReturned', { reason: 'refused', days: 3 }, { source: `${writer}-judge` })],
});

const bytesValue = (encoded: string, asJson: boolean): unknown => {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length === 0) return null;
  if (asJson) {
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch {
      // not JSON: compared as bytes
    }
  }
  return { $base64: encoded };
};

type Stored = Omit<CanonicalEvent, 'commit' | 'createdMs'>;

const expectedOf = (stream: string, events: readonly WireEvent[]): Stored[] =>
  events.map((e, revision) => ({
    id: e.id,
    type: e.type,
    stream,
    revision,
    contentType: e.contentType,
    data: bytesValue(e.data, e.contentType === JSON_CONTENT),
    metadata: bytesValue(e.metadata, true),
  }));

const stored = ({ commit: _c, createdMs: _t, ...rest }: CanonicalEvent): Stored => rest;

/**
 * The writer appends four events in two appends (no_stream, then the exact revision); every reader
 * reads them from the stream and from `$all`. Each read must give what was appended (ids, types,
 * content types, data, metadata, revisions), and every read of every reader the same commit
 * positions and creation times, the last position being the one the writer's append answered.
 */
export const runCrossScenario = async (
  writer: Party,
  readers: readonly Party[],
  tag: string,
  settle: () => Promise<void>,
): Promise<void> => {
  const stream = `ext.cross${writer.name}-${tag}`;
  const { first, second } = eventsOf(writer.name, tag);
  const before = Date.now();
  const one = await writer.append(stream, first, 'no_stream');
  assert.equal(one.revision, 2, `${writer.name}'s first append ends at revision 2`);
  const two = await writer.append(stream, second, 2n);
  assert.equal(two.revision, 3, `${writer.name}'s second append ends at revision 3`);
  assert.ok(BigInt(two.commit) > BigInt(one.commit), `positions increase: ${one.commit} then ${two.commit}`);
  const expected = expectedOf(stream, [...first, ...second]);
  await settle();

  const reads: Array<{ by: string; precision: number; events: CanonicalEvent[] }> = [];
  for (const reader of readers) {
    const precision = reader.createdPrecisionMs;
    reads.push({ by: `${reader.name} reading the stream`, precision, events: await reader.read(stream) });
    reads.push({ by: `${reader.name} reading $all`, precision, events: await reader.readAll(stream) });
  }
  const [reference, ...others] = reads;
  assert.ok(reference);
  for (const { by, events } of reads) {
    assert.deepEqual(events.map(stored), expected, `${by}: what ${writer.name} appended`);
    const commits = events.map((e) => BigInt(e.commit));
    assert.ok(
      commits.every((c, i) => i === 0 || c > (commits[i - 1] ?? c)),
      `${by}: increasing positions ${commits.join(',')}`,
    );
    assert.equal(events[2]?.commit, one.commit, `${by}: the first append's position is its last event's`);
    assert.equal(events[3]?.commit, two.commit, `${by}: the second append's position is its event's`);
    for (const e of events) {
      assert.ok(Math.abs(e.createdMs - before) < 60_000, `${by}: created ${new Date(e.createdMs).toISOString()}`);
    }
  }
  for (const { by, precision, events } of others) {
    const step = Math.max(precision, reference.precision);
    const at = (e: CanonicalEvent): CanonicalEvent => ({ ...e, createdMs: e.createdMs - (e.createdMs % step) });
    assert.deepEqual(
      events.map(at),
      reference.events.map(at),
      `${by} reads what ${reference.by} reads, positions and creation times (to ${step} ms) too`,
    );
  }
};
