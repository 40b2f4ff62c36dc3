import { randomUUID } from 'node:crypto';
import { EventStore } from './event-store';
import { SubjectKeyring } from './personal-data';
import type { Queryable, QueryResult, SqlClient } from './sql-client';
import { openStore, TEST_MASTER_KEY, testBackends, type TestDatabase } from './test-backends';
import type { NewEvent, StreamAppend } from './types';

const ev = (type: string, data: Record<string, unknown> = {}, extra: Partial<NewEvent> = {}): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { actor: 'test' },
  ...extra,
});

/** The real database, counting the statements sent to it (a BEGIN and a COMMIT are one each). */
class Counting implements SqlClient {
  statements = 0;
  readonly kind: SqlClient['kind'];

  constructor(private readonly db: SqlClient) {
    this.kind = db.kind;
  }

  query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    this.statements += 1;
    return this.db.query<R>(text, params);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    this.statements += 2;
    return this.db.transaction((tx) =>
      work({
        query: <R>(text: string, params?: readonly unknown[]) => {
          this.statements += 1;
          return tx.query<R>(text, params);
        },
        ...(tx.afterCommit ? { afterCommit: tx.afterCommit } : {}),
      }),
    );
  }

  listen(channels: string | readonly string[], onNotify: () => void): Promise<() => Promise<void>> {
    return this.db.listen(channels, onNotify);
  }

  wake(channels: readonly string[]): void {
    this.db.wake(channels);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

describe.each(testBackends().map((b) => [b.name, b] as const))('appendMany on %s', (_name, backend) => {
  let database: TestDatabase;
  let store: EventStore;
  let counted: Counting;
  let countingStore: EventStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
    counted = new Counting(database.db);
    countingStore = new EventStore(counted, { keyring: new SubjectKeyring(TEST_MASTER_KEY) });
  });
  afterAll(() => database.dispose());

  const sid = (prefix = 'tests.many') => `${prefix}-${randomUUID()}`;
  const count = async (streamIds: readonly string[]): Promise<{ events: number; heads: number }> => {
    const { rows } = await database.db.query<{ events: string; heads: string }>(
      `SELECT (SELECT count(*) FROM es.events WHERE stream_id = ANY($1::text[]))::text AS events,
              (SELECT count(*) FROM es.streams WHERE stream_id = ANY($1::text[]))::text AS heads`,
      [streamIds],
    );
    return { events: Number(rows[0]?.events), heads: Number(rows[0]?.heads) };
  };

  it('stores nothing of any stream when one stream is not at its expected version', async () => {
    const [a, b, c] = [sid(), sid(), sid()];
    await store.append(b, [ev('B0'), ev('B1')], 'no_stream');
    const before = await count([a, b, c]);
    await expect(
      store.appendMany([
        { streamId: a, events: [ev('A0')], expected: 'no_stream' },
        { streamId: b, events: [ev('B2')], expected: 0 },
        { streamId: c, events: [ev('C0')], expected: 'any' },
      ]),
    ).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamId: b, actual: 1 });
    expect(await count([a, b, c])).toEqual(before);
    expect((await store.verify()).ok).toBe(true);
  });

  it('appends every stream at its version, and answers a repeat of the same call as already stored', async () => {
    const [a, b] = [sid(), sid()];
    await store.append(a, [ev('A0')], 'no_stream');
    const call: StreamAppend[] = [
      { streamId: b, events: [ev('B0'), ev('B1')], expected: 'no_stream' },
      { streamId: a, events: [ev('A1')], expected: 0 },
    ];
    const first = await store.appendMany(call);
    expect(first.map((r) => [r.nextExpectedVersion, r.written])).toEqual([
      [1, 2],
      [1, 1],
    ]);
    const again = await store.appendMany(call);
    expect(again).toEqual(first.map((r) => ({ ...r, written: 0 })));
    expect((await store.readStream(a)).map((e) => e.type)).toEqual(['A0', 'A1']);
    expect((await store.readStream(b)).map((e) => e.type)).toEqual(['B0', 'B1']);
  });

  it('answers a repeated single append as already stored, whichever way it meets its stored ids', async () => {
    const s = sid();
    const batch = [ev('A'), ev('B')];
    const first = await store.append(s, batch, 'any');
    // This process knows the head the repeat chains from: its checks pass and its insert meets the ids.
    expect(await store.append(s, batch, 'any')).toEqual({ ...first, written: 0 });
    // A stale exact version: its checks fail, and then it finds the ids.
    expect(await store.append(s, batch, -1)).toEqual({ ...first, written: 0 });
    // In a caller's transaction it looks for them first, and the transaction goes on.
    const inside = await database.db.transaction(async (tx) => {
      const again = await store.appendInTransaction(tx, s, batch, 'any');
      await tx.query('SELECT 1');
      return again;
    });
    expect(inside).toEqual({ ...first, written: 0 });
    expect(await store.readStream(s)).toHaveLength(2);
  });

  it('answers the streams already stored and appends the others', async () => {
    const [a, b] = [sid(), sid()];
    const stored = { streamId: a, events: [ev('A0')], expected: 'no_stream' as const };
    await store.appendMany([stored]);
    const results = await store.appendMany([stored, { streamId: b, events: [ev('B0')], expected: 'no_stream' }]);
    expect(results.map((r) => r.written)).toEqual([0, 1]);
    expect(await count([a, b])).toEqual({ events: 2, heads: 2 });
  });

  it('refuses a repeat that changed one stream’s batch, and stores nothing of it', async () => {
    const [a, b] = [sid(), sid()];
    const a0 = ev('A0');
    await store.appendMany([
      { streamId: a, events: [a0], expected: 'no_stream' },
      { streamId: b, events: [ev('B0')], expected: 'no_stream' },
    ]);
    await expect(
      store.appendMany([
        { streamId: a, events: [a0, ev('A1')], expected: 'no_stream' },
        { streamId: b, events: [ev('B1')], expected: 0 },
      ]),
    ).rejects.toMatchObject({ code: 'EVENTS_PARTLY_STORED' });
    expect(await count([a, b])).toEqual({ events: 2, heads: 2 });
  });

  it('refuses a stream named twice, or an event id used twice, in one call', async () => {
    const a = sid();
    const e = ev('A0');
    await expect(
      store.appendMany([
        { streamId: a, events: [ev('A0')], expected: 'any' },
        { streamId: a, events: [ev('A1')], expected: 'any' },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_APPEND', fields: [{ path: '1.streamId' }] });
    await expect(
      store.appendMany([
        { streamId: a, events: [e], expected: 'any' },
        { streamId: sid(), events: [e], expected: 'any' },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_APPEND', fields: [{ path: '1.events.0.eventId' }] });
    expect(await count([a])).toEqual({ events: 0, heads: 0 });
  });

  it('appends thousands of streams in one statement, each chained and in the order given', async () => {
    const category = `tests.bulk${randomUUID().slice(0, 8)}`;
    const parts = Array.from({ length: 3_000 }, (_, i) => ({
      streamId: `${category}-${i}`,
      events: i % 3 === 0 ? [ev('Made', { i }), ev('Named', { i })] : [ev('Made', { i })],
      expected: 'no_stream' as const,
    }));
    counted.statements = 0;
    const results = await countingStore.appendMany(parts);
    expect(counted.statements).toBe(1);
    expect(results.map((r) => r.nextExpectedVersion)).toEqual(parts.map((p) => p.events.length - 1));
    const positions = results.flatMap((r) => r.globalPositions);
    expect(positions).toHaveLength(4_000);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    const stored = await store.readCategory(category);
    expect(stored).toHaveLength(4_000);
    const byId = new Map(stored.map((e) => [e.eventId, e]));
    parts.forEach((p, i) =>
      p.events.forEach((e, j) => {
        expect(byId.get(e.eventId)).toMatchObject({
          streamId: p.streamId,
          streamPosition: j,
          globalPosition: results[i]?.globalPositions[j],
        });
      }),
    );
    expect((await store.verify()).ok).toBe(true);
  });

  it('makes one statement of an append whose head this process knows, and one more when it does not', async () => {
    const s = sid();
    counted.statements = 0;
    await countingStore.append(s, [ev('A')], 'no_stream');
    await countingStore.append(s, [ev('B')], 0);
    await countingStore.append(s, [ev('C')], 'any');
    expect(counted.statements).toBe(3);
    // Another process moved the head: the first call learns it, the second stores.
    await store.append(s, [ev('D')], 2);
    counted.statements = 0;
    await countingStore.append(s, [ev('E')], 'any');
    expect(counted.statements).toBe(2);
    expect((await store.readStream(s)).map((e) => [e.type, e.streamPosition])).toEqual([
      ['A', 0],
      ['B', 1],
      ['C', 2],
      ['D', 3],
      ['E', 4],
    ]);
    expect((await store.verify()).ok).toBe(true);
  });

  it('claims nothing when another head of the same append has moved, and stores it all on the next call', async () => {
    const [moving, fresh, known] = [sid(), sid(), sid()];
    await countingStore.append(moving, [ev('M0')], 'no_stream');
    await countingStore.append(known, [ev('K0')], 'no_stream');
    // Another process moves one head this one knows.
    await store.append(moving, [ev('M1')], 'any');
    counted.statements = 0;
    // A new head is claimed and a known one moved in the statement before the moved one fails it.
    const results = await countingStore.appendMany([
      { streamId: fresh, events: [ev('F0')], expected: 'no_stream' },
      { streamId: known, events: [ev('K1')], expected: 0 },
      { streamId: moving, events: [ev('M2')], expected: 'any' },
    ]);
    expect(counted.statements).toBe(2);
    expect(results.map((r) => r.nextExpectedVersion)).toEqual([0, 1, 2]);
    expect((await store.readStream(moving)).map((e) => [e.type, e.streamPosition])).toEqual([
      ['M0', 0],
      ['M1', 1],
      ['M2', 2],
    ]);
    expect(await count([fresh, known, moving])).toEqual({ events: 6, heads: 3 });
    // An expected version that no longer holds stores nothing of any stream.
    const other = sid();
    await store.append(known, [ev('K2')], 'any');
    await expect(
      countingStore.appendMany([
        { streamId: other, events: [ev('O0')], expected: 'no_stream' },
        { streamId: known, events: [ev('K2 too')], expected: 1 },
      ]),
    ).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION' });
    expect(await count([other])).toEqual({ events: 0, heads: 0 });
    expect((await store.verify()).ok).toBe(true);
  });

  it('leaves a stream another process created first to es.append, which refuses no_stream and stores any', async () => {
    const [taken, fresh] = [sid(), sid()];
    // Another process creates the stream this one has never seen, so takes to be new.
    await store.append(taken, [ev('T0')], 'no_stream');
    counted.statements = 0;
    // Claiming its head fails the heads' key: nothing of either stream stays, es.append answers.
    await expect(
      countingStore.appendMany([
        { streamId: fresh, events: [ev('F0')], expected: 'no_stream' },
        { streamId: taken, events: [ev('T1')], expected: 'no_stream' },
      ]),
    ).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamId: taken, actual: 0 });
    expect(counted.statements).toBe(2);
    expect(await count([fresh, taken])).toEqual({ events: 1, heads: 1 });
    const other = sid();
    const results = await countingStore.appendMany([
      { streamId: other, events: [ev('O0')], expected: 'no_stream' },
      { streamId: taken, events: [ev('T1')], expected: 'any' },
    ]);
    expect(results.map((r) => r.nextExpectedVersion)).toEqual([0, 1]);
    expect((await store.readStream(taken)).map((e) => [e.type, e.streamPosition])).toEqual([
      ['T0', 0],
      ['T1', 1],
    ]);
    expect(await count([other, taken])).toEqual({ events: 3, heads: 2 });
    expect((await store.verify()).ok).toBe(true);
  });

  it('recovers from heads remembered from a transaction that rolled back', async () => {
    const [a, b] = [sid(), sid()];
    await store.append(a, [ev('A0')], 'no_stream');
    await expect(
      database.db.transaction(async (tx) => {
        await store.appendMany(
          [
            { streamId: a, events: [ev('A1')], expected: 0 },
            { streamId: b, events: [ev('B0')], expected: 'no_stream' },
          ],
          tx,
        );
        throw new Error('the caller gives up');
      }),
    ).rejects.toThrow('the caller gives up');
    expect(await count([a, b])).toEqual({ events: 1, heads: 1 });
    const results = await store.appendMany([
      { streamId: a, events: [ev('A1 again')], expected: 'any' },
      { streamId: b, events: [ev('B0 again')], expected: 'any' },
    ]);
    expect(results.map((r) => r.nextExpectedVersion)).toEqual([1, 0]);
    expect((await store.verify()).ok).toBe(true);
  });

  it('seals personal fields of several subjects in one call, and refuses an erased subject', async () => {
    const [a, b] = [sid('tests.seeker'), sid('tests.seeker')];
    const [sa, sb] = [`seeker-${randomUUID()}`, `seeker-${randomUUID()}`];
    await store.appendMany([
      {
        streamId: a,
        events: [
          ev('Registered', { name: 'Amina', region: 'MA-01' }, { personal: { subjectId: sa, fields: ['name'] } }),
        ],
        expected: 'no_stream',
      },
      {
        streamId: b,
        events: [ev('Registered', { name: 'Youssef' }, { personal: { subjectId: sb, fields: ['name'] } })],
        expected: 'no_stream',
      },
    ]);
    const { rows } = await database.db.query<{ data: string }>(
      `SELECT data::text FROM es.events WHERE stream_id = ANY($1::text[])`,
      [[a, b]],
    );
    expect(rows.map((r) => r.data).join()).not.toMatch(/Amina|Youssef/);
    expect((await store.readStream(a))[0]?.data).toEqual({ name: 'Amina', region: 'MA-01' });
    await store.eraseSubject(sb);
    await expect(
      store.appendMany([
        {
          streamId: a,
          events: [ev('Renamed', { name: 'A.' }, { personal: { subjectId: sa, fields: ['name'] } })],
          expected: 0,
        },
        {
          streamId: b,
          events: [ev('Renamed', { name: 'Y.' }, { personal: { subjectId: sb, fields: ['name'] } })],
          expected: 0,
        },
      ]),
    ).rejects.toThrow(/erased/);
    expect(await count([a, b])).toEqual({ events: 2, heads: 2 });
    expect((await store.verify()).ok).toBe(true);
  });
});
