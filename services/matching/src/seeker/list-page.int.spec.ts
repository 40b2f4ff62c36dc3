import { selectPage, testBackends, type TestDatabase } from '@tashghil/event-store';
import { mayRead, readableBy, type Identity } from '@tashghil/service-kit';

const CALLERS: readonly Identity[] = [
  { sub: 'a', roles: ['admin'] },
  { sub: 'b', roles: ['auditor'] },
  { sub: 'c', roles: ['officer'], region: 'MA-09' },
  { sub: 'd', roles: ['committee'], region: 'MA-10' },
  { sub: 'e', roles: ['officer'] },
  { sub: 'f', roles: ['employer'], org: 'emp-a' },
  { sub: 'g', roles: ['association'], org: 'emp-b' },
  { sub: 'h', roles: ['employer'] },
  { sub: 'i', roles: ['pipeline'], region: 'MA-09', org: 'emp-a' },
  { sub: 'j', roles: ['officer', 'employer'], region: 'MA-01', org: 'emp-b' },
];

const REGIONS = ['MA-01', 'MA-09', 'MA-10'];
const OWNERS = ['emp-a', 'emp-b'];
const ROWS = REGIONS.flatMap((origin) =>
  REGIONS.flatMap((region) => OWNERS.map((owner) => ({ id: `${origin}/${region}/${owner}`, origin, region, owner }))),
);

describe.each(testBackends().map((b) => [b.name, b] as const))('what a list lets each caller read, on %s', (_n, b) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await b.open();
    await database.db.query(`CREATE TABLE rows (stream_id text, origin_region text, region text, owner text)`);
    await database.db.query(
      `INSERT INTO rows SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, origin_region text, region text, owner text)`,
      [
        JSON.stringify(
          ROWS.map((r) => ({ stream_id: r.id, origin_region: r.origin, region: r.region, owner: r.owner })),
        ),
      ],
    );
  });
  afterAll(() => database.dispose());

  const read = async (who: Identity, regionColumns: string[], ownerColumn?: string): Promise<string[]> => {
    const scope = readableBy(who, ownerColumn, regionColumns);
    const { rows } = await selectPage<{ stream_id: string }>(database.db, {
      columns: 'stream_id',
      from: 'rows',
      where: scope ? [scope] : [],
      orderBy: ['stream_id'],
      direction: 'asc',
      limit: 500,
    });
    return rows.map((r) => r.stream_id).sort();
  };

  it.each(
    CALLERS.map(
      (who) => [`${who.roles.join('+')} (${who.region ?? 'no region'}, ${who.org ?? 'no org'})`, who] as const,
    ),
  )('%s reads the rows mayRead grants it, and no other', async (_label, who) => {
    const expected = (keep: (r: (typeof ROWS)[number]) => boolean) =>
      ROWS.filter(keep)
        .map((r) => r.id)
        .sort();
    expect(await read(who, ['region'])).toEqual(expected((r) => mayRead(who, r.region)));
    expect(await read(who, ['region'], 'owner')).toEqual(expected((r) => mayRead(who, r.region, r.owner)));
    expect(await read(who, ['region', 'origin_region'])).toEqual(
      expected((r) => mayRead(who, r.region) || mayRead(who, r.origin)),
    );
  });
});
