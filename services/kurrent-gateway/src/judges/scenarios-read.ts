import assert from 'node:assert/strict';
import type { SeenEvent } from './driver';
import type { Scenario } from './scenarios';

const json = (type: string, n: number) => ({ type, data: { n } });
const revisions = (events: readonly SeenEvent[] | 'not-found') =>
  events === 'not-found' ? events : events.map((e) => e.revision);
const increasing = (events: readonly SeenEvent[]): boolean =>
  events.every((e, i) => i === 0 || e.commit > (events[i - 1]?.commit ?? -1n));

export const READ_SCENARIOS: readonly Scenario[] = [
  {
    id: 'read-stream-revision',
    name: 'read a stream forwards and backwards from a revision',
    run: async (d, h) => {
      const s = `ext.orders-${h.unique()}`;
      await d.append(
        s,
        [1, 2, 3, 4, 5].map((n) => json('OrderPlaced', n)),
        'no_stream',
      );
      assert.deepEqual(revisions(await d.readStream(s, { from: 1n, count: 2 })), [1n, 2n]);
      assert.deepEqual(revisions(await d.readStream(s, { direction: 'backwards', count: 2 })), [4n, 3n]);
      assert.deepEqual(revisions(await d.readStream(s, { direction: 'backwards', from: 1n })), [1n, 0n]);
      assert.deepEqual(revisions(await d.readStream(s, { from: 5n })), []);
      assert.equal(await d.readStream(`ext.orders-${h.unique()}`, {}), 'not-found');
    },
  },
  {
    id: 'read-service-stream',
    name: "read a service's stream as stored, its metadata as custom metadata",
    run: async (d, h) => {
      const s = `conventions.convention-${h.unique()}`;
      await h.appendAsService(s, ['ConventionDrafted', 'ConventionSigned']);
      const read = await d.readStream(s, {});
      assert.ok(read !== 'not-found');
      assert.deepEqual(
        read.map((e) => [e.type, e.data]),
        [
          ['ConventionDrafted', { step: 0 }],
          ['ConventionSigned', { step: 1 }],
        ],
      );
      assert.equal((read[0]?.metadata as { actor?: string }).actor, 'judge');
    },
  },
  {
    id: 'read-all-position',
    name: 'read $all from a position: inclusive forwards, exclusive backwards, in commit order',
    run: async (d, h) => {
      const s = `ext.orders-${h.unique()}`;
      await d.append(
        s,
        [1, 2, 3].map((n) => json('OrderPlaced', n)),
        'no_stream',
      );
      const all = (await d.readAll({})).filter((e) => e.streamId === s);
      assert.equal(all.length, 3);
      const middle = all[1];
      assert.ok(middle);
      const forwards = await d.readAll({ from: middle.commit, count: 2 });
      assert.deepEqual(
        forwards.map((e) => [e.streamId, e.revision]),
        [
          [s, 1n],
          [s, 2n],
        ],
      );
      const backwards = await d.readAll({ direction: 'backwards', from: middle.commit, count: 1 });
      assert.deepEqual(
        backwards.map((e) => [e.streamId, e.revision]),
        [[s, 0n]],
      );
      const everything = await d.readAll({});
      assert.ok(increasing(everything), 'positions increase along $all');
      const reversed = await d.readAll({ direction: 'backwards' });
      assert.deepEqual(
        reversed.map((e) => e.commit),
        everything.map((e) => e.commit).reverse(),
      );
    },
  },
  {
    id: 'read-all-filters',
    name: 'read $all with each filter kind: stream prefix, stream regex, type prefix, type regex',
    run: async (d, h) => {
      const id = h.unique();
      const a = `ext.parcels-${id}`;
      const b = `ext.letters-${id}`;
      await d.append(a, [json(`Parcel${id}Sent`, 1), json(`Parcel${id}Lost`, 2)], 'no_stream');
      await d.append(b, [json(`Letter${id}Sent`, 3)], 'no_stream');
      const streams = (es: readonly SeenEvent[]) => es.map((e) => `${e.streamId}:${e.revision}`);
      assert.deepEqual(streams(await d.readAll({ filter: { on: 'stream', prefixes: [a] } })), [`${a}:0`, `${a}:1`]);
      assert.deepEqual(streams(await d.readAll({ filter: { on: 'stream', regex: `^ext\\.letters-${id}$` } })), [
        `${b}:0`,
      ]);
      assert.deepEqual(streams(await d.readAll({ filter: { on: 'type', prefixes: [`Parcel${id}`] } })), [
        `${a}:0`,
        `${a}:1`,
      ]);
      assert.deepEqual(streams(await d.readAll({ filter: { on: 'type', regex: `${id}Sent$` } })), [`${a}:0`, `${b}:0`]);
    },
  },
  {
    id: 'personal-sealed-erased',
    name: 'personal fields read sealed, as on Kafka, and erased once their subject is erased',
    run: async (d, h) => {
      const subject = `seeker-${h.unique()}`;
      const s = `matching.${'seeker'}-${subject}`;
      await h.appendPersonal(s, subject);
      const sealed = await d.readStream(s, {});
      assert.ok(sealed !== 'not-found');
      const data = sealed[0]?.data as Record<string, unknown>;
      assert.equal(data.region, 'souss-massa');
      assert.equal(typeof (data.name as { $pii?: { ct?: unknown } }).$pii?.ct, 'string');
      assert.ok(!JSON.stringify(data).includes('Amina'), 'no clear personal data leaves the gateway');
      await h.erase(subject);
      const erased = await d.readAll({ filter: { on: 'stream', prefixes: [s] } });
      assert.deepEqual(erased[0]?.data, {
        seekerId: subject,
        name: '[erased]',
        phone: '[erased]',
        region: 'souss-massa',
      });
    },
  },
];
