import type { ShownEvent } from './event-shape';
import { GATEWAY_KEY, toNewEvent, toWireEvent } from './event-shape';
import { messageType } from './protocol';
import { u64Parts, encodeReadEvent } from './wire-encoder';

const READ_RESP = messageType('event_store.client.streams.ReadResp');
// Defaults on: an empty bytes field reads the same whether written empty (the generic encoder) or left out.
const READ = { longs: String, oneofs: true, bytes: Buffer, defaults: true } as const;

/** What the generic encoder of streams.proto writes for the same event: the reference. */
const generic = (e: ShownEvent, commit: string, structured: boolean): Buffer =>
  Buffer.from(
    READ_RESP.encode({ event: { event: toWireEvent(e, commit, structured), commit_position: commit } }).finish(),
  );

const decoded = (bytes: Buffer) => READ_RESP.toObject(READ_RESP.decode(bytes), READ);

const serviceEvent = (over: Partial<ShownEvent> = {}): ShownEvent => ({
  eventId: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
  streamId: 'subsidies.grant-42',
  streamPosition: 7,
  type: 'GrantPaid',
  recordedAt: '',
  recordedMs: '1767322245678',
  data: '{"amountCentimes": 1250000, "note": "prime d\'insertion, Agadir"}',
  metadata: '{"actor": "officer-1", "correlationId": "c-1"}',
  ...over,
});

describe('the direct ReadResp encoder', () => {
  const cases: Array<[string, ShownEvent, string]> = [
    ['a service event as database text', serviceEvent(), '1048577'],
    [
      'parsed data, a large revision and a position beyond 2^53',
      serviceEvent({ data: { n: 1, nested: { ok: true } }, metadata: { actor: 'a' }, streamPosition: 300_000 }),
      (2n ** 62n + 5n).toString(),
    ],
    ['empty data and metadata', serviceEvent({ data: '', metadata: '' }), '0'],
    ['a negative most significant half', serviceEvent({ eventId: 'ffffffff-ffff-4fff-bfff-000000000001' }), '3'],
    ['non-ASCII text', serviceEvent({ streamId: 'ext.région-Souss-Massa', type: 'Évalué' }), '99'],
  ];

  it.each(cases)('writes %s exactly as the generic encoder, with string and with structured ids', (_, e, commit) => {
    for (const structured of [false, true]) {
      const direct = encodeReadEvent(e, commit, structured);
      expect(decoded(direct)).toEqual(decoded(generic(e, commit, structured)));
      if (e.data !== '' && e.metadata !== '') expect(direct.equals(generic(e, commit, structured))).toBe(true);
    }
  });

  it('gives back what a client appended through the gateway: its bytes, content type and metadata', () => {
    const appended = toNewEvent(
      {
        id: { string: '0f8fad5b-d9cb-469f-a165-70867728950e' },
        metadata: { type: 'Blob', 'content-type': 'application/octet-stream' },
        data: Buffer.from([0, 255, 7]),
        custom_metadata: Buffer.from('not json'),
      },
      'pipeline',
    );
    const e = serviceEvent({
      streamId: 'ext.blobs-1',
      data: JSON.stringify(appended.data),
      metadata: JSON.stringify(appended.metadata),
    });
    expect(JSON.stringify(appended.metadata)).toContain(GATEWAY_KEY);
    const out = decoded(encodeReadEvent(e, '12', false)) as {
      event: { event: { data: Buffer; custom_metadata: Buffer; metadata: Record<string, string> } };
    };
    expect([...out.event.event.data]).toEqual([0, 255, 7]);
    expect(out.event.event.custom_metadata.toString()).toBe('not json');
    expect(out.event.event.metadata['content-type']).toBe('application/octet-stream');
  });

  it('splits a 64-bit decimal into its halves exactly, below and beyond 2^53', () => {
    expect(u64Parts('0')).toEqual({ lo: 0, hi: 0 });
    expect(u64Parts(2 ** 32 + 3)).toEqual({ lo: 3, hi: 1 });
    expect(u64Parts('18446744073709551615')).toEqual({ lo: 0xffffffff, hi: 0xffffffff });
    expect(u64Parts((2n ** 53n + 1n).toString())).toEqual({ lo: 1, hi: 2 ** 21 });
  });
});
