import type { Queryable } from '@tashghil/event-store';

/**
 * A running total of facts recorded once (payments, enrolments…) by a line their file stands under
 * (a programme, a year, a component), where the file's line is a versioned row that may change
 * after the facts: each fact counts under the line of each version of its file, from the later of
 * its own day and the version's, until the version's end. Summed up to a day, it gives the facts
 * recorded by then under the lines their files stood under then, which is what the report's "as of"
 * asks, in a few rows per day and line instead of a join of every fact with its file.
 *
 * Triggers keep it equal to that sum over every pair of a fact and a version, whatever changes
 * first: an insert of facts adds their pairs; a version inserted, changed or removed adds its new
 * pairs and takes back its old ones. Without `facts`, each version counts alone (a commitment's
 * amount under its line). A first load runs without triggers and fills it once at its end.
 */
export interface LineTally {
  readonly table: string;
  /** The versioned table of the lines (alias `v`). */
  readonly versions: string;
  /** The facts recorded once that count under a version (alias `f`), and how a fact names its version. */
  readonly facts?: { readonly table: string; readonly on: string };
  /** Which versions count (their line known). */
  readonly where: string;
  /** The tally's key beside its day: each column's name, type and expression over `v`. */
  readonly by: readonly (readonly [name: string, type: string, expr: string])[];
  /** What it adds up: each column's name and its value for one pair (or version), summed. */
  readonly add: readonly (readonly [name: string, value: string])[];
}

const day = (instant: string) => `(${instant} AT TIME ZONE 'UTC')::date`;

/**
 * What the pairs of `facts` and `versions` (relations) add, with a sign: each pair from the later of
 * the two days until the version's end, if that is later still.
 */
const pairsOf = (t: LineTally, facts: string, versions: string, sign: 1 | -1): string => {
  const from = t.facts ? `GREATEST(${day('f.valid_from')}, ${day('v.valid_from')})` : day('v.valid_from');
  const pairs = t.facts
    ? `${facts} f JOIN ${versions} v ON ${t.facts.on} WHERE (${t.where})`
    : `${versions} v WHERE (${t.where})`;
  const key = t.by.map(([, , expr]) => expr).join(', ');
  const values = (k: number) => t.add.map(([name, value]) => `${k * sign} * (${value}) AS ${name}`).join(', ');
  return `
    SELECT ${from} AS day, ${key}, ${values(1)} FROM ${pairs} AND ${from} < ${day('v.valid_to')}
    UNION ALL
    SELECT ${day('v.valid_to')}, ${key}, ${values(-1)} FROM ${pairs} AND ${from} < ${day('v.valid_to')}
       AND v.valid_to <> 'infinity'`;
};

/** Adds rows of (day, key…, values…) to the tally, in key order (two consumers never deadlock on its rows). */
const upsert = (s: string, t: LineTally, rows: string): string => {
  const keys = ['day', ...t.by.map(([name]) => name)].join(', ');
  return `
  INSERT INTO ${s}.${t.table} (${keys}, ${t.add.map(([name]) => name).join(', ')})
  SELECT ${keys}, ${t.add.map(([name]) => `sum(${name})`).join(', ')} FROM (${rows}) r GROUP BY ${keys} ORDER BY ${keys}
  ON CONFLICT (${keys}) DO UPDATE SET ${t.add.map(([name]) => `${name} = ${s}.${t.table}.${name} + EXCLUDED.${name}`).join(', ')}`;
};

/** Removes the rows that came back to zero (of the days `rows` touch, or all), so the tally does not depend on the order of changes. */
const zeros = (s: string, t: LineTally, rows?: string): string =>
  `DELETE FROM ${s}.${t.table} WHERE ${t.add.map(([name]) => `${name} = 0`).join(' AND ')}${rows ? ` AND day IN (SELECT DISTINCT day FROM (${rows}) r)` : ''}`;

const addAll = (s: string, t: LineTally, rows: string): string => `${upsert(s, t, rows)}; ${zeros(s, t, rows)}`;

const trigger = (s: string, name: string, on: string, event: string, tables: string, body: string) => `
CREATE FUNCTION ${s}.${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NULL; END $$;
CREATE TRIGGER ${name} AFTER ${event} ON ${s}.${on} REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION ${s}.${name}();`;

/** The tally's table and the triggers that keep it. */
export const lineTallyTable = (s: string, t: LineTally): string => {
  const facts = t.facts ? `${s}.${t.facts.table}` : '';
  const versions = `${s}.${t.versions}`;
  const name = (what: string) => `${t.table}_${what}`;
  return `
CREATE TABLE ${s}.${t.table} (
  day date NOT NULL, ${t.by.map(([n, type]) => `${n} ${type} NOT NULL`).join(', ')},
  ${t.add.map(([n]) => `${n} bigint NOT NULL`).join(', ')}, PRIMARY KEY (day, ${t.by.map(([n]) => n).join(', ')})
);
${t.facts ? trigger(s, name('facts'), t.facts.table, 'INSERT', 'NEW TABLE AS kept', addAll(s, t, pairsOf(t, 'kept', versions, 1))) : ''}
${trigger(s, name('opened'), t.versions, 'INSERT', 'NEW TABLE AS opened', addAll(s, t, pairsOf(t, facts, 'opened', 1)))}
${trigger(
  s,
  name('changed'),
  t.versions,
  'UPDATE',
  'OLD TABLE AS old_rows NEW TABLE AS new_rows',
  addAll(s, t, `${pairsOf(t, facts, 'new_rows', 1)} UNION ALL ${pairsOf(t, facts, 'old_rows', -1)}`),
)}
${trigger(s, name('removed'), t.versions, 'DELETE', 'OLD TABLE AS removed', addAll(s, t, pairsOf(t, facts, 'removed', -1)))}`;
};

/** Fills a tally from its whole tables at once: the end of a first load, which ran without triggers. */
export const fillLineTally = async (q: Queryable, s: string, t: LineTally): Promise<void> => {
  await q.query(upsert(s, t, pairsOf(t, `${s}.${t.facts?.table ?? ''}`, `${s}.${t.versions}`, 1)));
  await q.query(zeros(s, t));
};
