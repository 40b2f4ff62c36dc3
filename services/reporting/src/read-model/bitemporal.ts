import type { Queryable } from '@tashghil/event-store';

/**
 * Every table of a generation is bitemporal on recorded time: a row holds from the recorded time of
 * the event that wrote it (`valid_from`) until that of the event that changed it (`valid_to`,
 * 'infinity' while it is current). A change closes the current row and opens a new one, so the read
 * model as it stood at any instant is the rows whose interval holds that instant, and the report as
 * of a day reads them instead of replaying the store. Facts recorded once (a hire, a payment) are
 * never closed.
 */
export const VALIDITY = `valid_from timestamptz NOT NULL, valid_to timestamptz NOT NULL DEFAULT 'infinity'`;

/** The current rows, as every handler sees them. */
const CURRENT = `valid_to = 'infinity'`;

/**
 * Opens a version at `at` of the current rows that match `where` (over `params`): each is closed at
 * `at` and a copy of it opened there, for the caller to change. A row opened at `at` already (two
 * events recorded in one instant) is changed in place. A stream's events come in order, live and in
 * a rebuild alike, and each key of a versioned table is written by one stream, so versions follow
 * recorded time.
 */
export const reopen = async (
  q: Queryable,
  s: string,
  table: string,
  where: string,
  params: readonly unknown[],
  at: string,
): Promise<void> => {
  const n = params.length + 1;
  await q.query(
    `WITH closed AS (
       UPDATE ${s}.${table} SET valid_to = $${n}::timestamptz
        WHERE (${where}) AND ${CURRENT} AND valid_from < $${n}::timestamptz RETURNING *)
     INSERT INTO ${s}.${table}
     SELECT (jsonb_populate_record(NULL::${s}.${table},
               to_jsonb(c) || jsonb_build_object('valid_from', $${n}::timestamptz, 'valid_to', 'infinity'::timestamptz))).*
       FROM closed c`,
    [...params, at],
  );
};

/**
 * Changes the current rows that match `where` (over `params`) as of `at`: `set` is an UPDATE's SET
 * list over `params` and then `values` ($n+1… where n is the number of params).
 */
export const change = async (
  q: Queryable,
  s: string,
  table: string,
  match: { readonly where: string; readonly params: readonly unknown[] },
  update: { readonly set: string; readonly values: readonly unknown[] },
  at: string,
): Promise<void> => {
  await reopen(q, s, table, match.where, match.params, at);
  await q.query(`UPDATE ${s}.${table} SET ${update.set} WHERE (${match.where}) AND ${CURRENT}`, [
    ...match.params,
    ...update.values,
  ]);
};

/** Whether a current row matches `where`. */
export const exists = async (q: Queryable, s: string, table: string, where: string, params: readonly unknown[]) =>
  (await q.query(`SELECT 1 FROM ${s}.${table} WHERE (${where}) AND ${CURRENT} LIMIT 1`, params)).rows.length > 0;

/**
 * Ends, at `at`, the current rows that match `where`, for a full list that replaces them (the
 * measures of a signed convention). Rows opened at `at` or later are removed: the new list stands
 * from `at`.
 */
export const endAt = async (
  q: Queryable,
  s: string,
  table: string,
  where: string,
  params: readonly unknown[],
  at: string,
): Promise<void> => {
  const n = params.length + 1;
  await q.query(`DELETE FROM ${s}.${table} WHERE (${where}) AND ${CURRENT} AND valid_from >= $${n}::timestamptz`, [
    ...params,
    at,
  ]);
  await q.query(
    `UPDATE ${s}.${table} SET valid_to = $${n}::timestamptz WHERE (${where}) AND ${CURRENT} AND valid_from < $${n}::timestamptz`,
    [...params, at],
  );
};

/** A column of a set-based insert and the SQL type its array is cast to. */
export type Column = readonly [
  name: string,
  type: 'text' | 'date' | 'boolean' | 'integer' | 'bigint' | 'uuid' | 'timestamptz',
];

/**
 * A running total kept beside a table of facts recorded once, per day of recorded time: what the
 * rows inserted add to it, grouped by `by`, so a report sums a few rows per day (as of a day: the
 * days up to it) instead of the facts. A trigger adds each statement's new rows (only those an
 * insert keeps, so a fact counts once whatever order the events come in); a first load adds the
 * whole table once at its end instead (`fillTally`).
 */
