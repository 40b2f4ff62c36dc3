import { createHash } from 'node:crypto';
import type { Command, DecidedEvent, Decider } from './decider';
import { ValidationError } from './errors';
import type { EventStore } from './event-store';
import { readStreams } from './read-streams';
import type { Queryable } from './sql-client';
import type { RecordedEvent } from './types';

/** The column types a query model may use: what lists filter and sort on, nothing personal. */
export type ColumnType = 'text' | 'text[]' | 'integer' | 'bigint' | 'boolean' | 'date' | 'timestamptz' | 'jsonb';

/**
 * A table a service keeps of one aggregate's current state, for what its users list and search.
 * It is written in the transaction of every append to the aggregate's streams, from the state the
 * decider reached, so a list read after a write always shows it (read-your-writes on every replica,
 * with no subscription to wait for). It must never hold a personal field in clear.
 */
export interface QueryModel<S> {
  /** Schema-qualified, e.g. `q.seekers`. */
  readonly table: string;
  /** The streams it follows, e.g. `matching.seeker`. */
  readonly category: string;
  /** Columns besides `stream_id`, `version` and `updated_at`. */
  readonly columns: Readonly<Record<string, ColumnType>>;
  /**
   * Each index as its column list, e.g. `region, registered_on DESC, stream_id DESC`, or
   * `gin (occupations)` for an array column searched with `&&` or `@>`.
   */
  readonly indexes: readonly string[];
  /** The row of a stream in this state; null when it has no row (not yet created, or withdrawn from lists). */
  readonly row: (state: S, streamId: string) => Readonly<Record<string, unknown>> | null;
}

/** What a model's table looks like, whatever state it reads. */
type Shape = Omit<QueryModel<unknown>, 'row'>;

/** A decider that keeps a query model of its streams. */
export interface ModelledDecider<C extends Command, S, E extends DecidedEvent> extends Decider<C, S, E> {
  readonly queryModel?: QueryModel<S>;
}

const NAME = /^[a-z_][a-z0-9_]*$/;
const TABLE = /^q\.[a-z_][a-z0-9_]*$/;
const INDEX = /^([a-z_][a-z0-9_]*( (ASC|DESC))?(, [a-z_][a-z0-9_]*( (ASC|DESC))?)*|gin \([a-z_][a-z0-9_]*\))$/;

const checkModel = (model: Shape): void => {
  if (!TABLE.test(model.table))
    throw new Error(`query model table ${model.table} is not q.<name> (the schema service roles may create tables in)`);
  for (const name of Object.keys(model.columns)) {
    if (!NAME.test(name) || name === 'stream_id' || name === 'version' || name === 'updated_at')
      throw new Error(`query model ${model.table}: bad column name ${name}`);
  }
  for (const index of model.indexes) {
    if (!INDEX.test(index)) throw new Error(`query model ${model.table}: bad index ${index}`);
  }
};

/** What the table's shape is: a model whose layout changed is rebuilt from the store. */
export const layoutOf = (model: Shape): string =>
  createHash('sha256')
    .update(JSON.stringify([model.table, model.category, model.columns, model.indexes]))
    .digest('hex')
    .slice(0, 16);

const columnList = (model: Shape): string[] => Object.keys(model.columns);

const tableDdl = (model: Shape): string[] => {
  const columns = Object.entries(model.columns).map(([name, type]) => `${name} ${type}`);
  return [
    `CREATE TABLE ${model.table} (
       stream_id text PRIMARY KEY,
       version bigint NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now(),
       ${columns.join(',\n       ')})`,
    `CREATE INDEX ON ${model.table} (updated_at, stream_id)`,
    ...model.indexes.map((index) =>
      index.startsWith('gin (')
        ? `CREATE INDEX ON ${model.table} USING ${index}`
        : `CREATE INDEX ON ${model.table} (${index})`,
    ),
  ];
};

/**
 * Writes the rows of streams in the states a transaction leaves them, in that transaction: one
 * statement per table for the rows, one for the streams without a row. A row never goes back to an
 * older version (a rebuild page racing a live write).
 */
export const writeQueryRows = async <S>(
  tx: Queryable,
  model: QueryModel<S>,
  streams: ReadonlyArray<{ readonly streamId: string; readonly state: S; readonly version: number }>,
): Promise<void> => storeQueryRows(tx, queryRowsOf(model, streams));

/** The rows of streams in their states, ready to store: computed before the transaction that stores them. */
export interface QueryRows {
  readonly model: Shape;
  readonly json: string | null;
  readonly gone: readonly string[];
}

