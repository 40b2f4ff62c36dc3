import assert from 'node:assert/strict';
import type { SeenEvent } from './driver';
import type { Scenario } from './scenarios';

const json = (type: string, n: number) => ({ type, data: { n } });
const keys = (events: readonly SeenEvent[]) => events.map((e) => `${e.streamId}:${e.revision}`);

/** Waits until `events` (filtered by `keep`) holds `count`, polling what a subscription received. */
const until = async (read: () => readonly SeenEvent[], keep: (e: SeenEvent) => boolean, count: number) => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = read().filter(keep);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
};

export const SUBSCRIBE_SCENARIOS: readonly Scenario[] = [
  {
    id: 'subscribe-all-start',
    name: 'subscribe to $all from the start: history, caught up, then live events',
    run: async (d, h) => {
      const s = `ext.feed-${h.unique()}`;
      await d.append(s, [json('A', 1), json('A', 2)], 'no_stream');
      const sub = d.subscribeToAll({});
      try {
        await sub.caughtUp;
        await d.append(s, [json('B', 3)], 1n);
        const mine = await until(
          () => sub.received,
          (e) => e.streamId === s,
          3,
        );
        assert.deepEqual(keys(mine), [`${s}:0`, `${s}:1`, `${s}:2`]);
        const all = sub.received;
        assert.ok(
          all.every((e, i) => i === 0 || e.commit > (all[i - 1]?.commit ?? -1n)),
          'commit order',
        );
      } finally {
        await sub.stop();
      }
    },
  },
  {
    id: 'subscribe-all-position-end',
    name: 'subscribe to $all from a position and from the end',
    run: async (d, h) => {
      const s = `ext.feed-${h.unique()}`;
      await d.append(s, [json('A', 1), json('A', 2), json('A', 3)], 'no_stream');
      const history = (await d.readAll({ filter: { on: 'stream', prefixes: [s] } })).filter((e) => e.streamId === s);
      const from = history[0]?.commit;
      assert.ok(from !== undefined);
      const after = d.subscribeToAll({ from });
      const end = d.subscribeToAll({ from: 'end' });
      try {
        await Promise.all([after.caughtUp, end.caughtUp]);
        await d.append(s, [json('B', 4)], 2n);
        assert.deepEqual(
          keys(
            await until(
              () => after.received,
              (e) => e.streamId === s,
              3,
            ),
          ),
          [`${s}:1`, `${s}:2`, `${s}:3`],
        );
        assert.deepEqual(
          keys(
            await until(
              () => end.received,
              (e) => e.streamId === s,
              1,
            ),
          ),
          [`${s}:3`],
        );
      } finally {
        await Promise.all([after.stop(), end.stop()]);
      }
    },
  },
  {
    id: 'subscribe-stream',
    name: 'subscribe to a stream from the start, from a revision and from the end',
    run: async (d, h) => {
      const s = `ext.feed-${h.unique()}`;
      await d.append(s, [json('A', 1), json('A', 2)], 'no_stream');
      const start = d.subscribeToStream(s, {});
      const revision = d.subscribeToStream(s, { from: 0n });
      const end = d.subscribeToStream(s, { from: 'end' });
      try {
        await Promise.all([start.caughtUp, revision.caughtUp, end.caughtUp]);
        await d.append(s, [json('B', 3)], 1n);
        assert.deepEqual(keys(await start.take(3)), [`${s}:0`, `${s}:1`, `${s}:2`]);
        assert.deepEqual(keys(await revision.take(2)), [`${s}:1`, `${s}:2`]);
        assert.deepEqual(keys(await end.take(1)), [`${s}:2`]);
      } finally {
        await Promise.all([start.stop(), revision.stop(), end.stop()]);
      }
    },
  },
  {
    id: 'filtered-checkpoints',
    name: 'a filtered $all subscription receives only matches, and checkpoints it can resume from',
    run: async (d, h) => {
      const id = h.unique();
      const wanted = `ext.kept${id}-1`;
      const noise = `ext.noise${id}-1`;
      await d.append(
        noise,
        Array.from({ length: 40 }, (_, n) => json('Noise', n)),
        'no_stream',
      );
      await d.append(wanted, [json('Kept', 1)], 'no_stream');
      const sub = d.subscribeToAll({ filter: { on: 'stream', prefixes: [`ext.kept${id}`], checkpointInterval: 1 } });
      try {
        await sub.caughtUp;
        await d.append(
          noise,
          Array.from({ length: 40 }, (_, n) => json('Noise', n)),
          39n,
        );
        await d.append(wanted, [json('Kept', 2)], 0n);
        const kept = await sub.take(2);
        assert.deepEqual(keys(kept), [`${wanted}:0`, `${wanted}:1`]);
        assert.ok(sub.received.length === 2, 'no event outside the filter');
        assert.ok(sub.checkpoints.length > 0, 'checkpoints are sent');
        const checkpoint = sub.checkpoints[0] ?? 0n;
        const firstKept = kept[0]?.commit ?? 0n;
        assert.ok(checkpoint >= firstKept, 'a checkpoint never passes an event not sent');
        const resumed = d.subscribeToAll({ from: checkpoint, filter: { on: 'stream', prefixes: [`ext.kept${id}`] } });
        try {
          await resumed.caughtUp;
          assert.deepEqual(keys(resumed.received), keys(kept.filter((e) => e.commit > checkpoint)));
        } finally {
          await resumed.stop();
        }
      } finally {
        await sub.stop();
      }
    },
  },
  {
    id: 'resume-after-disconnect',
    name: 'a subscription resumed after a disconnect from its last position loses and repeats nothing',
    run: async (d, h) => {
      const s = `ext.feed-${h.unique()}`;
      await d.append(
        s,
        [1, 2, 3].map((n) => json('A', n)),
        'no_stream',
      );
      const first = d.subscribeToAll({ filter: { on: 'stream', prefixes: [s] } });
      const got = await first.take(2);
      await first.stop();
      await d.append(
        s,
        [4, 5].map((n) => json('A', n)),
        2n,
      );
      const last = got[got.length - 1]?.commit;
      assert.ok(last !== undefined);
      const second = d.subscribeToAll({ from: last, filter: { on: 'stream', prefixes: [s] } });
      try {
        const rest = await second.take(3);
        assert.deepEqual(
          keys([...got, ...rest]),
          [0, 1, 2, 3, 4].map((r) => `${s}:${r}`),
        );
      } finally {
        await second.stop();
      }
    },
  },
  {
    id: 'late-commit',
    name: 'a transaction that began first and commits last is delivered in its place, never skipped',
    backends: ['postgres'],
    run: async (d, h) => {
      const id = h.unique();
      const early = `ext.early${id}-1`;
      const late = `ext.late${id}-1`;
      const mine = (e: SeenEvent) => e.streamId === early || e.streamId === late;
      const sub = d.subscribeToAll({ filter: { on: 'stream', regex: `^ext\\.(early|late)${id}-` } });
      await sub.caughtUp;
      const held = await h.holdTransaction(early);
      await d.append(late, [json('Late', 1)], 'no_stream');
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(sub.received.filter(mine), [], 'nothing after the open transaction is delivered before it');
      await held.commit();
      const delivered = await until(() => sub.received, mine, 2);
      await sub.stop();
      assert.deepEqual(
        delivered.map((e) => e.streamId),
        [early, late],
      );
      assert.ok((delivered[0]?.commit ?? 0n) < (delivered[1]?.commit ?? 0n));
      const read = (await d.readAll({ filter: { on: 'stream', regex: `^ext\\.(early|late)${id}-` } })).filter(mine);
      assert.deepEqual(
        read.map((e) => e.commit),
        delivered.map((e) => e.commit),
      );
      const resumed = await d.readAll({ from: delivered[1]?.commit, count: 1 });
      assert.equal(resumed[0]?.streamId, late, 'the late event is found again from its commit position alone');
    },
  },
];
