import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { WrongExpectedVersionError } from './errors';
import { EventStore } from './event-store';
import { SubjectKeyring } from './personal-data';
import type { Queryable } from './sql-client';
import { subscribe } from './subscription';
import { openServerDatabase, openStore, TEST_MASTER_KEY, type TestDatabase } from './test-backends';
import type { RecordedEvent } from './types';
import { listenChannels } from './wake';

const ev = (type: string) => ({ eventId: randomUUID(), type, data: { at: Date.now() }, metadata: {} });

describe('event store on the PostgreSQL server, under concurrency', () => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await openServerDatabase();
    store = await openStore(database);
  });
  afterAll(() => database.dispose());

  it('gives each stream position to exactly one of 16 writers making 500 attempts each', async () => {
    const streamId = `tests.race-${randomUUID()}`;
    const written: string[] = [];
    let conflicts = 0;
    const others: unknown[] = [];
    const writer = async (): Promise<void> => {
      for (let i = 0; i < 500; i += 1) {
        const version = await store.streamVersion(streamId);
        const e = ev('Raced');
        try {
          await store.append(streamId, [e], version);
          written.push(e.eventId);
        } catch (error) {
          if (error instanceof WrongExpectedVersionError) conflicts += 1;
          else others.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, writer));

    expect(others).toEqual([]);
    expect(written.length + conflicts).toBe(16 * 500);
    expect(conflicts).toBeGreaterThan(0);
    const stored = await store.readStream(streamId);
    expect(stored.map((e) => e.streamPosition)).toEqual(stored.map((_, i) => i));
    expect(new Set(stored.map((e) => e.eventId))).toEqual(new Set(written));
    expect(stored).toHaveLength(written.length);
    expect((await store.verify()).ok).toBe(true);
  });

  it('lets an append to one stream through while another stream is locked by a running append', async () => {
    const locked = `tests.locked-${randomUUID()}`;
    await store.append(locked, [ev('First')]);
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM es.streams WHERE stream_id = $1 FOR UPDATE`, [locked]);
      const started = Date.now();
      await store.append(`tests.free-${randomUUID()}`, [ev('Free')]);
      expect(Date.now() - started).toBeLessThan(2_000);
      let blockedDone = false;
      const blocked = store.append(locked, [ev('Second')]).then(() => {
        blockedDone = true;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(blockedDone).toBe(false);
      await holder.query('COMMIT');
      await blocked;
      expect(blockedDone).toBe(true);
    } finally {
      await holder.end();
    }
  });

  it('delivers an event committed late by a slow transaction that took the lower position, in commit-safe order', async () => {
    const category = `tests.late${randomUUID().slice(0, 8)}`;
    const received: RecordedEvent[] = [];
    const sub = await subscribe(store, {
      name: `late-${category}`,
      filter: { categories: [category] },
      pollMs: 50,
      handle: async (events) => {
        received.push(...events);
      },
    });
    let releaseSlow: () => void = () => undefined;
    const slowMayCommit = new Promise<void>((r) => {
      releaseSlow = r;
    });
    let slowAppended: () => void = () => undefined;
    const slowHasPosition = new Promise<void>((r) => {
      slowAppended = r;
    });
    const slow = database.db.transaction(async (tx) => {
      const r = await store.appendInTransaction(tx, `${category}-slow`, [ev('Slow')], 'any');
      slowAppended();
      await slowMayCommit;
      return r;
    });
    await slowHasPosition;
    const fast = await store.append(`${category}-fast`, [ev('Fast')]);
    // The fast event is committed, but the slow transaction is still open below it.
    await new Promise((r) => setTimeout(r, 400));
    expect(received).toEqual([]);
    releaseSlow();
    const slowResult = await slow;
    const deadline = Date.now() + 10_000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await sub.stop();

    expect(slowResult.globalPositions[0]).toBeLessThan(fast.globalPositions[0] ?? 0);
    expect(received.map((e) => e.type)).toEqual(['Slow', 'Fast']);
  });

  // Another process on the same database: a store with heads of its own.
  const otherProcess = (): EventStore => new EventStore(database.db, { keyring: new SubjectKeyring(TEST_MASTER_KEY) });

  it('runs appendMany over the same streams in opposite orders without a deadlock', async () => {
    const streams = Array.from({ length: 40 }, () => `tests.crossed-${randomUUID()}`);
    const stores = [store, otherProcess()];
    const errors: unknown[] = [];
    const writer = async (w: number): Promise<void> => {
      const order = w % 2 === 0 ? streams : [...streams].reverse();
      for (let i = 0; i < 25; i += 1) {
        await (stores[w % 2] ?? store).appendMany(
          order.map((streamId) => ({ streamId, events: [ev('Crossed')], expected: 'any' as const })),
        );
      }
    };
    await Promise.all(Array.from({ length: 4 }, (_, w) => writer(w).catch((error: unknown) => errors.push(error))));

    expect(errors).toEqual([]);
    for (const streamId of streams) {
      expect((await store.readStream(streamId)).map((e) => e.streamPosition)).toEqual(
        Array.from({ length: 100 }, (_, i) => i),
      );
    }
    expect((await store.verify()).ok).toBe(true);
  });

  it('runs them in callers’ transactions without a deadlock, a lost race failing as retryable', async () => {
    const streams = Array.from({ length: 40 }, () => `tests.crossed-${randomUUID()}`);
    const others: unknown[] = [];
    let retried = 0;
    const writer = async (w: number): Promise<void> => {
      const order = w % 2 === 0 ? streams : [...streams].reverse();
      for (let i = 0; i < 25; ) {
        try {
          await database.db.transaction((tx) =>
            store.appendMany(
              order.map((streamId) => ({ streamId, events: [ev('Crossed')], expected: 'any' as const })),
              tx,
            ),
          );
          i += 1;
        } catch (error) {
          // What a consumer's inbox does with a transient failure: the whole transaction again.
          if ((error as { code?: string }).code !== '40001') throw error;
          retried += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, (_, w) => writer(w).catch((error: unknown) => others.push(error))));

    expect(others).toEqual([]);
    expect(retried).toBeLessThan(400);
    for (const streamId of streams) {
      expect((await store.readStream(streamId)).map((e) => e.streamPosition)).toEqual(
        Array.from({ length: 100 }, (_, i) => i),
      );
    }
    expect((await store.verify()).ok).toBe(true);
  });

  it('chains appends from two processes to one stream whatever head each believes', async () => {
    const streamId = `tests.shared-${randomUUID()}`;
    const stores = [store, otherProcess()];
    const errors: unknown[] = [];
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; i < 60; i += 1) await (stores[w % 2] ?? store).append(streamId, [ev('Shared')], 'any');
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w).catch((error: unknown) => errors.push(error))));

    expect(errors).toEqual([]);
    const stored = await store.readStream(streamId);
    expect(stored.map((e) => e.streamPosition)).toEqual(Array.from({ length: 480 }, (_, i) => i));
    expect((await store.verify()).ok).toBe(true);
  });

  it('wakes listeners from inside a transaction that cannot run an effect after its commit', async () => {
    const context = `n${randomUUID().slice(0, 8)}`;
    let heard = 0;
    const stop = await database.db.listen(listenChannels({ context }), () => {
      heard += 1;
    });
    heard = 0;
    const notifying = new EventStore(database.db, {
      keyring: new SubjectKeyring(TEST_MASTER_KEY),
      wake: 'in-transaction',
    });
    try {
      await notifying.append(`${context}.thing-1`, [ev('Notified')]);
      await waitUntil(() => heard > 0);
      heard = 0;
      await database.db.transaction(async (tx) => {
        // A Queryable with no afterCommit, as a caller's own connection wrapper would be.
        const bare: Queryable = { query: (text, params) => tx.query(text, params) };
        await store.appendInTransaction(bare, `${context}.thing-2`, [ev('Notified')], 'any');
      });
      await waitUntil(() => heard > 0);
    } finally {
      await stop();
    }
  });
});

const waitUntil = async (cond: () => boolean, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
