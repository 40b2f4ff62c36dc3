import type { RecordedEvent } from '@tashghil/event-store';
import { createdTicks, GATEWAY_KEY, toNewEvent, toWireEvent, uuidOf, wireUuid } from './event-shape';
import { ExternalCategories, exposedName, metaStreamOf, resolveTarget } from './stream-names';

const recorded = (over: Partial<RecordedEvent>): RecordedEvent => ({
  globalPosition: 1,
  txId: 1,
  streamId: 'conventions.convention-1',
  category: 'conventions.convention',
  streamPosition: 0,
  eventId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  type: 'ConventionSigned',
  schemaVersion: 1,
  data: { by: 'x' },
  metadata: { actor: 'a' },
  recordedAt: '2026-01-02T03:04:05.678Z',
  hash: '',
  prevHash: null,
  ...over,
});

describe('the event shape on the wire', () => {
  it('gives created as 100-ns ticks since the Unix epoch', () => {
    expect(createdTicks('1970-01-01T00:00:01.000Z')).toBe('10000000');
    expect(createdTicks('2026-01-02T03:04:05.678Z')).toBe(String(Date.parse('2026-01-02T03:04:05.678Z') * 10_000));
  });

  it('writes ids as strings or as Java-style halves, and reads both back', () => {
    const id = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
    const structured = wireUuid(id, true);
    expect(structured.structured?.most_significant_bits).toBe(BigInt.asIntN(64, 0xf81d4fae7dec11d0n).toString());
    expect(uuidOf(structured)).toBe(id);
    expect(uuidOf(wireUuid(id, false))).toBe(id);
  });

  it("carries a service event's metadata as custom metadata, with exactly the three system keys", () => {
    const wire = toWireEvent(recorded({}), '42', false);
    expect(Object.keys(wire.metadata).sort()).toEqual(['content-type', 'created', 'type']);
    expect(wire.metadata['content-type']).toBe('application/json');
    expect(JSON.parse(wire.custom_metadata.toString())).toEqual({ actor: 'a' });
    expect(JSON.parse(wire.data.toString())).toEqual({ by: 'x' });
  });

  it('keeps what a client appended: bytes, content type and its own metadata', () => {
    const proposed = {
      id: { string: '0F8FAD5B-D9CB-469F-A165-70867728950E' },
      metadata: { type: 'Blob', 'content-type': 'application/octet-stream' },
      data: Buffer.from([0, 255, 7]),
      custom_metadata: Buffer.from('not json'),
    };
    const stored = toNewEvent(proposed, 'pipeline-7');
    expect(stored.eventId).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(stored.metadata?.[GATEWAY_KEY]).toMatchObject({ actor: 'pipeline-7', data: 'base64' });
    const wire = toWireEvent(
      recorded({ streamId: 'ext.blobs-1', data: { ...stored.data }, metadata: { ...stored.metadata } }),
      '1',
      false,
    );
    expect([...wire.data]).toEqual([0, 255, 7]);
    expect(wire.custom_metadata.toString()).toBe('not json');
    expect(wire.metadata['content-type']).toBe('application/octet-stream');
  });

  it('refuses a proposed event without the metadata the protocol requires', () => {
    expect(() => toNewEvent({ id: { string: 'x' }, metadata: { type: 'A' } }, 'p')).toThrow(/content-type/);
    expect(() => toNewEvent({ metadata: { 'content-type': 'application/json' } }, 'p')).toThrow(/'type'/);
  });
});

describe('stream names', () => {
  const external = new ExternalCategories(['ext.*', 'feeds.inbound']);

  it('lets clients write only the external categories, never a metadata category directly', () => {
    expect(external.includes('ext.orders-1')).toBe(true);
    expect(external.includes('feeds.inbound-1')).toBe(true);
    expect(external.includes('feeds.other-1')).toBe(false);
    expect(external.includes('conventions.convention-1')).toBe(false);
    expect(external.includes('ext.streammeta-ext.orders-1')).toBe(false);
  });

  it('stores $$<stream> in its own context and shows it under its KurrentDB name', () => {
    expect(metaStreamOf('ext.orders-1')).toBe('ext.streammeta-ext.orders-1');
    expect(exposedName('ext.streammeta-ext.orders-1')).toBe('$$ext.orders-1');
    expect(resolveTarget(external, '$$ext.orders-1')).toMatchObject({ kind: 'meta', external: true });
    expect(resolveTarget(external, '$settings')).toMatchObject({ kind: 'system' });
    expect(() => new ExternalCategories(['ext'])).toThrow(/pattern/);
  });
});
