import { randomUUID } from 'node:crypto';
import { openPgliteDatabase, type TestDatabase } from '@tashghil/event-store';
import { grantPaymentRecorded, offerPublished } from './events.fixture';
import { generatedHistory } from './generated-history.fixture';
import { checksums } from './generations';
import { createTables, TABLES } from './layout';
import { deferIndexes, project, projectAll, type ProjectedEvent } from './projection';

/** The projection's own bookkeeping, on PGlite: each event applied once per generation. */
describe('the projection of a generation', () => {
  let database: TestDatabase;
  let generations = 0;
  const at = (type: string, eventId = randomUUID()): ProjectedEvent => ({
    eventId,
    type,
    globalPosition: 1,
    recordedAt: '2022-08-05T00:00:00.000Z',
  });
  const paid = grantPaymentRecorded().data;

  /** A new generation whose payments table counts every insert its handlers attempt, conflicting or not. */
  const generation = async (): Promise<string> => {
    generations += 1;
    const schema = `reporting_t${generations}`;
    await createTables(database.db, schema);
    await database.db.query(`
      CREATE TABLE ${schema}.attempts (n integer NOT NULL);
      INSERT INTO ${schema}.attempts VALUES (0);
      CREATE FUNCTION ${schema}.attempt() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN UPDATE ${schema}.attempts SET n = n + 1; RETURN NEW; END $$;
      CREATE TRIGGER attempt BEFORE INSERT ON ${schema}.payments FOR EACH ROW EXECUTE FUNCTION ${schema}.attempt();`);
    return schema;
  };
  const count = async (schema: string, table: string): Promise<number> =>
    Number((await database.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${schema}.${table}`)).rows[0]?.n);
  const attempts = async (schema: string): Promise<number> =>
    (await database.db.query<{ n: number }>(`SELECT n FROM ${schema}.attempts`)).rows[0]?.n ?? -1;

  beforeAll(async () => {
    database = await openPgliteDatabase();
  });
  afterAll(async () => {
    await database.dispose();
  });

  it('creates every table of the layout, and no other', async () => {
    const schema = `reporting_tables`;
    await createTables(database.db, schema);
    const { rows } = await database.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
      [schema],
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...TABLES].sort());
  });

  it('builds again, after a first load, every index and trigger it deferred, and loads without them', async () => {
    const indexes = async (schema: string): Promise<string[]> =>
      (
        await database.db.query<{ definition: string }>(
          `SELECT replace(indexdef, $1, 'S.') AS definition FROM pg_indexes WHERE schemaname = $2 ORDER BY 1`,
          [`${schema}.`, schema],
        )
      ).rows.map((r) => r.definition);
    const triggers = async (schema: string): Promise<string[]> =>
      (
        await database.db.query<{ name: string }>(
          `SELECT c.relname || '.' || t.tgname || ':' || t.tgenabled::text AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY 1`,
          [schema],
        )
      ).rows.map((r) => r.name);
    const plain = await generation();
    const loaded = await generation();
    const build = await deferIndexes(database.db, loaded);
    const during = await indexes(loaded);
    // The tallies' triggers are off while it loads (a tally is filled once at the end).
    expect((await triggers(loaded)).filter((t) => t.endsWith(':D'))).toContain(
      'placements.hires_by_flow_from_placements:D',
    );
    expect(during.some((d) => d.includes('S.applied '))).toBe(false);
    expect(during.some((d) => d.includes('ON S.placements ') && !d.includes('UNIQUE'))).toBe(false);
    // The current rows of a versioned table are read at every page: their index stays.
    expect(during.some((d) => d.includes('ON S.offers ') && d.includes('infinity'))).toBe(true);
    await build();
    expect(await indexes(loaded)).toEqual(await indexes(plain));
    expect(await triggers(loaded)).toEqual(await triggers(plain));
  });

  it('applies an event once: delivered again, it changes nothing and says so', async () => {
    const schema = await generation();
    const event = at('GrantPaymentRecorded');
    expect(await project(database.db, schema, event, paid)).toBe(true);
    expect(await project(database.db, schema, event, paid)).toBe(false);
    expect(await projectAll(database.db, schema, [{ event, data: paid }])).toBe(0);
    expect(await attempts(schema)).toBe(1);
    expect(await count(schema, 'applied')).toBe(1);
  });

  it('applies an event that comes twice in one page once', async () => {
    const schema = await generation();
    const event = at('GrantPaymentRecorded');
    const other = at('GrantPaymentRecorded');
    const page = [event, other, event].map((e) => ({ event: e, data: paid }));
    expect(await projectAll(database.db, schema, page)).toBe(2);
    expect(await attempts(schema)).toBe(2);
    expect(await count(schema, 'payments')).toBe(2);
  });

  it('builds the same generation from pages of any size as from one event at a time', async () => {
    for (const seed of [1, 2, 3]) {
      // Every projected type, rows that change several times, several changes in one instant.
      const history = generatedHistory(seed).map((e, i) => ({
        event: { eventId: randomUUID(), type: e.type, globalPosition: i + 1, recordedAt: e.at },
        data: e.data,
      }));
      const sums: Record<string, string>[] = [];
      for (const size of [1, 7, 100, history.length]) {
        const schema = await generation();
        for (let i = 0; i < history.length; i += size)
          await projectAll(database.db, schema, history.slice(i, i + size));
        sums.push(await checksums(database.db, schema));
      }
      const [one, ...others] = sums;
      for (const other of others) expect(other).toEqual(one);
      // The fixture changes versioned rows, so closed versions written page by page are compared too.
      const unchanged: string[] = [];
      for (const table of ['offers', 'files', 'file_decisions', 'commitments', 'works_sites']) {
        const { rows } = await database.db.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM reporting_t${generations}.${table} WHERE valid_to <> 'infinity'`,
        );
        if (Number(rows[0]?.n) === 0) unchanged.push(table);
      }
      expect(unchanged).toEqual([]);
    }
  });

  it('runs the handlers of every read model that takes the type', async () => {
    const schema = await generation();
    const offer = offerPublished().data;
    expect(await project(database.db, schema, at('OfferPublished'), offer)).toBe(true);
    expect(await count(schema, 'offers')).toBe(1);
  });

  it('passes over a type no read model takes, without marking it applied', async () => {
    const schema = await generation();
    const declared = {
      grantId: 'g-1',
      region: 'MA-10',
      month: '2022-07',
      days: 26,
      wageCentimes: 300_000,
      source: 'entered',
    };
    expect(await projectAll(database.db, schema, [{ event: at('GrantCnssDeclarationRecorded'), data: declared }])).toBe(
      0,
    );
    expect(await project(database.db, schema, at('constructor'), {})).toBe(false);
    expect(await count(schema, 'applied')).toBe(0);
  });

  it('refuses data that breaks its contract, so the caller’s transaction rolls back', async () => {
    const schema = await generation();
    const event = at('GrantPaymentRecorded');
    await expect(
      database.db.transaction((tx) => project(tx, schema, event, { ...paid, month: 'July' })),
    ).rejects.toThrow(/does not match its contract/);
    expect(await count(schema, 'applied')).toBe(0);
  });

  it('refuses a schema name that is not a generation’s', async () => {
    await expect(
      projectAll(database.db, 'public', [{ event: at('GrantPaymentRecorded'), data: paid }]),
    ).rejects.toThrow(/not a read-model schema name/);
  });
});