export const queryRowsOf = <S>(
  model: QueryModel<S>,
  streams: ReadonlyArray<{ readonly streamId: string; readonly state: S; readonly version: number }>,
): QueryRows => {
  const rows: Array<Record<string, unknown>> = [];
  const gone: string[] = [];
  for (const { streamId, state, version } of streams) {
    const row = model.row(state, streamId);
    if (row) rows.push({ ...row, stream_id: streamId, version });
    else gone.push(streamId);
  }
  return { model, json: rows.length > 0 ? JSON.stringify(rows) : null, gone };
};

/** Stores rows `queryRowsOf` computed: one statement for the rows, one for the streams without one. */
export const storeQueryRows = async (tx: Queryable, { model, json, gone }: QueryRows): Promise<void> => {
  const columns = columnList(model);
  if (json !== null) {
    const all = ['stream_id', 'version', ...columns];
    const types = Object.entries(model.columns).map(([name, type]) => `${name} ${type}`);
    await tx.query(
      `INSERT INTO ${model.table} AS t (${all.join(', ')})
       SELECT ${all.join(', ')}
         FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, version bigint, ${types.join(', ')})
       ON CONFLICT (stream_id) DO UPDATE
         SET version = excluded.version, updated_at = now(),
             ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}
         WHERE t.version < excluded.version`,
      [json],
    );
  }
  if (gone.length > 0) await tx.query(`DELETE FROM ${model.table} WHERE stream_id = ANY($1::text[])`, [gone]);
};

/** How many streams a rebuild folds between two writes: each write is a short transaction. */
const REBUILD_PAGE = 500;

/**
 * Creates the model's table, or rebuilds it from the store when its layout changed or it is new on
 * a store that already holds its streams. Pages through the category's streams by id: each page is
 * read, folded outside any transaction, then written in a short one; live writes meanwhile keep
 * their rows (see writeQueryRows). Concurrent starts of several replicas take turns on a lock.
 */
export const ensureQueryModel = async <C extends Command, S, E extends DecidedEvent>(
  store: EventStore,
  decider: ModelledDecider<C, S, E>,
): Promise<{ rebuilt: boolean; streams: number }> => {
  const model = decider.queryModel;
  if (!model) throw new Error('the decider keeps no query model');
  checkModel(model);
  const layout = layoutOf(model);
  const claimed = await store.db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('q.models'))`);
    // A service role may not create schemas: where roles exist, a migration made these already
    // (libs/service-kit service-roles.ts); elsewhere (PGlite, one owner) they are made here.
    const { rows: present } = await tx.query<{ made: boolean }>(`SELECT to_regclass('q.models') IS NOT NULL AS made`);
    if (!present[0]?.made) {
      await tx.query(`CREATE SCHEMA IF NOT EXISTS q`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS q.models (
           name text PRIMARY KEY, layout text NOT NULL, ready boolean NOT NULL DEFAULT false,
           claimed_at timestamptz NOT NULL DEFAULT now())`,
      );
    }
    const { rows } = await tx.query<{ layout: string; ready: boolean; claimed_at: Date }>(
      `SELECT layout, ready, claimed_at FROM q.models WHERE name = $1`,
      [model.table],
    );
    const known = rows[0];
    if (known && known.layout === layout) return known.ready ? 'ready' : 'building';
    await tx.query(`DROP TABLE IF EXISTS ${model.table}`);
    for (const statement of tableDdl(model)) await tx.query(statement);
    await tx.query(
      `INSERT INTO q.models (name, layout, ready) VALUES ($1, $2, false)
       ON CONFLICT (name) DO UPDATE SET layout = excluded.layout, ready = false, claimed_at = now()`,
      [model.table, layout],
    );
    return 'mine';
  });
  if (claimed === 'ready') return { rebuilt: false, streams: 0 };
  if (claimed === 'building') return { rebuilt: false, streams: await waitReady(store, model.table) };
  const streams = await rebuildRows(store, decider, model);
  await store.db.query(`UPDATE q.models SET ready = true WHERE name = $1`, [model.table]);
  return { rebuilt: true, streams };
};

