import { Client, Pool, type PoolConfig, type QueryConfig } from 'pg';
import {
  channelList,
  runEffects,
  type Queryable,
  type QueryOptions,
  type QueryResult,
  type SqlClient,
} from './sql-client';

/** At most one wake-up statement per this many milliseconds from one process. */
const WAKE_INTERVAL_MS = 25;

const TRANSIENT_CODES = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006']);

/** Serialization failures, deadlocks, restarts and lost connections: worth trying again. */
export const isTransientDatabaseError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || code.startsWith('08'))) return true;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  );
};

/**
 * Server-side limits on every session of a pool, so that no process can hold the others back: a
 * transaction left open holds the snapshot horizon that commit-safe reads (relays, subscriptions)
 * stop at, and a statement that runs for minutes holds it too. Unset or 0 leaves the server's
 * setting (off unless a role or database sets one): migrations and rebuilds get a pool of their own
 * with longer limits, or none.
 */
export interface SessionLimits {
  /** statement_timeout: the server cancels a statement running longer (SQLSTATE 57014). */
  readonly statementTimeoutMs?: number;
  /** idle_in_transaction_session_timeout: the server ends a session idle this long inside a transaction (25P03). */
  readonly idleInTransactionTimeoutMs?: number;
  /**
   * max_parallel_workers_per_gather. A service's statements read a few hundred rows by index, and
   * starting parallel workers cost more than the read: the planner ran a 251-stream read of the
   * write path on two workers in 10.4 ms, against 1.7 ms on none (2026-12-05, bench/README.md).
   */
  readonly parallelWorkersPerGather?: number;
}

const sessionParameters = (
  limits: SessionLimits,
): Pick<PoolConfig, 'statement_timeout' | 'idle_in_transaction_session_timeout' | 'options'> => ({
  ...(limits.statementTimeoutMs ? { statement_timeout: limits.statementTimeoutMs } : {}),
  ...(limits.idleInTransactionTimeoutMs
    ? { idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs }
    : {}),
  ...(limits.parallelWorkersPerGather !== undefined
    ? { options: `-c max_parallel_workers_per_gather=${Math.max(0, Math.floor(limits.parallelWorkersPerGather))}` }
    : {}),
});

export class PgSqlClient implements SqlClient {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly pendingWakes = new Set<string>();
  private waking: Promise<void> | undefined;
  private lastWake = 0;

  constructor(private readonly config: PoolConfig) {
    this.pool = new Pool({ max: 10, connectionTimeoutMillis: 5_000, ...config });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** `max` connections at most (the pool's size), each with the session limits given. */
  static fromUrl(connectionString: string, max = 10, limits: SessionLimits = {}): PgSqlClient {
    return new PgSqlClient({ connectionString, max, ...sessionParameters(limits) });
  }

  async query<R>(text: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult<R>> {
    const result = await this.pool.query(statement(text, params, options));
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no listener of the pool's: a connection lost between two statements
    // (a server restart while the work awaits) would be an unhandled 'error' event and end the
    // process. Kept here, it fails the next statement, and the client is destroyed on release.
    const onLost = (error: Error): void => {
      broken = error;
    };
    client.on('error', onLost);
    const committed: Array<() => void> = [];
    try {
      await client.query('BEGIN');
      const tx: Queryable = {
        query: async <R>(text: string, params: readonly unknown[] = [], options: QueryOptions = {}) => {
          const r = await client.query(statement(text, params, options));
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
        afterCommit: (effect) => committed.push(effect),
      };
      const result = await work(tx);
      await client.query('COMMIT');
      runEffects(committed);
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.off('error', onLost);
      client.release(broken);
    }
  }

  async listen(channels: string | readonly string[], onNotify: () => void): Promise<() => Promise<void>> {
    const wanted = new Set(channelList(channels));
    let stopped = false;
    let client: Client | undefined;
    const connect = async (): Promise<void> => {
      if (stopped) return;
      const c = new Client(this.config);
      c.on('error', () => undefined);
      c.on('end', () => {
        if (!stopped) setTimeout(() => void connect().catch(() => undefined), 1_000);
      });
      c.on('notification', (n) => {
        if (wanted.has(n.channel)) onNotify();
      });
      try {
        await c.connect();
        await c.query([...wanted].map((channel) => `LISTEN ${quoteIdent(channel)};`).join(' '));
        client = c;
        // Anything written while we were disconnected is found by the next read.
        onNotify();
      } catch {
        await c.end().catch(() => undefined);
      }
    };
    await connect();
    return async () => {
      stopped = true;
      await client?.end().catch(() => undefined);
    };
  }

  /**
   * NOTIFY from a transaction of its own, after the writers' commits rather than inside them: a
   * transaction that notifies takes a cluster-wide lock before its commit record and keeps it until
   * the commit is flushed, so notifying commits cannot share a flush (PostgreSQL 15,
   * src/backend/commands/async.c, PreCommit_Notify, read 2026-12-04). The first wake-up after a
   * quiet spell goes out at once; those that follow within WAKE_INTERVAL_MS go out together at its
   * end, so a busy writer sends a few dozen a second rather than one per append. The transaction
   * does not wait for its flush: it stores nothing that must survive a crash.
   */
  wake(channels: readonly string[]): void {
    for (const channel of channels) this.pendingWakes.add(channel);
    if (!this.waking) this.waking = this.sendWakes();
  }

  private async sendWakes(): Promise<void> {
    while (this.pendingWakes.size > 0) {
      const wait = this.lastWake + WAKE_INTERVAL_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const channels = [...this.pendingWakes];
      this.pendingWakes.clear();
      this.lastWake = Date.now();
      try {
        await this.pool.query(
          `SELECT set_config('synchronous_commit', 'off', true), pg_notify(c, '') FROM unnest($1::text[]) AS c`,
          [channels],
        );
      } catch {
        // The listeners poll: a lost wake-up delays them by at most their poll interval.
      }
    }
    this.waking = undefined;
  }

  async close(): Promise<void> {
    await this.waking;
    await this.pool.end();
  }
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

const statement = (text: string, params: readonly unknown[], options: QueryOptions): QueryConfig => ({
  text,
  values: params.map(arrayLiteral),
  ...(options.prepare ? { name: options.prepare } : {}),
});

/** An element an array literal may hold bare: no quote, brace, comma, backslash or space, and not NULL. */
const BARE = /^[A-Za-z0-9_.:-]+$/;

/**
 * An array parameter as PostgreSQL's array literal, when every element can be written bare (ids,
 * hex hashes, numbers, booleans, nulls): one string joined at once, where node-postgres quotes and
 * escapes each element into strings of its own (5 % of what a seeker import allocated, sampled
 * over 30,000 rows of bench:import, 2026-12-05). Anything else goes to node-postgres as it is.
 */
export const arrayLiteral = (value: unknown): unknown => {
  if (!Array.isArray(value)) return value;
  let nulls = false;
  for (const item of value) {
    if (item === null) nulls = true;
    else if (typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item))) continue;
    else if (typeof item !== 'string' || !BARE.test(item) || (item.length === 4 && item.toLowerCase() === 'null'))
      return value;
  }
  return `{${nulls ? value.map((item) => (item === null ? 'NULL' : item)).join(',') : value.join(',')}}`;
};
