import { APPEND_FUNCTION_SQL } from './append-function';
import { APPEND_KNOWN_FUNCTION_SQL } from './append-known-function';
import type { Queryable, SqlClient } from './sql-client';

export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/**
 * Applies each migration once, in order, recording it in `public.tashghil_migrations`. An advisory
 * lock keeps two services starting together from racing, and every statement is written so that
 * running it again does no harm even without the record. With nothing left to apply it needs no
 * privilege beyond reading the record, so a service's restricted role starts on a migrated database.
 */
export const migrate = async (db: SqlClient, migrations: readonly Migration[]): Promise<string[]> => {
  let current = '';
  try {
    return await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(872341)`);
      const { rows } = await tx.query<{ found: boolean }>(
        `SELECT to_regclass('public.tashghil_migrations') IS NOT NULL AS found`,
      );
      if (!rows[0]?.found) {
        current = 'the migrations table';
        await tx.query(
          `CREATE TABLE IF NOT EXISTS public.tashghil_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
        );
      }
      const applied: string[] = [];
      for (const m of migrations) {
        current = `the record of ${m.id}`;
        if (await isApplied(tx, m.id)) continue;
        current = m.id;
        await tx.query(m.sql);
        await tx.query(`INSERT INTO public.tashghil_migrations (id) VALUES ($1) ON CONFLICT DO NOTHING`, [m.id]);
        applied.push(m.id);
      }
      return applied;
    });
  } catch (error) {
    if ((error as { code?: unknown }).code !== '42501') throw error;
    throw new Error(
      `this database role may not apply ${current} (${(error as Error).message}): run the migrations as the schema owner, e.g. set DATABASE_MIGRATION_URL to the owner's URL`,
      { cause: error },
    );
  }
};

const isApplied = async (tx: Queryable, id: string): Promise<boolean> =>
  (await tx.query(`SELECT 1 FROM public.tashghil_migrations WHERE id = $1`, [id])).rows.length > 0;

export const EVENT_STORE_MIGRATIONS: readonly Migration[] = [
  {
    id: 'event-store/001-events',
    sql: `
CREATE SCHEMA IF NOT EXISTS es;

CREATE TABLE IF NOT EXISTS es.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_id       text        NOT NULL,
  category        text        NOT NULL,
  stream_position bigint      NOT NULL,
  event_id        uuid        NOT NULL,
  type            text        NOT NULL,
  schema_version  integer     NOT NULL DEFAULT 1,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  recorded_at     timestamptz NOT NULL,
  tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
  prev_hash       bytea,
  hash            bytea       NOT NULL,
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_position_key UNIQUE (stream_id, stream_position)
);
CREATE INDEX IF NOT EXISTS events_commit_order ON es.events (tx_id, global_position);
CREATE INDEX IF NOT EXISTS events_category_commit_order ON es.events (category, tx_id, global_position);

-- One row per stream: its head, locked by each append to that stream only, so writers to
-- different streams never wait on each other.
CREATE TABLE IF NOT EXISTS es.streams (
  stream_id  text        PRIMARY KEY,
  category   text        NOT NULL,
  version    bigint      NOT NULL,
  last_hash  bytea       NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS es.subject_keys (
  subject_id  text        PRIMARY KEY,
  wrapped_key bytea,
  created_at  timestamptz NOT NULL DEFAULT now(),
  erased_at   timestamptz
);

CREATE TABLE IF NOT EXISTS es.checkpoints (
  name       text        PRIMARY KEY,
  tx_id      xid8        NOT NULL,
  position   bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION es.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'es.events is append-only: % rejected', TG_OP USING ERRCODE = 'raise_exception';
END
$$;
CREATE OR REPLACE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON es.events
  FOR EACH ROW EXECUTE FUNCTION es.reject_change();
CREATE OR REPLACE TRIGGER events_no_truncate BEFORE TRUNCATE ON es.events
  FOR EACH STATEMENT EXECUTE FUNCTION es.reject_change();
`,
  },
  { id: 'event-store/002-append-function', sql: APPEND_FUNCTION_SQL },
  { id: 'event-store/003-append-known', sql: APPEND_KNOWN_FUNCTION_SQL },
  // es.append_known claims new heads by a plain INSERT since 2026-12-07; a database migrated before gets it here.
  { id: 'event-store/004-append-known-plain-claims', sql: APPEND_KNOWN_FUNCTION_SQL },
];
