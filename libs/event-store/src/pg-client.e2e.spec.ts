import { arrayLiteral, PgSqlClient } from './pg-client';
import { sleep } from './subscription';
import { openServerDatabase, type TestDatabase } from './test-backends';

describe('session limits of a server pool', () => {
  let database: TestDatabase;
  let limited: PgSqlClient;

  beforeAll(async () => {
    database = await openServerDatabase();
    limited = PgSqlClient.fromUrl(database.url ?? '', 2, {
      statementTimeoutMs: 700,
      idleInTransactionTimeoutMs: 300,
      parallelWorkersPerGather: 0,
    });
  });
  afterAll(async () => {
    await limited.close();
    await database.dispose();
  });

  it('plans without parallel workers when told, where the server would start two', async () => {
    const setting = async (db: { query: PgSqlClient['query'] }) =>
      (await db.query<{ workers: string }>(`SELECT current_setting('max_parallel_workers_per_gather') AS workers`))
        .rows[0]?.workers;
    expect(await setting(limited)).toBe('0');
    expect(await setting(database.db)).toBe('2');
  });

  it('has the server end a transaction left idle past the timeout, releasing what it held', async () => {
    let pid = 0;
    let xid = '';
    const held = limited.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number; xid: string }>(
        `SELECT pg_backend_pid() AS pid, pg_current_xact_id()::text AS xid`,
      );
      pid = rows[0]?.pid ?? 0;
      xid = rows[0]?.xid ?? '';
      // Blocked as a process doing CPU work or a slow call inside its transaction would be.
      await sleep(1_500);
      await tx.query('SELECT 1');
    });
    await expect(held).rejects.toThrow();
    expect(pid).toBeGreaterThan(0);
    const { rows } = await database.db.query<{ sessions: string; status: string }>(
      `SELECT (SELECT count(*) FROM pg_stat_activity WHERE pid = $1)::text AS sessions, pg_xact_status($2::xid8) AS status`,
      [pid, xid],
    );
    // Its session is gone and its transaction no longer holds the snapshot horizon.
    expect(rows[0]).toEqual({ sessions: '0', status: 'aborted' });
    // The pool goes on with a new connection.
    const { rows: after } = await limited.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
    expect(after[0]?.pid).not.toBe(pid);
  });

  it('has the server cancel a statement running past the timeout, and applies the limits to every session', async () => {
    await expect(limited.query(`SELECT pg_sleep(3)`)).rejects.toMatchObject({ code: '57014' });
    const { rows } = await limited.query<{ statement: string; idle: string }>(
      `SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle`,
    );
    expect(rows[0]).toEqual({ statement: '700ms', idle: '300ms' });
    const { rows: unlimited } = await database.db.query<{ statement: string }>(
      `SELECT current_setting('statement_timeout') AS statement`,
    );
    expect(unlimited[0]?.statement).toBe('0');
  });
});

describe('array parameters on the server', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openServerDatabase();
  });
  afterAll(async () => {
    await database.dispose();
  });

  it('arrive as they were sent, written as one literal or left to node-postgres', async () => {
    const arrays: unknown[][] = [
      ['matching.seeker-s1', 'conventions.convention-MA-09', 'a_b:c'],
      ['NULL', 'null', 'Null'],
      ['', ' ', 'a b', 'a,b', '{x}', 'quote"d', 'back\\slash', 'élan'],
      ['x', null, 'y'],
      [],
    ];
    for (const values of arrays) {
      const { rows } = await database.db.query<{ v: Array<string | null> }>('SELECT $1::text[] AS v', [values]);
      expect(rows[0]?.v).toEqual(values);
    }
    const numbers = [0, -1, 42, 9_007_199_254_740_991];
    const { rows } = await database.db.query<{ v: string[] }>('SELECT $1::bigint[]::text[] AS v', [numbers]);
    expect(rows[0]?.v).toEqual(numbers.map(String));
    const flags = await database.db.query<{ v: boolean[] }>('SELECT $1::boolean[] AS v', [[true, false]]);
    expect(flags.rows[0]?.v).toEqual([true, false]);
    // Ids, hashes and numbers go as one literal; anything that would need quoting goes as it came.
    expect(arrayLiteral(['a-1', 'b.2', null, 3])).toBe('{a-1,b.2,NULL,3}');
    expect(arrayLiteral(['null'])).toEqual(['null']);
    expect(arrayLiteral(['a b'])).toEqual(['a b']);
    expect(arrayLiteral('text')).toBe('text');
  });
});