/** Another replica builds the table: wait for it, the way it would wait for this one. */
const waitReady = async (store: EventStore, table: string): Promise<number> => {
  for (;;) {
    const { rows } = await store.db.query<{ ready: boolean; claimed_at: Date }>(
      `SELECT ready, claimed_at FROM q.models WHERE name = $1`,
      [table],
    );
    const row = rows[0];
    if (!row || row.ready) return 0;
    // A builder that died leaves the claim: after ten minutes without a finish, build it here.
    if (Date.now() - new Date(row.claimed_at).getTime() > 600_000) {
      await store.db.query(`UPDATE q.models SET layout = '' WHERE name = $1 AND NOT ready`, [table]);
      return 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

const rebuildRows = async <C extends Command, S, E extends DecidedEvent>(
  store: EventStore,
  decider: ModelledDecider<C, S, E>,
  model: QueryModel<S>,
): Promise<number> => {
  // Stream ids of a category are `<category>-<id>`: between '<category>-' and '<category>.' in text
  // order, which the stream index serves ('-' sorts just before '.').
  const low = `${model.category}-`;
  const high = `${model.category}.`;
  let after = low;
  let total = 0;
  for (;;) {
    const { rows } = await store.db.query<{ stream_id: string }>(
      `SELECT DISTINCT stream_id FROM es.events
        WHERE stream_id > $1 AND stream_id < $2 COLLATE "C"
        ORDER BY stream_id LIMIT $3`,
      [after, high, REBUILD_PAGE],
    );
    if (rows.length === 0) return total;
    const ids = rows.map((r) => r.stream_id);
    const { streams } = await readStreams(store, ids, []);
    const folded = ids.map((streamId) => {
      const found = streams.get(streamId);
      const events = found?.events ?? [];
      return {
        streamId,
        state: events.reduce(
          (state: S, event: RecordedEvent) => decider.evolve(state, asDecided<E>(event)),
          decider.initialState(),
        ),
        version: found?.version ?? -1,
      };
    });
    await store.db.transaction((tx) => writeQueryRows(tx, model, folded));
    total += ids.length;
    after = ids[ids.length - 1] as string;
  }
};

const asDecided = <E extends DecidedEvent>(event: RecordedEvent): E =>
  ({ type: event.type, data: event.data, schemaVersion: event.schemaVersion }) as unknown as E;

/** A piece of SQL with its parameters; `$?` marks where each parameter goes. */
export interface SqlPart {
  readonly text: string;
  readonly params: readonly unknown[];
}

/** `sql\`region = ${region}\`` → a condition with its parameter, numbered when the query is put together. */
export const sql = (strings: TemplateStringsArray, ...params: unknown[]): SqlPart => ({
  text: strings.join('$?'),
  params,
});

export interface PageSpec {
  /** The select list, e.g. `stream_id, region, status`. */
  readonly columns: string;
  readonly from: string;
  readonly where: readonly SqlPart[];
  /** The sort key, its last column unique (a stream id): every row has one place in the order. */
  readonly orderBy: readonly string[];
  readonly direction: 'asc' | 'desc';
  readonly limit: number;
  /** The sort key of the last row of the page before (from the cursor). */
  readonly after?: readonly unknown[];
}

/**
 * One page by keyset: rows after the cursor's key in a stable order, read through an index that
 * starts with the filters and the sort key, so a deep page costs what the first one does. Answers
 * the rows and the key to continue from (null on the last page).
 */
export const selectPage = async <R extends Record<string, unknown>>(
  q: Queryable,
  spec: PageSpec,
): Promise<{ rows: R[]; next: unknown[] | null }> => {
  const conditions = [...spec.where];
  if (spec.after) {
    if (spec.after.length !== spec.orderBy.length)
      throw new ValidationError('INVALID_INPUT', 'the query has 1 invalid field', [
        { path: 'cursor', message: 'is not a cursor of this list' },
      ]);
    const holes = spec.orderBy.map(() => '$?').join(', ');
    conditions.push({
      text: `(${spec.orderBy.join(', ')}) ${spec.direction === 'asc' ? '>' : '<'} (${holes})`,
      params: spec.after,
    });
  }
  const params: unknown[] = [];
  const number = (part: SqlPart): string => {
    let i = 0;
    return part.text.replace(/\$\?/g, () => {
      params.push(part.params[i]);
      i += 1;
      return `$${params.length}`;
    });
  };
  const where = conditions.length ? `WHERE ${conditions.map((c) => `(${number(c)})`).join(' AND ')}` : '';
  const order = spec.orderBy.map((c) => `${c} ${spec.direction.toUpperCase()}`).join(', ');
  params.push(spec.limit + 1);
  // The key is read back as the server prints it, so a timestamp keeps its microseconds and a day
  // its day, whatever the client library would make of them.
  const keys = spec.orderBy.map((column, i) => `(${column})::text AS page_key_${i}`).join(', ');
  const { rows } = await q.query<R>(
    `SELECT ${spec.columns}, ${keys} FROM ${spec.from} ${where} ORDER BY ${order} LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, spec.limit);
  const last = page[page.length - 1] as Record<string, unknown> | undefined;
  const next = rows.length > spec.limit && last ? spec.orderBy.map((_c, i) => last[`page_key_${i}`]) : null;
  for (const row of page as Array<Record<string, unknown>>) {
    for (let i = 0; i < spec.orderBy.length; i += 1) delete row[`page_key_${i}`];
  }
  return { rows: page, next };
};
