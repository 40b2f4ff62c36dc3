import type { Queryable } from './sql-client';

/**
 * The database's default collation when it orders text by a language's rules rather than by bytes,
 * or null when it compares bytes (C, POSIX, C.UTF-8).
 *
 * Every key of the store is text compared in its indexes: stream ids, categories, event types,
 * subject ids, and the query models' filter and paging columns. infra/postgres/start.sh creates its
 * cluster with `--no-locale`, and PGlite's is C too; a server created with the defaults of its host
 * or of the `postgres` Docker image (en_US.utf8) compares each key by the language's rules instead.
 * Measured on PostgreSQL 15, one database of each kind, 60 appends of 1,000 new streams each,
 * three alternating runs (2026-12-06): 41.9–49.5 ms a call over C against 48.3–54.4 ms over ICU
 * en-US. Nothing is wrong on such a database; it is slower, so a service says so when it starts.
 *
 * Decided by behaviour, not by name: under byte order 'B' (0x42) sorts before 'a' (0x61), under
 * a language's rules after it.
 */
export const linguisticCollation = async (db: Queryable): Promise<string | null> => {
  const { rows } = await db.query<{ linguistic: boolean; name: string | null }>(
    `SELECT ('a' < 'B') AS linguistic,
            coalesce(j ->> 'datlocale', j ->> 'daticulocale', j ->> 'datcollate') AS name
       FROM (SELECT to_jsonb(d) AS j FROM pg_database d WHERE d.datname = current_database()) AS this`,
  );
  const row = rows[0];
  return row?.linguistic ? (row.name ?? 'unknown') : null;
};
