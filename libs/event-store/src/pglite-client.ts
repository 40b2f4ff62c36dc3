import type { PGlite } from '@electric-sql/pglite';
import { channelList, runEffects, type Queryable, type QueryResult, type SqlClient } from './sql-client';

/**
 * PGlite is one PostgreSQL session. Two transactions interleaved on it would silently become one,
 * so every statement and every transaction waits its turn here.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Map<string, Set<() => void>>();

  private constructor(private readonly db: PGlite) {}

  /** `dataDir` undefined keeps the database in memory. */
  static async open(dataDir?: string): Promise<PgliteSqlClient> {
    const { PGlite: Engine } = await import('@electric-sql/pglite');
    const db = dataDir === undefined ? new Engine() : new Engine(dataDir);
    await db.waitReady;
    return new PgliteSqlClient(db);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return this.exclusive(() => this.run<R>(this.db, text, params));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const committed: Array<() => void> = [];
      const result = await this.db.transaction(async (t) =>
        work({
          query: <R>(text: string, params: readonly unknown[] = []) => this.run<R>(t, text, params),
          afterCommit: (effect) => committed.push(effect),
        }),
      );
      runEffects(committed);
      return result;
    });
  }

  private async run<R>(
    target: Pick<PGlite, 'query' | 'exec'>,
    text: string,
    params: readonly unknown[],
  ): Promise<QueryResult<R>> {
    if (params.length === 0) {
      // The simple protocol, as `pg` uses without parameters, so migrations may hold several statements.
      const results = await target.exec(text);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as R[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
    }
    const result = await target.query<R>(text, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  /**
   * Every session of an in-process PGlite is in this process, so listeners are woken here, without
   * a NOTIFY that would take a turn on the one connection.
   */
  async listen(channels: string | readonly string[], onNotify: () => void): Promise<() => Promise<void>> {
    const names = channelList(channels);
    for (const name of names) {
      const set = this.listeners.get(name) ?? new Set();
      set.add(onNotify);
      this.listeners.set(name, set);
    }
    return async () => {
      for (const name of names) this.listeners.get(name)?.delete(onNotify);
    };
  }

  wake(channels: readonly string[]): void {
    const woken = new Set<() => void>();
    for (const name of channels) for (const listener of this.listeners.get(name) ?? []) woken.add(listener);
    for (const listener of woken) queueMicrotask(() => runEffects([listener]));
  }

  async close(): Promise<void> {
    await this.exclusive(() => this.db.close());
  }
}
