import type { Queryable } from '@tashghil/event-store';

/** What the recount of a series reads through: a pool that opens transactions. */
export type Database = Queryable & { transaction<R>(work: (tx: Queryable) => Promise<R>): Promise<R> };

/** The keys to count again: some, by key, or every key in a range (a chunk of everything). */
export type Chosen = readonly string[] | { readonly from: string; readonly to: string };

/**
 * Whether a key is one of those chosen: by key (`$1`) or in a range of keys (`$4` to `$5`, or the
 * parameters named).
 */
export const CHOSEN = (column: string, [keys, from, to] = [1, 4, 5]) =>
  `(${column} = ANY($${keys}::text[]) OR ${column} BETWEEN $${from}::text AND $${to}::text)`;

/**
 * Takes, for the rest of the transaction, a lock per key to count again (in key order, so two
 * transactions never wait on each other in a circle). Keys whose facts come from several streams
 * (a person, an offer) are projected by consumers of different partitions at once: the lock makes
 * their recounts take turns, and each one, a statement that starts after it has the lock, sees the
 * facts the one before it committed. The last recount of a key therefore sees all of its facts.
 */
const lockKeys = async (q: Queryable, s: string, what: string, keys: readonly string[]): Promise<void> => {
  if (keys.length === 0) return;
  await q.query(
    `SELECT count(pg_advisory_xact_lock(hashtext($1), hashtext(k)))
       FROM (SELECT DISTINCT k FROM unnest($2::text[]) AS k ORDER BY k OFFSET 0) keys`,
    [`${s}.${what}`, keys],
  );
};

/** A tally kept by difference of series, as `recountSome` and `recountAll` write it. */
export interface SeriesTally {
  /** What its keys are (people, offers): the name of their locks. */
  readonly name: string;
  /** The tally: `day`, the `key` columns, and `n`. */
  readonly tally: string;
  readonly key: readonly string[];
  /** Every key there is to count, as column `k`. */
  readonly keys: string;
  /** A WITH list ending in `delta` (day, key…, n) for the keys chosen, which also stores their series. */
  readonly deltas: string;
  readonly params: (chosen: Chosen) => readonly unknown[];
}

/**
 * Counts the keys chosen again: their series replaced, and the tally moved by the difference (rows
 * locked in key order, so two consumers never deadlock on them). Figures that come back to zero are
 * removed, so the tally does not depend on the order or the pages the events came in.
 */
export const recountSome = async (q: Queryable, s: string, spec: SeriesTally, chosen: Chosen): Promise<void> => {
  if (!('from' in chosen)) {
    if (chosen.length === 0) return;
    await lockKeys(q, s, spec.name, chosen);
  }
  const key = ['day', ...spec.key].join(', ');
  const { rows } = await q.query<{ day: string }>(
    `${spec.deltas},
     moved AS (
       INSERT INTO ${s}.${spec.tally} (${key}, n) SELECT ${key}, n FROM delta ORDER BY ${key}
       ON CONFLICT (${key}) DO UPDATE SET n = ${s}.${spec.tally}.n + EXCLUDED.n
       RETURNING day, n)
     SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM moved WHERE n = 0`,
    spec.params(chosen),
  );
  if (rows.length > 0)
    await q.query(`DELETE FROM ${s}.${spec.tally} WHERE n = 0 AND day = ANY($1::date[])`, [rows.map((r) => r.day)]);
};

/**
 * Counts every key of a generation after a first load that did not count as it went, in chunks of
 * keys by range, `workers` chunks at a time (each its own transaction and connection). The chunks
 * write what they add beside the tally, never to the same rows, so they never wait on one another;
 * the sum goes into the tally at the end. `onChunk` runs after each (a build renews its lease there).
 */
export const recountAll = async (
  db: Database,
  s: string,
  spec: SeriesTally,
  options: { readonly chunk?: number; readonly workers?: number; readonly onChunk?: () => Promise<void> } = {},
): Promise<void> => {
  const load = `${s}.${spec.tally}_load`;
  const columns = ['day', ...spec.key, 'n'];
  await db.query(`DROP TABLE IF EXISTS ${load}`);
  await db.query(`CREATE UNLOGGED TABLE ${load} AS SELECT ${columns.join(', ')} FROM ${s}.${spec.tally} WHERE false`);
  // Chunks are handed out in key order, one boundary query at a time.
  let after = '';
  let handing = Promise.resolve();
  const nextChunk = (): Promise<Chosen | undefined> => {
    const chunk = handing.then(async () => {
      const { rows } = await db.query<{ from: string | null; to: string | null }>(
        `SELECT min(k) AS from, max(k) AS to FROM (SELECT k FROM (${spec.keys}) a WHERE k > $1 ORDER BY k LIMIT $2) b`,
        [after, options.chunk ?? 20_000],
      );
      const { from, to } = rows[0] ?? { from: null, to: null };
      if (from === null || to === null) return undefined;
      after = to;
      return { from, to };
    });
    handing = chunk.then(() => undefined);
    return chunk;
  };
  const work = async (): Promise<void> => {
    for (let chosen = await nextChunk(); chosen; chosen = await nextChunk()) {
      const range = chosen;
      await db.transaction(async (tx) => {
        // Every input here is thousands of rows, which the planner cannot see through the WITH
        // queries: hash joins, sorts in memory, and no compiling of a statement run once.
        await tx.query('SET LOCAL enable_nestloop = off');
        await tx.query('SET LOCAL jit = off');
        await tx.query(`SET LOCAL work_mem = '64MB'`);
        await tx.query(
          `${spec.deltas} INSERT INTO ${load} SELECT ${columns.join(', ')} FROM delta`,
          spec.params(range),
        );
      });
      await options.onChunk?.();
    }
  };
  await Promise.all(Array.from({ length: options.workers ?? 2 }, work));
  const key = ['day', ...spec.key].join(', ');
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO ${s}.${spec.tally} (${columns.join(', ')})
       SELECT ${key}, sum(n) FROM ${load} GROUP BY ${key} HAVING sum(n) <> 0
       ON CONFLICT (${key}) DO UPDATE SET n = ${s}.${spec.tally}.n + EXCLUDED.n`,
    );
    await tx.query(`DELETE FROM ${s}.${spec.tally} WHERE n = 0`);
    await tx.query(`DROP TABLE ${load}`);
  });
};
