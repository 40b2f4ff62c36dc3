import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DriverError } from './driver';
import type { Scenario } from './scenarios';

const json = (type: string, n: number) => ({ type, data: { n } });

const refusedAs = async (kind: DriverError['kind'], work: () => Promise<unknown>, message?: RegExp): Promise<void> => {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof DriverError, `expected a ${kind} error, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
};

export const WRITE_SCENARIOS: readonly Scenario[] = [
  {
    id: 'append-no-stream',
    name: 'append with no_stream creates the stream once',
    run: async (d, h) => {
      const s = `ext.orders-${h.unique()}`;
      const first = await d.append(s, [json('OrderPlaced', 1)], 'no_stream');
      assert.ok(first.ok && first.revision === 0n && first.commit !== undefined);
      assert.deepEqual(await d.append(s, [json('OrderPlaced', 2)], 'no_stream'), { ok: false, current: 0n });
    },
  },
  {
    id: 'append-expected-forms',
    name: 'append with each expected-revision form, and each of its failures',
    run: async (d, h) => {
      const s = `ext.orders-${h.unique()}`;
      assert.deepEqual(await d.append(s, [json('OrderPlaced', 1)], 'stream_exists'), {
        ok: false,
        current: 'no_stream',
      });
      assert.deepEqual(await d.append(s, [json('OrderPlaced', 1)], 5n), { ok: false, current: 'no_stream' });
      const first = await d.append(s, [json('OrderPlaced', 1), json('OrderPlaced', 2)], 'no_stream');
      assert.ok(
        first.ok && first.revision === 1n,
        JSON.stringify(first, (_, v) => (typeof v === 'bigint' ? `${v}` : v)),
      );
      assert.deepEqual(await d.append(s, [json('OrderPlaced', 3)], 'no_stream'), { ok: false, current: 1n });
      assert.deepEqual(await d.append(s, [json('OrderPlaced', 3)], 0n), { ok: false, current: 1n });
      const exact = await d.append(s, [json('OrderPlaced', 3)], 1n);
      assert.ok(exact.ok && exact.revision === 2n);
      const exists = await d.append(s, [json('OrderShipped', 4)], 'stream_exists');
      assert.ok(exists.ok && exists.revision === 3n);
      const any = await d.append(s, [json('OrderShipped', 5)], 'any');
      assert.ok(any.ok && any.revision === 4n);
      assert.ok(first.commit !== undefined && any.commit !== undefined && any.commit > first.commit);
      const read = await d.readStream(s, {});
      assert.notEqual(read, 'not-found');
      assert.deepEqual(
        (read as Exclude<typeof read, 'not-found'>).map((e) => e.revision),
        [0n, 1n, 2n, 3n, 4n],
      );
    },
  },
  {
    id: 'idempotent-append',
    name: 'a repeated append of the same event ids is answered as the first, stored once',
    run: async (d, h) => {
      const s = `ext.orders-${h.unique()}`;
      const events = [
        { id: randomUUID(), ...json('OrderPlaced', 1) },
        { id: randomUUID(), ...json('OrderPlaced', 2) },
      ];
      const first = await d.append(s, events, 'no_stream');
      const again = await d.append(s, events, 'no_stream');
      assert.ok(first.ok && again.ok);
      assert.equal(again.revision, first.revision);
      const read = await d.readStream(s, {});
      assert.ok(read !== 'not-found');
      assert.deepEqual(
        read.map((e) => e.id),
        events.map((e) => e.id),
      );
    },
  },
  {
    id: 'refuse-service-append',
    name: "appends to a service's stream are refused as access denied",
    run: async (d, h) => {
      const s = `conventions.convention-${h.unique()}`;
      await h.appendAsService(s, ['ConventionDrafted']);
      await refusedAs('access-denied', () => d.append(s, [json('ConventionSigned', 1)], 'any'));
    },
  },
  {
    id: 'refuse-service-delete',
    name: "deletes and tombstones of a service's stream are refused: the store is append-only",
    run: async (d, h) => {
      const s = `conventions.convention-${h.unique()}`;
      await h.appendAsService(s, ['ConventionDrafted', 'ConventionSigned']);
      await refusedAs('access-denied', () => d.deleteStream(s), /append-only/);
      await refusedAs('access-denied', () => d.tombstoneStream(s), /append-only/);
      const read = await d.readStream(s, {});
      assert.ok(read !== 'not-found' && read.length === 2);
    },
  },
  {
    id: 'soft-delete-external',
    name: 'an external stream soft-deleted reads as not found, and a later append continues its numbering',
    run: async (d, h) => {
      const s = `ext.orders-${h.unique()}`;
      await d.append(s, [json('OrderPlaced', 1), json('OrderPlaced', 2)], 'no_stream');
      await d.deleteStream(s, 1n);
      assert.equal(await d.readStream(s, {}), 'not-found');
      const again = await d.append(s, [json('OrderPlaced', 3)], 'any');
      assert.ok(again.ok && again.revision === 2n);
      const read = await d.readStream(s, {});
      assert.ok(read !== 'not-found');
      assert.deepEqual(
        read.map((e) => e.revision),
        [2n],
      );
    },
  },
  {
    id: 'tombstone-external',
    name: 'an external stream tombstoned is deleted for good',
    run: async (d, h) => {
      const s = `ext.orders-${h.unique()}`;
      await d.append(s, [json('OrderPlaced', 1)], 'no_stream');
      await d.tombstoneStream(s, 'any');
      await refusedAs('stream-deleted', () => d.readStream(s, {}));
      await refusedAs('stream-deleted', () => d.append(s, [json('OrderPlaced', 2)], 'any'));
      await refusedAs('stream-deleted', () => d.tombstoneStream(s, 'any'));
    },
  },
  {
    id: 'stream-metadata',
    name: 'stream metadata is written and read through $$<stream>, and applied to reads',
    run: async (d, h) => {
      const s = `ext.orders-${h.unique()}`;
      assert.equal(await d.getMetadata(s), undefined);
      await d.append(s, [json('A', 1), json('A', 2), json('A', 3)], 'no_stream');
      await d.setMetadata(s, { maxCount: 2, custom: { owner: 'pipeline-7' } });
      const meta = await d.getMetadata(s);
      assert.equal(meta?.maxCount, 2);
      assert.deepEqual(meta?.custom, { owner: 'pipeline-7' });
      const read = await d.readStream(s, {});
      assert.ok(read !== 'not-found');
      assert.deepEqual(
        read.map((e) => e.revision),
        [1n, 2n],
      );
      const raw = await d.readStream(`$$${s}`, { direction: 'backwards', count: 1 });
      assert.ok(raw !== 'not-found' && raw[0]?.type === '$metadata' && raw[0].streamId === `$$${s}`);
      const service = `conventions.convention-${h.unique()}`;
      await h.appendAsService(service, ['ConventionDrafted']);
      await refusedAs('access-denied', () => d.setMetadata(service, { maxCount: 1 }));
    },
  },
  {
    id: 'binary-and-metadata',
    name: 'binary data and custom metadata read back as sent, with the system metadata clients need',
    run: async (d, h) => {
      const s = `ext.blobs-${h.unique()}`;
      const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
      const before = Date.now();
      await d.append(
        s,
        [
          { type: 'BlobStored', data: bytes, binary: true, metadata: { source: 'scanner-3' } },
          { type: 'NoteTaken', data: { text: 'كتابة' }, metadata: { $correlationId: 'c-1' } },
        ],
        'no_stream',
      );
      const read = await d.readStream(s, {});
      assert.ok(read !== 'not-found');
      const [blob, note] = read;
      assert.ok(blob && note);
      assert.equal(blob.isJson, false);
      assert.deepEqual(Buffer.from(blob.data as Uint8Array), Buffer.from(bytes));
      assert.deepEqual(blob.metadata, { source: 'scanner-3' });
      assert.equal(note.isJson, true);
      assert.deepEqual(note.data, { text: 'كتابة' });
      assert.deepEqual(note.metadata, { $correlationId: 'c-1' });
      assert.ok(Math.abs(note.created.getTime() - before) < 60_000, `created ${note.created.toISOString()}`);
    },
  },
];
