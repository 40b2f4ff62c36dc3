import { randomUUID } from 'node:crypto';
import { linguisticCollation } from './collation';
import { openServerDatabase, openStore, testBackends, type TestDatabase } from './test-backends';

/** A database that orders text by English rules, as the `postgres` Docker image's defaults make. */
const ICU_ENGLISH = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'";

type Case = readonly [name: string, open: () => Promise<TestDatabase>, expected: string | null];

const cases: Case[] = testBackends().flatMap((b): Case[] =>
  b.name === 'postgres'
    ? [
        [`${b.name}, C`, () => openServerDatabase("TEMPLATE template0 LOCALE 'C'"), null],
        [`${b.name}, ICU en-US`, () => openServerDatabase(ICU_ENGLISH), 'en-US'],
      ]
    : [[b.name, b.open, null]],
);

describe.each(cases)('the collation of a database on %s', (_name, open, expected) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.dispose());

  it(`is named only when it orders text by a language's rules (${expected ?? 'bytes'})`, async () => {
    expect(await linguisticCollation(database.db)).toBe(expected);
  });

  it('takes the store, whose streams differ here only in the case of their ids', async () => {
    const store = await openStore(database);
    const ids = ['conventions.item-b', 'conventions.item-B', 'conventions.item-a'];
    await store.appendMany(
      ids.map((streamId) => ({
        streamId,
        events: [{ eventId: randomUUID(), type: 'ItemNoted', data: { streamId } }],
        expected: 'no_stream' as const,
      })),
    );
    for (const streamId of ids) {
      const events = await store.readStream(streamId);
      expect(events.map((e) => e.data)).toEqual([{ streamId }]);
    }
  });
});
