export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

/** Anything that runs SQL: a pool, a connection inside a transaction, or PGlite. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/**
 * The port between the store and a PostgreSQL engine. It earns its place with two real
 * implementations: a server reached through `pg`, and PGlite in the same process.
 */
export interface SqlClient extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls `onNotify` on every NOTIFY on the channel; resolves to an unsubscribe function. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const SQL_CLIENT = Symbol('SQL_CLIENT');
