/**
 * Append throughput of the event store on the PostgreSQL server, each case set against a raw
 * INSERT of the same rows into a bare table, measured in the same run. See bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Client, Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  EVENT_STORE_MIGRATIONS,
  EventStore,
  migrate,
  PgSqlClient,
  SubjectKeyring,
  type NewEvent,
} from '@tashghil/event-store';

const DEFAULT_URL = 'postgres://tashghil:tashghil@127.0.0.1:5432/tashghil';
const WRITERS = 8;
const BATCH = 100;
const STREAM_LENGTH = 10;
const WARMUP_OPS = 200;
const WARMUP_BATCHES = 10;
const TYPE = 'BenchItemRecorded';
const BULK_LABEL = 'COPY FROM STDIN';

// The store's columns minus the two it fills by itself (identity global_position is supplied here,
// tx_id keeps the same default). No keys, indexes, constraints or triggers.
const RAW_TABLE = `
  CREATE SCHEMA bench;
  CREATE TABLE bench.raw_events (
    global_position bigint, stream_id text, category text, stream_position bigint, event_id uuid,
    type text, schema_version integer, data jsonb, metadata jsonb, recorded_at timestamptz,
    tx_id xid8 DEFAULT pg_current_xact_id(), prev_hash bytea, hash bytea
  )`;
const COLS =
  'global_position, stream_id, category, stream_position, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash';
const NCOLS = 12;
const UNNEST_TYPES = [
  'bigint',
  'text',
  'text',
  'bigint',
  'uuid',
  'text',
  'int',
  'jsonb',
  'jsonb',
  'timestamptz',
  'bytea',
  'bytea',
];

type Op = (writer: number, i: number) => Promise<unknown>;
interface Run {
  readonly seconds: number;
  readonly latencies: number[];
}
interface Result {
  readonly name: string;
  readonly events: number;
  readonly seconds: number;
  readonly baseline?: string;
  readonly latencies?: number[];
}

const scale = (): number => {
  const s = Number(process.env.BENCH_SCALE ?? '1');
  if (!Number.isFinite(s) || s <= 0)
    throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`);
  return s;
};

const payload = (n: number): { data: Record<string, unknown>; metadata: Record<string, unknown> } => ({
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

const newEvent = (n: number): NewEvent => ({ eventId: randomUUID(), type: TYPE, ...payload(n) });

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
const INSERT_ONE = `INSERT INTO bench.raw_events (${COLS}) VALUES ${placeholders(1)}`;
const INSERT_BATCH = `INSERT INTO bench.raw_events (${COLS}) VALUES ${placeholders(BATCH)}`;
const INSERT_UNNEST = `INSERT INTO bench.raw_events (${COLS}) SELECT * FROM unnest(${UNNEST_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;

/** One value in COPY's text format: backslash escapes, \N for null, bytea as hex. */
const copyText = (v: unknown): string => {
  if (v === null || v === undefined) return '\\N';
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
};

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;

/** `writers` concurrent loops, each awaiting `perWriter` operations in turn. */
const drive = async (writers: number, perWriter: number, op: Op): Promise<Run> => {
  const latencies: number[] = [];
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter; i += 1) {
        const s = process.hrtime.bigint();
        await op(w, i);
        latencies.push(seconds(s) * 1000);
      }
    }),
  );
  return { seconds: seconds(t0), latencies };
};

/** Warm up on other streams, checkpoint so no case starts with another's dirty pages, then time. */
const measure = async (
  admin: Pool,
  warmOps: number,
  writers: number,
  perWriter: number,
  makeOp: (tag: string) => Op,
): Promise<Run> => {
  if (warmOps > 0) await drive(writers, Math.max(1, Math.ceil(warmOps / writers)), makeOp('warm'));
  await admin.query('CHECKPOINT');
  return drive(writers, perWriter, makeOp('timed'));
};

// Each writer its own streams: a new one every STREAM_LENGTH events, exact expected versions.
const singleStoreOp =
  (store: EventStore, name: string) =>
  (tag: string): Op =>
  (w, i) => {
    const pos = i % STREAM_LENGTH;
    return store.append(
      `bench.item-${name}${tag}-w${w}-s${Math.floor(i / STREAM_LENGTH)}`,
      [newEvent(i)],
      pos === 0 ? 'no_stream' : pos - 1,
    );
  };
