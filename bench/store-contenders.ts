/**
 * What bench:store sets against each other: Tashghil's store, Emmett's PostgreSQL event store and
 * raw writes into a bare table, each given the same payloads and the same expected-version pattern.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EventStore, NewEvent } from '@tashghil/event-store';

export type Op = (writer: number, i: number) => Promise<unknown>;
/** Makes the operations of one timed slice; `tag` keeps each slice on streams of its own. */
export type MakeOp = (tag: string) => Op;

export const TYPE = 'BenchItemRecorded';
/** Single appends start a new stream every this many events. */
export const STREAM_LENGTH = 10;

export const payload = (n: number): { data: Record<string, unknown>; metadata: Record<string, unknown> } => ({
  data: {
    itemId: `item-${n}`,
    title: `Bench item number ${n}`,
    quantity: n % 97,
    region: 'Souss-Massa',
    tags: ['bench', 'store'],
    note: 'x'.repeat(60),
  },
  metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'bench' },
});

export const newEvent = (n: number): NewEvent => ({ eventId: randomUUID(), type: TYPE, ...payload(n) });

// The store's columns minus the two it fills by itself (identity global_position is supplied here,
// tx_id keeps the same default). No keys, indexes, constraints or triggers.
export const RAW_TABLE = `
  CREATE SCHEMA bench;
  CREATE TABLE bench.raw_events (
    global_position bigint, stream_id text, category text, stream_position bigint, event_id uuid,
    type text, schema_version integer, data jsonb, metadata jsonb, recorded_at timestamptz,
    tx_id xid8 DEFAULT pg_current_xact_id(), prev_hash bytea, hash bytea
  )`;
/**
 * es.events' twin for COPY: its columns, defaults, keys and indexes (the identity aside, so that COPY
 * supplies the global position as it does for the bare table), made once the store is migrated.
 */
export const TWIN_TABLE = `CREATE TABLE bench.twin_events (LIKE es.events INCLUDING DEFAULTS INCLUDING INDEXES)`;
const COLS =
  'global_position, stream_id, category, stream_position, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash';
const NCOLS = 12;

let rawSeq = 0;
const rawRow = (streamId: string, position: number): unknown[] => {
  const { data, metadata } = payload(position);
  rawSeq += 1;
  return [
    rawSeq,
    streamId,
    'bench.raw',
    position,
    randomUUID(),
    TYPE,
    1,
    JSON.stringify(data),
    JSON.stringify(metadata),
    new Date().toISOString(),
    randomBytes(32),
    randomBytes(32),
  ];
};

const placeholders = (rows: number): string =>
  Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: NCOLS }, (_, c) => `$${r * NCOLS + c + 1}`).join(', ')})`,
  ).join(', ');
const insertRows = (rows: number): string => `INSERT INTO bench.raw_events (${COLS}) VALUES ${placeholders(rows)}`;

/** One value in COPY's text format: backslash escapes, \N for null, bytea as hex. */
const copyText = (v: unknown): string => {
  if (v === null || v === undefined) return '\\N';
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
};

const singleStream = (name: string, tag: string, w: number, i: number): string =>
  `bench.item-${name}${tag}-w${w}-s${Math.floor(i / STREAM_LENGTH)}`;

/** One event per call, each writer on its own streams, with the exact expected version. */
export const single = {
  tashghil:
    (store: EventStore, name: string): MakeOp =>
    (tag) =>
    (w, i) => {
      const pos = i % STREAM_LENGTH;
      return store.append(singleStream(name, tag, w, i), [newEvent(i)], pos === 0 ? 'no_stream' : pos - 1);
    },
  // Emmett numbers a stream's events from 1: version 0 is "no stream", n is "n events".
  emmett:
    (store: PostgresEventStore, name: string): MakeOp =>
    (tag) =>
    (w, i) =>
      store.appendToStream(singleStream(name, tag, w, i), [{ type: TYPE, ...payload(i) }], {
        expectedStreamVersion: BigInt(i % STREAM_LENGTH),
      }),
  raw:
    (pool: Pool, name: string): MakeOp =>
    (tag) =>
    (w, i) =>
      pool.query(insertRows(1), rawRow(singleStream(name, tag, w, i), i % STREAM_LENGTH)),
};

/** `size` events per call into a new stream. */
export const batch = {
  tashghil:
    (store: EventStore, size: number): MakeOp =>
    (tag) =>
    (_w, i) =>
      store.append(
        `bench.item-b${tag}-${i}`,
        Array.from({ length: size }, (_, n) => newEvent(n)),
        'no_stream',
      ),
  emmett:
    (store: PostgresEventStore, size: number): MakeOp =>
    (tag) =>
    (_w, i) =>
      store.appendToStream(
        `bench.item-e${tag}-${i}`,
        Array.from({ length: size }, (_, n) => ({ type: TYPE, ...payload(n) })),
        { expectedStreamVersion: 0n },
      ),
  raw:
    (pool: Pool, size: number): MakeOp =>
    (tag) =>
    (_w, i) =>
      pool.query(insertRows(size), Array.from({ length: size }, (_, n) => rawRow(`bench.raw-b${tag}-${i}`, n)).flat()),
};

/**
 * Rows a chunk of the COPY contenders. Until 2026-12-07 each row was a chunk of its own, which the
 * driver sent as a message of its own: 1,000 rows then took 28-30 ms a call, 18.1 ms of them the
 * server's CPU, against 16.2 ms and 9.2 ms in chunks of 100 rows and 22.7 ms and 8.5 ms in one chunk
 * (one connection, 60 calls of each alternating, server CPU from the backend's schedstat). Chunks of
 * 100 let the server store rows while the next are made: the fastest of the three, so the baseline.
 */
const COPY_ROWS = 100;

/** `streams` new streams of one event each in one atomic call: the CSV import's shape. */
export const manyStreams = {
  tashghil:
    (store: EventStore, streams: number): MakeOp =>
    (tag) =>
    (_w, i) =>
      store.appendMany(
        Array.from({ length: streams }, (_, s) => ({
          streamId: `bench.item-m${tag}-${i}-${s}`,
          events: [newEvent(s)],
          expected: 'no_stream' as const,
        })),
      ),
  /**
   * COPY in text format into `table` (bench.raw_events or bench.twin_events), COPY_ROWS rows a
   * chunk; the rows are made inside the timing, as in every other case.
   */
  copy:
    (pool: Pool, streams: number, table: string): MakeOp =>
    (tag) =>
    async (_w, i) => {
      const client = await pool.connect();
      try {
        const lines = function* (): Generator<string> {
          let chunk = '';
          for (let s = 0; s < streams; s += 1) {
            chunk += `${rawRow(`${table}-m${tag}-${i}-${s}`, 0).map(copyText).join('\t')}\n`;
            if ((s + 1) % COPY_ROWS === 0 || s + 1 === streams) {
              yield chunk;
              chunk = '';
            }
          }
        };
        await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY ${table} (${COLS}) FROM STDIN`)));
      } finally {
        client.release();
      }
    },
};
