import type { Migration } from '@tashghil/event-store';

export const MESSAGING_MIGRATIONS: readonly Migration[] = [
  {
    id: 'messaging/001-inbox',
    sql: `
CREATE SCHEMA IF NOT EXISTS msg;

-- One row per event a consumer has applied: a redelivery finds its row and changes nothing.
CREATE TABLE IF NOT EXISTS msg.inbox (
  consumer     text        NOT NULL,
  event_id     uuid        NOT NULL,
  topic        text        NOT NULL,
  partition    integer     NOT NULL,
  "offset"     bigint      NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE IF NOT EXISTS msg.consumer_offsets (
  consumer   text        NOT NULL,
  topic      text        NOT NULL,
  partition  integer     NOT NULL,
  "offset"   bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, topic, partition)
);

CREATE TABLE IF NOT EXISTS msg.dead_letters (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer    text        NOT NULL,
  topic       text        NOT NULL,
  partition   integer     NOT NULL,
  "offset"    bigint      NOT NULL,
  message_key text,
  value       text,
  headers     jsonb       NOT NULL,
  reason      text        NOT NULL,
  error       text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  replayed_at timestamptz,
  UNIQUE (consumer, topic, partition, "offset")
);
`,
  },
  {
    id: 'messaging/002-leases-and-inbox-age',
    sql: `
-- One worker among the replicas (lease.ts): who holds each lease, under which fencing token, until when.
CREATE TABLE IF NOT EXISTS msg.leases (
  name        text        PRIMARY KEY,
  holder      text        NOT NULL,
  token       bigint      NOT NULL,
  acquired_at timestamptz NOT NULL,
  renewed_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);

-- The inbox is pruned per consumer, oldest first (inbox-pruner.ts).
CREATE INDEX IF NOT EXISTS inbox_by_age ON msg.inbox (consumer, processed_at);
`,
  },
];