const singleRawOp =
  (pool: Pool, name: string) =>
  (tag: string): Op =>
  (w, i) =>
    pool.query(
      INSERT_ONE,
      rawRow(`bench.raw-${name}${tag}-w${w}-s${Math.floor(i / STREAM_LENGTH)}`, i % STREAM_LENGTH),
    );

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;

const describe = (error: unknown): string => {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.message || error.name}${typeof code === 'string' ? ` (${code})` : ''}`;
  }
  return String(error);
};

const connectAdmin = async (url: string): Promise<Client> => {
  const attempt = async (): Promise<Client> => {
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    await c.connect();
    return c;
  };
  try {
    return await attempt();
  } catch (error) {
    // Only the default local server is ours to start; a DATABASE_URL elsewhere must be running.
    if (process.env.DATABASE_URL) throw error;
    console.error(`PostgreSQL not reachable (${describe(error)}); running infra/postgres/start.sh`);
    const started = spawnSync('bash', ['infra/postgres/start.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (started.status !== 0)
      throw new Error(`infra/postgres/start.sh exited with ${started.status ?? started.signal}`);
    return attempt();
  }
};

const printTable = (results: readonly Result[], bulk: Result): void => {
  const rate = (r: Result): number => r.events / r.seconds;
  const byName = new Map(results.map((r) => [r.name, r]));
  const rows = results.map((r) => {
    const base = r.baseline ? byName.get(r.baseline) : undefined;
    return [
      r.name,
      String(r.events),
      r.seconds.toFixed(3),
      Math.round(rate(r)).toString(),
      (rate(r) / rate(bulk)).toFixed(3),
      base ? (rate(r) / rate(base)).toFixed(3) : '-',
    ];
  });
  const header = ['case', 'events', 'seconds', 'events/s', 'ratio to COPY*', 'ratio to raw INSERT'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((v, c) => (c === 0 ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log(`* the denominator is ${BULK_LABEL} of the same rows into the bare table.`);
  console.log('  "ratio to raw INSERT" pairs each store case with the bare-table baseline of the same shape.');
  console.log('\nlatency per append (ms)');
  for (const r of results.filter((x) => x.latencies)) {
    const sorted = [...(r.latencies ?? [])].sort((a, b) => a - b);
    console.log(`  ${r.name}: p50 ${percentile(sorted, 0.5).toFixed(2)}  p99 ${percentile(sorted, 0.99).toFixed(2)}`);
  }
};

const main = async (): Promise<void> => {
  const started = process.hrtime.bigint();
  const k = scale();
  const singles = Math.round(5_000 * k);
  const perWriter = Math.round(1_000 * k);
  const batches = Math.round(200 * k);
  const bulkRows = batches * BATCH;
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_URL;
  const admin = await connectAdmin(serverUrl);
  const dbName = `tashghil_bench_${randomBytes(5).toString('hex')}`;
  let db: PgSqlClient | undefined;
  let pool: Pool | undefined;
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    db = PgSqlClient.fromUrl(url.toString(), 10);
    pool = new Pool({ connectionString: url.toString(), max: 10 });
    pool.on('error', () => undefined);
    await migrate(db, EVENT_STORE_MIGRATIONS);
    await pool.query(RAW_TABLE);
    const store = new EventStore(db, { keyring: new SubjectKeyring('bench-key') });
    const raw = pool;
    const results: Result[] = [];
    const record = (name: string, events: number, run: Run, baseline?: string, keepLatency = false): void => {
      results.push({
        name,
        events,
        seconds: run.seconds,
        ...(baseline ? { baseline } : {}),
        ...(keepLatency ? { latencies: run.latencies } : {}),
      });
      console.error(`  ${name}: ${Math.round(events / run.seconds)} events/s`);
    };

    // Each store case runs right next to its baseline so drift in machine load hits both alike.
    const names = {
      one: '1. store, single, 1 writer',
      eight: `2. store, single, ${WRITERS} writers`,
      batch: `3. store, ${BATCH}-event batches`,
      rawOne: '4a. raw INSERT, 1 writer',
      rawEight: `4b. raw INSERT, ${WRITERS} writers`,
      rawBatch: `4c. raw ${BATCH}-row INSERT`,
    };
    console.error(`bench:store on ${dbName} (BENCH_SCALE=${k})`);
    record(
      names.one,
      singles,
      await measure(raw, WARMUP_OPS, 1, singles, singleStoreOp(store, 'c1')),
      names.rawOne,
      true,
    );
    record(names.rawOne, singles, await measure(raw, WARMUP_OPS, 1, singles, singleRawOp(raw, 'c1')));
    record(
      names.eight,
      WRITERS * perWriter,
      await measure(raw, WARMUP_OPS, WRITERS, perWriter, singleStoreOp(store, 'c2')),
      names.rawEight,
      true,
    );
    record(
      names.rawEight,
      WRITERS * perWriter,
      await measure(raw, WARMUP_OPS, WRITERS, perWriter, singleRawOp(raw, 'c2')),
    );
    record(
      names.batch,
      bulkRows,
      await measure(
        raw,
        WARMUP_BATCHES,
        1,
        batches,
        (tag) => (_w, i) =>
          store.append(
            `bench.item-c3${tag}-b${i}`,
            Array.from({ length: BATCH }, (_, n) => newEvent(n)),
            'no_stream',
          ),
      ),
      names.rawBatch,
    );
    record(
      names.rawBatch,
      bulkRows,
      await measure(
        raw,
        WARMUP_BATCHES,
        1,
        batches,
        (tag) => (_w, i) =>
          raw.query(
            INSERT_BATCH,
            Array.from({ length: BATCH }, (_, n) => rawRow(`bench.raw-c3${tag}-b${i}`, n)).flat(),
          ),
      ),
    );
    // One statement of all rows, built inside the timing as a COPY would stream them.
    const bulkOp =
      (rows: number) =>
      (tag: string): Op =>
      () => {
        const columns: unknown[][] = Array.from({ length: NCOLS }, () => []);
        for (let n = 0; n < rows; n += 1) {
          rawRow(`bench.raw-c4${tag}-s${Math.floor(n / STREAM_LENGTH)}`, n % STREAM_LENGTH).forEach((v, c) =>
            columns[c]?.push(v),
          );
        }
        return raw.query(INSERT_UNNEST, columns);
      };
    // COPY in text format; the rows are made inside the timing, as for every other case.
    const copyOp =
      (rows: number) =>
      (tag: string): Op =>
      async () => {
        const client = await raw.connect();
        try {
          const lines = function* (): Generator<string> {
            for (let n = 0; n < rows; n += 1)
              yield `${rawRow(`bench.raw-c5${tag}-s${Math.floor(n / STREAM_LENGTH)}`, n % STREAM_LENGTH)
                .map(copyText)
                .join('\t')}\n`;
          };
          await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY bench.raw_events (${COLS}) FROM STDIN`)));
        } finally {
          client.release();
        }
      };
    await drive(1, 1, copyOp(1_000)('warm'));
    record(`4d. ${BULK_LABEL}`, bulkRows, await measure(raw, 0, 1, 1, (tag) => copyOp(bulkRows)(tag)));
    const bulk = results[results.length - 1];
    if (!bulk) throw new Error('no bulk result');
    await drive(1, 1, bulkOp(1_000)('warm'));
    record(
      '4e. one INSERT … SELECT FROM unnest',
      bulkRows,
      await measure(raw, 0, 1, 1, (tag) => bulkOp(bulkRows)(tag)),
    );

    console.log(`\nbench:store  ${new Date().toISOString()}  BENCH_SCALE=${k}\n`);
    printTable(results, bulk);
    const setting = async (name: string): Promise<string> =>
      (await raw.query<Record<string, string>>(`SHOW ${name}`)).rows[0]?.[name] ?? '?';
    console.log('\nmachine');
    console.log(`  nproc ${availableParallelism()}  cpu ${cpus()[0]?.model ?? '?'}  node ${process.version}`);
    console.log(
      `  PostgreSQL ${await setting('server_version')}  synchronous_commit=${await setting('synchronous_commit')}  fsync=${await setting('fsync')}`,
    );
    console.log(`  run took ${seconds(started).toFixed(1)} s`);
  } finally {
    await db?.close();
    await pool?.end();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    } catch (error) {
      console.error(`could not drop ${dbName}: ${describe(error)}`);
    }
    await admin.end();
  }
};

main().catch((error: unknown) => {
  console.error(`bench:store failed: ${describe(error)}`);
  process.exitCode = 1;
});
