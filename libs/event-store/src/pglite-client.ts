import type { PGlite } from '@electric-sql/pglite';
import type { Queryable, QueryResult, SqlClient } from './sql-client';

/**
 * PGlite is one PostgreSQL session. Two transactions interleaved on it would silently become one,
 * so every statement and every transaction waits its turn here.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;
  private tail: Promise<unknown> = Promise.resolve();

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
    return this.exclusive(() =>
      this.db.transaction(async (t) =>
        work({ query: <R>(text: string, params: readonly unknown[] = []) => this.run<R>(t, text, params) }),
      ),
    );
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

  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    const unsubscribe = await this.db.listen(channel, () => onNotify());
    return async () => unsubscribe();
  }

  async close(): Promise<void> {
    await this.exclusive(() => this.db.close());
  }
}
