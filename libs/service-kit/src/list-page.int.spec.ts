import { selectPage, testBackends, type TestDatabase } from '@tashghil/event-store';
import { mayRead, ROLES, type Identity } from './identity';
import { readableBy } from './list-page';

/** Files of two regions and two owners, and one of neither. */
const FILES = [
  { id: 'f1', region: 'MA-09', owner: 'emp-a' },
  { id: 'f2', region: 'MA-09', owner: 'emp-b' },
  { id: 'f3', region: 'MA-10', owner: 'emp-a' },
  { id: 'f4', region: 'MA-10', owner: 'emp-c' },
  { id: 'f5', region: 'MA-01', owner: 'emp-b' },
];

/** Every role alone and in pairs, with and without a region and an organisation. */
const identities = (): Identity[] => {
  const sets = [...ROLES.map((r) => [r]), ...ROLES.flatMap((a, i) => ROLES.slice(i + 1).map((b) => [a, b]))];
  return sets.flatMap((roles) =>
    [{}, { region: 'MA-09' }, { org: 'emp-a' }, { region: 'MA-10', org: 'emp-b' }].map((scope) => ({
      sub: 'x',
      roles,
      ...scope,
    })),
  );
};

describe.each(testBackends().map((b) => [b.name, b] as const))('a list’s read rule in SQL on %s', (_n, backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.open();
    await database.db.query(`CREATE TABLE files (stream_id text PRIMARY KEY, region text, owner text)`);
    for (const f of FILES) await database.db.query(`INSERT INTO files VALUES ($1, $2, $3)`, [f.id, f.region, f.owner]);
  });
  afterAll(() => database.dispose());

  const read = async (who: Identity, owned: boolean): Promise<string[]> => {
    const scope = readableBy(who, owned ? 'owner' : undefined);
    const { rows } = await selectPage<{ stream_id: string }>(database.db, {
      columns: 'stream_id',
      from: 'files',
      where: scope ? [scope] : [],
      orderBy: ['stream_id'],
      direction: 'asc',
      limit: 100,
    });
    return rows.map((r) => r.stream_id);
  };

  it('reads exactly the files mayRead lets each caller read, with and without an owner column', async () => {
    const checked = identities();
    expect(checked.length).toBeGreaterThan(100);
    for (const who of checked) {
      const owned = FILES.filter((f) => mayRead(who, f.region, f.owner)).map((f) => f.id);
      const regional = FILES.filter((f) => mayRead(who, f.region)).map((f) => f.id);
      expect({ who, ids: await read(who, true) }).toEqual({ who, ids: owned });
      expect({ who, ids: await read(who, false) }).toEqual({ who, ids: regional });
    }
  });
});
