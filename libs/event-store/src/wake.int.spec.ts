import { randomUUID } from 'node:crypto';
import type { EventStore } from './event-store';
import { openStore, testBackends, type TestDatabase } from './test-backends';
import type { NewEvent } from './types';
import { listenChannels } from './wake';

const ev = (type: string): NewEvent => ({ eventId: randomUUID(), type, data: {}, metadata: {} });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = async (cond: () => boolean, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
};

describe.each(testBackends().map((b) => [b.name, b] as const))('waking subscribers on %s', (_name, backend) => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
  });
  afterAll(() => database.dispose());

  /** Counts the wake-ups a listener with this filter gets, from the moment it listens. */
  const listening = async (filter: Parameters<typeof listenChannels>[0]) => {
    const heard = { count: 0 };
    const stop = await database.db.listen(listenChannels(filter), () => {
      heard.count += 1;
    });
    // The server's listener wakes once on connecting, for what was written while it was away.
    heard.count = 0;
    return { heard, stop };
  };

  it('wakes a subscriber of a context for appends to that context, and not for others', async () => {
    const mine = `w${randomUUID().slice(0, 8)}`;
    const other = `o${randomUUID().slice(0, 8)}`;
    const { heard, stop } = await listening({ categories: [`${mine}.thing`] });
    try {
      await store.append(`${other}.thing-1`, [ev('Elsewhere')]);
      await store.appendMany([{ streamId: `${other}.thing-2`, events: [ev('Elsewhere')], expected: 'any' }]);
      await sleep(300);
      expect(heard.count).toBe(0);
      await store.append(`${mine}.other-1`, [ev('Here')]);
      await waitFor(() => heard.count > 0);
    } finally {
      await stop();
    }
  });

  it('wakes a subscriber of the whole log for every context, once the append has committed', async () => {
    const { heard, stop } = await listening({});
    try {
      await database.db.transaction(async (tx) => {
        await store.appendInTransaction(tx, `x${randomUUID().slice(0, 8)}.thing-1`, [ev('Held')], 'any');
        await sleep(200);
        expect(heard.count).toBe(0);
      });
      await waitFor(() => heard.count > 0);
      const after = heard.count;
      await expect(
        database.db.transaction(async (tx) => {
          await store.appendInTransaction(tx, `y${randomUUID().slice(0, 8)}.thing-1`, [ev('RolledBack')], 'any');
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await sleep(200);
      expect(heard.count).toBe(after);
    } finally {
      await stop();
    }
  });
});
