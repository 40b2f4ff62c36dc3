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
];
