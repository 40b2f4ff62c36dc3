import type { Migration } from '@tashghil/event-store';

export const REPORTING_MIGRATIONS: readonly Migration[] = [
  {
    id: 'reporting/001-conventions-by-region',
    sql: `
CREATE SCHEMA IF NOT EXISTS reporting;
CREATE TABLE IF NOT EXISTS reporting.conventions_by_region (
  convention_id text        PRIMARY KEY,
  region        text        NOT NULL,
  title         text        NOT NULL,
  period_start  date        NOT NULL,
  period_end    date        NOT NULL,
  status        text        NOT NULL,
  drafted_at    timestamptz NOT NULL,
  drafted_by    text        NOT NULL,
  last_event_id uuid        NOT NULL
);
CREATE INDEX IF NOT EXISTS conventions_by_region_region ON reporting.conventions_by_region (region);
`,
  },
  {
    // The read model lives in generations, one schema each (reporting_g1, reporting_g2, …); exactly
    // one is active. The first table is now part of every generation.
    id: 'reporting/002-generations',
    sql: `
DROP TABLE IF EXISTS reporting.conventions_by_region;
CREATE TABLE IF NOT EXISTS reporting.generations (
  id           serial      PRIMARY KEY,
  schema_name  text        NOT NULL UNIQUE,
  layout       integer     NOT NULL,
  state        text        NOT NULL CHECK (state IN ('building', 'active', 'retired')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS generations_one_active ON reporting.generations ((true)) WHERE state = 'active';
`,
  },
  {
    // One build at a time across replicas: a leased row whose token goes up at each change of holder
    // and fences out a stalled one; each generation records the token of the build that made it. A
    // manual rebuild is a job any replica can report on.
    id: 'reporting/003-build-lease',
    sql: `
CREATE TABLE IF NOT EXISTS reporting.build_lease (
  id         boolean     PRIMARY KEY DEFAULT true CHECK (id),
  holder     text        NOT NULL,
  token      bigint      NOT NULL,
  expires_at timestamptz NOT NULL
);
ALTER TABLE reporting.generations ADD COLUMN IF NOT EXISTS build_token bigint;
CREATE TABLE IF NOT EXISTS reporting.rebuild_jobs (
  id           uuid        PRIMARY KEY,
  requested_by text        NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  holder       text        NOT NULL,
  token        bigint      NOT NULL,
  state        text        NOT NULL CHECK (state IN ('running', 'done', 'failed')),
  done         bigint      NOT NULL DEFAULT 0,
  total        bigint      NOT NULL DEFAULT 0,
  result       jsonb,
  error        text,
  finished_at  timestamptz
);
`,
  },
];
