import { randomUUID } from 'node:crypto';
import { openStore, testBackends, type TestDatabase } from '@tashghil/event-store';
import { pruneInbox } from './inbox-pruner';
import { MESSAGING_MIGRATIONS } from './migrations';

describe.each(testBackends().map((b) => [b.name, b] as const))('inbox pruning on %s', (_n, backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.open();
    await openStore(database, MESSAGING_MIGRATIONS);
  });
  afterAll(() => database.dispose());

  const insert = async (consumer: string, ageDays: number, n: number): Promise<void> => {
    for (let i = 0; i < n; i += 1)
      await database.db.query(
        `INSERT INTO msg.inbox (consumer, event_id, topic, partition, "offset", processed_at)
         VALUES ($1, $2, 't', 0, $3, now() - $4::int * interval '1 day')`,
        [consumer, randomUUID(), i, ageDays],
      );
  };
  const left = async (consumer: string): Promise<number[]> => {
    const { rows } = await database.db.query<{ age: number }>(
      `SELECT extract(day FROM now() - processed_at)::int AS age FROM msg.inbox WHERE consumer = $1 ORDER BY 1`,
      [consumer],
    );
    return rows.map((r) => r.age);
  };

  it("deletes, in batches, only the consumer's rows older than the retention", async () => {
    const consumer = `c-${randomUUID()}`;
    const other = `c-${randomUUID()}`;
    await insert(consumer, 20, 7);
    await insert(consumer, 15, 3);
    await insert(consumer, 13, 2);
    await insert(consumer, 0, 2);
    await insert(other, 30, 2);

    expect(await pruneInbox({ db: database.db, consumer, retentionDays: 14, batchSize: 4, pauseMs: 1 })).toBe(10);
    expect(await left(consumer)).toEqual([0, 0, 13, 13]);
    expect(await left(other)).toEqual([30, 30]);
    expect(await pruneInbox({ db: database.db, consumer, retentionDays: 14, batchSize: 4 })).toBe(0);
    expect(await pruneInbox({ db: database.db, consumer, retentionDays: 10 })).toBe(2);
  });
});
