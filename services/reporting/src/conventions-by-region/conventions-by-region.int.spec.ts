import { randomUUID } from 'node:crypto';
import { REGIONS } from '@tashghil/contracts';
import {
  openStore,
  settledHorizon,
  START,
  testBackends,
  type EventStore,
  type RecordedEvent,
  type TestDatabase,
} from '@tashghil/event-store';
import { MESSAGING_MIGRATIONS } from '@tashghil/messaging';
import { REPORTING_MIGRATIONS } from '../migrations';
import { conventionAmended, conventionDrafted, conventionSigned } from '../read-model/events.fixture';
import { ensureReadModel, readSchema, rebuild } from '../read-model/generations';
import { project } from '../read-model/projection';
import { conventionsByRegion } from './conventions-by-region.query';

describe.each(testBackends().map((b) => [b.name, b] as const))('the conventions by region on %s', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;
  let now = new Date('2021-01-01T00:00:00.000Z');

  const append = async (streamId: string, event: { type: string; data: object }, at: string) => {
    now = new Date(at);
    await store.append(streamId, [{ eventId: randomUUID(), type: event.type, data: { ...event.data } }]);
  };
  const all = async (): Promise<RecordedEvent[]> => {
    await settledHorizon(store.db);
    return (await store.readAll({ after: START, limit: 1_000 })).events.slice();
  };
  const list = async (region: 'MA-09' | null = 'MA-09') =>
    conventionsByRegion(store.db, await readSchema(store.db), region);
  const versions = async (conventionId: string): Promise<number> => {
    const s = await readSchema(store.db);
    const { rows } = await store.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${s}.conventions WHERE convention_id = $1`,
      [conventionId],
    );
    return rows[0]?.n ?? 0;
  };

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database, [...MESSAGING_MIGRATIONS, ...REPORTING_MIGRATIONS], { clock: () => now });
    await ensureReadModel(store);
    // Three events of one convention on three days: the read model keeps three versions of its row.
    await append('conventions.convention-sm', conventionDrafted(), '2021-03-01T09:00:00.000Z');
    await append('conventions.convention-sm', conventionSigned(), '2021-03-15T09:00:00.000Z');
    await append('conventions.convention-sm', conventionAmended(), '2022-01-01T09:00:00.000Z');
    await append(
      'conventions.convention-tz',
      conventionDrafted({ conventionId: 'tz', title: 'Convention Tiznit' }),
      '2024-02-01T09:00:00.000Z',
    );
    const schema = await readSchema(store.db);
    for (const e of await all()) await store.db.transaction((tx) => project(tx, schema, e, e.data));
  });
  afterAll(() => database.dispose());

  const expected = {
    regions: [
      {
        region: 'MA-09',
        name: REGIONS['MA-09'],
        conventions: [
          {
            conventionId: 'sm',
            title: 'Convention Souss-Massa',
            period: { start: '2020-01-01', end: '2023-12-31' },
            status: 'signed',
            draftedAt: '2021-03-01T09:00:00.000Z',
          },
          expect.objectContaining({ conventionId: 'tz', status: 'drafted' }),
        ],
      },
    ],
  };

  it('lists a convention that changed after its draft once, as it stands now', async () => {
    expect(await versions('sm')).toBe(3);
    expect(await list()).toEqual(expected);
    expect(await list(null)).toEqual(expected);
  });

  it('lists it once still when its events are delivered again', async () => {
    const schema = await readSchema(store.db);
    for (const e of await all()) expect(await store.db.transaction((tx) => project(tx, schema, e, e.data))).toBe(false);
    expect(await versions('sm')).toBe(3);
    expect(await list()).toEqual(expected);
  });

  it('lists it once after a restart on the same database and after a rebuild from the store', async () => {
    expect(await ensureReadModel(store)).toBeUndefined();
    expect(await list()).toEqual(expected);
    const built = await rebuild(store);
    expect(await readSchema(store.db)).toBe(built.schema);
    expect(await versions('sm')).toBe(3);
    expect(await list()).toEqual(expected);
  });
});
