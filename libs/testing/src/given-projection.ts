import { randomUUID } from 'node:crypto';
import {
  contractFor,
  isIntegrationEventType,
  parseIntegrationData,
  type IntegrationEventData,
  type IntegrationEventType,
} from '@tashghil/contracts';
import { openPgliteDatabase, type Queryable, type TestDatabase } from '@tashghil/event-store';

/** What a handler is told of an event beside its data, as a stored event and a consumer's envelope carry it. */
export interface GivenEventInfo {
  readonly eventId: string;
  readonly type: string;
  readonly globalPosition: number;
  readonly recordedAt: string;
}

/** A projection as the helper takes it: its tables' DDL, a function of the schema, and a handler per event type. */
export interface ProjectionUnderTest<Table extends string, Type extends IntegrationEventType> {
  readonly tables: { readonly [T in Table]: (schema: string) => string };
  readonly handlers: {
    readonly [T in Type]: (
      db: Queryable,
      schema: string,
      data: IntegrationEventData<T>,
      event: GivenEventInfo,
    ) => Promise<void>;
  };
}

/**
 * An event as the store would hold it. Without an id, the same object given twice is one event
 * delivered twice, and two objects are two events.
 */
export interface GivenEventOf<T extends IntegrationEventType> {
  readonly type: T;
  readonly data: IntegrationEventData<T>;
  readonly eventId?: string;
  readonly recordedAt?: string;
}

/** An event of any integration type, its data typed by its contract. */
export type GivenEvent = { readonly [T in IntegrationEventType]: GivenEventOf<T> }[IntegrationEventType];

/** An event with its own id, so that a spec delivers it twice by naming it twice. */
export const storedEvent = <T extends IntegrationEventType>(
  type: T,
  data: IntegrationEventData<T>,
  options: { readonly eventId?: string; readonly recordedAt?: string } = {},
): GivenEventOf<T> => ({ type, data, eventId: randomUUID(), ...options });

/** A row as `to_jsonb` gives it: dates as `YYYY-MM-DD`, instants in UTC, integers as numbers. */
export type Row = Readonly<Record<string, unknown>>;

export interface ProjectionThen<Table extends string> {
  /**
   * The table holds exactly the rows expected, in any order, compared on the columns they name
   * (every column an expected row names, for every row). `[]` says the table is empty.
   */
  thenRows(table: Table, expected: readonly Row[]): Promise<void>;
  /** A query over the tables (its text a function of the schema) returns exactly these rows, in any order. */
  thenQuery(sql: (schema: string) => string, expected: readonly Row[]): Promise<void>;
}

const canonical = (row: Row): string =>
  JSON.stringify(Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))));
const sorted = (rows: readonly Row[]): Row[] => [...rows].sort((a, b) => canonical(a).localeCompare(canonical(b)));

const contractError = (type: string, data: unknown): string => {
  const versions = contractFor(type)?.versions ?? {};
  const newest = Math.max(...Object.keys(versions).map(Number));
  return versions[newest]?.safeParse(data).error?.message ?? 'no contract';
};

/**
 * Projection tests that read like the rule they check, on PGlite and without Nest:
 * `givenProjection(payments)([paid, paid]).thenRows('payments', [{ month: '2022-07', centimes: 150000 }])`.
 * Each given list goes into a fresh schema, event by event through the projection's handlers, its
 * data parsed with its contract first as a consumer parses it; events of a type the projection
 * does not handle are passed over. A repeated event runs its handlers again, so a spec shows that
 * they are idempotent on their own. Call it at the top of a spec file or a `describe`: it closes
 * its database after all.
 */
export const givenProjection = <Table extends string, Type extends IntegrationEventType>(
  projection: ProjectionUnderTest<Table, Type>,
) => {
  let database: Promise<TestDatabase> | undefined;
  let schemas = 0;
  afterAll(async () => {
    await (await database)?.dispose();
  });
  const open = async (): Promise<Queryable> => {
    database ??= openPgliteDatabase().then(async (d) => {
      await d.db.query(`SET TimeZone = 'UTC'`);
      return d;
    });
    return (await database).db;
  };
  const handles = (type: string): type is Type => Object.hasOwn(projection.handlers, type);
  const run = async <T extends Type>(db: Queryable, schema: string, type: T, data: unknown, info: GivenEventInfo) => {
    const parsed = parseIntegrationData(type, data);
    if (parsed === undefined) throw new Error(`given ${type} breaks its contract: ${contractError(type, data)}`);
    await projection.handlers[type](db, schema, parsed, info);
  };
  const tables: readonly ((schema: string) => string)[] = Object.values(projection.tables);

  return (events: readonly GivenEvent[]): ProjectionThen<Table> => {
    let applied: Promise<{ db: Queryable; schema: string }> | undefined;
    const apply = async () => {
      const db = await open();
      schemas += 1;
      const schema = `projection_${schemas}`;
      await db.query(`CREATE SCHEMA ${schema}`);
      for (const ddl of tables) await db.query(ddl(schema));
      const ids = new Map<GivenEvent, string>();
      for (const [i, e] of events.entries()) {
        const eventId = e.eventId ?? ids.get(e) ?? randomUUID();
        ids.set(e, eventId);
        const info = {
          eventId,
          type: e.type,
          globalPosition: i + 1,
          recordedAt: e.recordedAt ?? '2022-01-01T00:00:00.000Z',
        };
        if (isIntegrationEventType(e.type) && handles(e.type)) await run(db, schema, e.type, e.data, info);
      }
      return { db, schema };
    };
    const rows = async (sql: (schema: string) => string): Promise<Row[]> => {
      applied ??= apply();
      const { db, schema } = await applied;
      const result = await db.query<{ row: Row }>(`SELECT to_jsonb(r) AS row FROM (${sql(schema)}) r`);
      return result.rows.map((r) => r.row);
    };
    return {
      thenRows: async (table, expected) => {
        if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
        const columns = [...new Set(expected.flatMap((r) => Object.keys(r)))];
        const actual = (await rows((s) => `SELECT * FROM ${s}.${table}`)).map((row) => {
          const missing = columns.filter((c) => !Object.hasOwn(row, c));
          if (missing.length > 0) throw new Error(`${table} has no column ${missing.join(', ')}`);
          return Object.fromEntries(columns.map((c) => [c, row[c]]));
        });
        expect(sorted(actual)).toEqual(sorted(expected));
      },
      thenQuery: async (sql, expected) => {
        expect(sorted(await rows(sql))).toEqual(sorted(expected));
      },
    };
  };
};
