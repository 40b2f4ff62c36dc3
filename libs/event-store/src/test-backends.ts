/**
 * Databases for the contract suites: PGlite in every run, the PostgreSQL server in the integration
 * run. Lives here rather than in libs/testing so the store's own suite can use it without a cycle.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { EventStore, type EventStoreOptions } from './event-store';
import { EVENT_STORE_MIGRATIONS, migrate, type Migration } from './migrations';
import { SubjectKeyring } from './personal-data';
import { PgSqlClient } from './pg-client';
import { PgliteSqlClient } from './pglite-client';
import type { Queryable, SqlClient } from './sql-client';
import { sleep } from './subscription';

export interface TestDatabase {
  readonly backend: string;
  readonly db: SqlClient;
  /** Set for the server backend: the URL of this test's own database, for child processes. */
  readonly url?: string;
  dispose(): Promise<void>;
}

export interface Backend {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<TestDatabase>;
}

const serverUrl = (): string => process.env.TEST_DATABASE_URL ?? 'postgres://tashghil:tashghil@127.0.0.1:5432/tashghil';

/** A fresh database on the server for each suite, so suites never see each other's rows. */
/** `options` ends the CREATE DATABASE statement: a template, a locale. */
export const openServerDatabase = async (options = ''): Promise<TestDatabase> => {
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  const name = `tashghil_test_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name} ${options}`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const db = PgSqlClient.fromUrl(url.toString(), 24);
  return {
    backend: 'postgres',
    db,
    url: url.toString(),
    dispose: async () => {
      await db.close();
      const c = new Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
};

export const openPgliteDatabase = async (): Promise<TestDatabase> => {
  const db = await PgliteSqlClient.open();
  return { backend: 'pglite', db, dispose: () => db.close() };
};

const ALL: readonly Backend[] = [
  { name: 'pglite', open: openPgliteDatabase },
  { name: 'postgres', open: () => openServerDatabase() },
];

/**
 * The backends this run covers: PGlite always; the PostgreSQL server in the integration run
 * (TASHGHIL_TEST_BACKENDS=pglite,postgres, set by its global setup).
 */
export const testBackends = (): readonly Backend[] => {
  const wanted = (process.env.TASHGHIL_TEST_BACKENDS ?? 'pglite').split(',').map((s) => s.trim());
  return ALL.filter((b) => wanted.includes(b.name));
};

export const TEST_MASTER_KEY = 'test-master-key-not-for-production';

export const openStore = async (
  database: TestDatabase,
  migrations: readonly Migration[] = [],
  options: Partial<EventStoreOptions> = {},
): Promise<EventStore> => {
  await migrate(database.db, [...EVENT_STORE_MIGRATIONS, ...migrations]);
  return new EventStore(database.db, { keyring: new SubjectKeyring(TEST_MASTER_KEY), ...options });
};

/**
 * Waits until every committed event is below the snapshot horizon, so that a commit-safe read
 * (`readAll`) sees it. Transaction ids are the cluster's, not the database's: on a server shared
 * with other suites, one that holds a transaction open (the late-commit test, say) keeps this
 * database's newest events above the horizon until it ends.
 */
export const settledHorizon = async (db: Queryable, timeoutMs = 30_000): Promise<void> => {
  const started = Date.now();
  for (;;) {
    const { rows } = await db.query<{ settled: boolean }>(
      `SELECT coalesce((SELECT max(tx_id) FROM es.events) < pg_snapshot_xmin(pg_current_snapshot()), true) AS settled`,
    );
    if (rows[0]?.settled) return;
    if (Date.now() - started > timeoutMs)
      throw new Error(`the snapshot horizon did not pass the last commit within ${timeoutMs} ms`);
    await sleep(20);
  }
};
