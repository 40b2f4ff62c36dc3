import { Client, Pool, type PoolConfig } from 'pg';
import type { Queryable, QueryResult, SqlClient } from './sql-client';

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

export class PgSqlClient implements SqlClient {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;

  constructor(private readonly config: PoolConfig) {
    this.pool = new Pool({ max: 10, connectionTimeoutMillis: 5_000, ...config });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  static fromUrl(connectionString: string, max = 10): PgSqlClient {
    return new PgSqlClient({ connectionString, max });
  }

  async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const result = await this.pool.query(text, params as unknown[]);
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
    try {
      await client.query('BEGIN');
      const tx: Queryable = {
        query: async <R>(text: string, params: readonly unknown[] = []) => {
          const r = await client.query(text, params as unknown[]);
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        },
      };
      const result = await work(tx);
      await client.query('COMMIT');
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

  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
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
        if (n.channel === channel) onNotify();
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${quoteIdent(channel)}`);
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

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
