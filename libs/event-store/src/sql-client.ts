export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

export interface QueryOptions {
  /**
   * Prepares the statement once per connection under this name, where the engine has prepared
   * statements worth keeping (the server): for a statement run very often, whose text never changes.
   */
  readonly prepare?: string;
}

/** Anything that runs SQL: a pool, a connection inside a transaction, or PGlite. */
export interface Queryable {
  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>>;
  /**
   * Set on a transaction's connection: runs `effect` once the transaction has committed (never if
   * it rolls back). An effect that throws is ignored.
   */
  readonly afterCommit?: (effect: () => void) => void;
}

/**
 * The port between the store and a PostgreSQL engine. It earns its place with two real
 * implementations: a server reached through `pg`, and PGlite in the same process.
 */
export interface SqlClient extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls `onNotify` on every NOTIFY on any of the channels; resolves to an unsubscribe function. */
  listen(channels: string | readonly string[], onNotify: () => void): Promise<() => Promise<void>>;
  /**
   * Wakes the listeners of these channels, in every process, outside any transaction: the caller
   * does not wait, and a wake-up that is lost is made up for by the listeners' polling.
   */
  wake(channels: readonly string[]): void;
  close(): Promise<void>;
}

export const SQL_CLIENT = Symbol('SQL_CLIENT');

export const channelList = (channels: string | readonly string[]): readonly string[] =>
  typeof channels === 'string' ? [channels] : channels;

/** Effects of a committed transaction: one that throws must not make the commit look failed. */
export const runEffects = (effects: ReadonlyArray<() => void>): void => {
  for (const effect of effects) {
    try {
      effect();
    } catch {
      // See Queryable.afterCommit.
    }
  }
};