export interface Tally {
  readonly table: string;
  /** The table of facts it adds up. */
  readonly source: string;
  /** The tally's key beside its day: each column's name and its expression over the row kept (`f`). */
  readonly by: readonly (readonly [name: string, expr: string])[];
  /** What it adds up: each column's name and its aggregate over the rows of a key. */
  readonly add: readonly (readonly [name: string, aggregate: string])[];
  /** Tables joined to the row kept (`JOIN … ON …` referring to `f`), for a key taken from them. */
  readonly join?: string;
  /** The day a row counts from, when a joined row is recorded later than it; the row's own by default. */
  readonly day?: string;
}

const DAY_OF = (row: string) => `(${row}.valid_from AT TIME ZONE 'UTC')::date`;

/** The statement that adds the rows of `rows` (a relation) to a tally. */
const addTo = (s: string, rows: string, tally: Tally): string => {
  const by = tally.by.map(([, expr]) => expr);
  const names = [...tally.by, ...tally.add].map(([name]) => name);
  return `INSERT INTO ${s}.${tally.table} (day, ${names.join(', ')})
     SELECT ${tally.day ?? DAY_OF('f')}, ${[...by, ...tally.add.map(([, aggregate]) => aggregate)].join(', ')}
       FROM ${rows} f ${tally.join ?? ''} GROUP BY ${by.map((_, i) => i + 2).join(', ')}, 1
      ORDER BY 1, ${by.map((_, i) => i + 2).join(', ')} -- rows locked in key order: two consumers never deadlock on them
     ON CONFLICT (day, ${tally.by.map(([name]) => name).join(', ')}) DO UPDATE
        SET ${tally.add.map(([name]) => `${name} = ${s}.${tally.table}.${name} + EXCLUDED.${name}`).join(', ')}`;
};

/** The trigger's name: the tally's, and its source's when two sources add to one tally. */
const triggerOf = (tally: Tally) => `${tally.table}_from_${tally.source}`;

/**
 * The DDL of a tally (its day and key, the totals it adds up as bigint) and of the trigger of each
 * source that adds to it (several for a tally of pairs: whichever row of a pair comes second counts it).
 */
export const tallyTable = (
  s: string,
  [tally, ...others]: readonly [Tally, ...Tally[]],
  types: Readonly<Record<string, string>>,
): string => `
CREATE TABLE ${s}.${tally.table} (
  day date NOT NULL, ${tally.by.map(([name]) => `${name} ${types[name] ?? 'text'}`).join(', ')},
  ${tally.add.map(([name]) => `${name} bigint NOT NULL`).join(', ')},
  PRIMARY KEY (day, ${tally.by.map(([name]) => name).join(', ')})
);
${[tally, ...others]
  .map(
    (t) => `
CREATE FUNCTION ${s}.${triggerOf(t)}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  ${addTo(s, 'kept', t)};
  RETURN NULL;
END $$;
CREATE TRIGGER ${triggerOf(t)} AFTER INSERT ON ${s}.${t.source} REFERENCING NEW TABLE AS kept
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.${triggerOf(t)}();`,
  )
  .join('\n')}`;

/** Adds a whole source table to its tally at once: the end of a first load, which ran without triggers. */
export const fillTally = async (q: Queryable, s: string, tally: Tally): Promise<void> => {
  await q.query(addTo(s, `${s}.${tally.source}`, tally));
};

/**
 * Inserts rows in one statement (arrays unnested in order), the first of a key standing: the
 * set-based write of a page of facts recorded once.
 */
export const insertRows = async (
  q: Queryable,
  s: string,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
): Promise<void> => {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO ${s}.${table} (${columns.map(([c]) => c).join(', ')})
     SELECT * FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) ON CONFLICT DO NOTHING`,
    columns.map((_, i) => rows.map((r) => r[i] ?? null)),
  );
};

/** The last instant of a day (UTC), to the microsecond PostgreSQL keeps. */
export const endOfDay = (day: string): string => `${day}T23:59:59.999999Z`;

/**
 * A table as it stood at `instant` (the end of a day), or as it is now when null: the rows whose
 * interval holds it. The instant is checked and written into the SQL, so the planner sees it.
 */
export const rowsAt = (s: string, table: string, instant: string | null): string => {
  if (instant === null) return `(SELECT * FROM ${s}.${table} WHERE ${CURRENT})`;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,6}Z$/.test(instant)) throw new Error(`not an instant: ${instant}`);
  return `(SELECT * FROM ${s}.${table} WHERE valid_from <= '${instant}'::timestamptz AND valid_to > '${instant}'::timestamptz)`;
};

/**
 * A tally as it stood at the end of `day` (its days up to it), or as it is now when null. The day is
 * checked and written into the SQL.
 */
export const tallyUpTo = (s: string, table: string, day: string | null): string => {
  if (day === null) return `${s}.${table}`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  return `(SELECT * FROM ${s}.${table} WHERE day <= '${day}'::date)`;
};
