/**
 * Append throughput of the event store on the PostgreSQL server, against Emmett's PostgreSQL event
 * store and raw writes into a bare table, all in the same run, the contenders of each case taking
 * turns. See bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { Client, Pool } from 'pg';
import {
  contextChannel,
  EVENT_STORE_MIGRATIONS,
  EVENTS_CHANNEL,
  EventStore,
  migrate,
  PgSqlClient,
  SubjectKeyring,
} from '@tashghil/event-store';
import { batch, manyStreams, RAW_TABLE, single, TWIN_TABLE, type MakeOp, type Op } from './store-contenders';

const DEFAULT_URL = 'postgres://tashghil:tashghil@127.0.0.1:5432/tashghil';
const WRITERS = 8;
const BATCH = 100;
const STREAMS = 1_000;

interface Contender {
  readonly name: string;
  readonly make: MakeOp;
}
interface Case {
  readonly title: string;
  readonly writers: number;
  /** Operations per writer in each round. */
  readonly perRound: number;
  readonly eventsPerOp: number;
  readonly warmOps: number;
  readonly contenders: readonly Contender[];
}
interface Tally {
  events: number;
  seconds: number;
  readonly latencies: number[];
  wakes: number;
}
/**
 * A figure set against its baseline in the same case. The targets are issue 14's, part 5 ("The
 * append in one round trip, faster than Emmett"), as read on 2026-12-04.
 */
interface Target {
  readonly title: string;
  readonly of: string;
  readonly over: string;
  readonly min: number;
}

const scale = (): number => {
  const s = Number(process.env.BENCH_SCALE ?? '1');
  if (!Number.isFinite(s) || s <= 0)
    throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`);
  return s;
};
const rounds = (): number => Math.max(1, Math.round(Number(process.env.BENCH_ROUNDS ?? '8')));

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;

/** `writers` concurrent loops, each awaiting `perWriter` operations in turn. */
const drive = async (writers: number, perWriter: number, op: Op, latencies?: number[]): Promise<number> => {
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter; i += 1) {
        const s = process.hrtime.bigint();
        await op(w, i);
        latencies?.push(seconds(s) * 1000);
      }
    }),
  );
  return seconds(t0);
};

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

const table = (header: readonly string[], rows: readonly (readonly string[])[]): void => {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((v, c) => (c < 2 ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
};

const main = async (): Promise<void> => {
  const started = process.hrtime.bigint();
  const k = scale();
  const n = rounds();
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_URL;
  const admin = await connectAdmin(serverUrl);
  const dbName = `tashghil_bench_${randomBytes(5).toString('hex')}`;
  let db: PgSqlClient | undefined;
  let pool: Pool | undefined;
  let emmett: PostgresEventStore | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    db = PgSqlClient.fromUrl(url.toString(), 10);
    pool = new Pool({ connectionString: url.toString(), max: 10 });
    pool.on('error', () => undefined);
    await migrate(db, EVENT_STORE_MIGRATIONS);
    await pool.query(RAW_TABLE);
    await pool.query(TWIN_TABLE);
    emmett = getPostgreSQLEventStore(url.toString());
    await emmett.schema.migrate();
    const keyring = new SubjectKeyring('bench-key');
    const store = new EventStore(db, { keyring });
    const notifying = new EventStore(db, { keyring, wake: 'in-transaction' });
    // A subscriber of the bench's context, as a relay would be: it counts the wake-ups it gets.
    let wakes = 0;
    unlisten = await db.listen([EVENTS_CHANNEL, contextChannel('bench')], () => {
      wakes += 1;
    });
    const raw = pool;
    const emt = emmett;
    const per = (total: number, writers: number): number => Math.max(1, Math.round((total * k) / n / writers));

    const cases: Case[] = [
      {
        title: 'single appends, 1 writer',
        writers: 1,
        perRound: per(4_000, 1),
        eventsPerOp: 1,
        warmOps: 1_000,
        contenders: [
          { name: 'Tashghil', make: single.tashghil(store, 'a') },
          { name: 'Emmett', make: single.emmett(emt, 'a') },
          { name: 'raw INSERT', make: single.raw(raw, 'a') },
        ],
      },
      {
        title: `single appends, ${WRITERS} writers`,
        writers: WRITERS,
        perRound: per(8_000, WRITERS),
        eventsPerOp: 1,
        warmOps: 1_000,
        contenders: [
          { name: 'Tashghil', make: single.tashghil(store, 'b') },
          { name: 'Emmett', make: single.emmett(emt, 'b') },
          { name: 'raw INSERT', make: single.raw(raw, 'b') },
        ],
      },
      {
        title: `${BATCH}-event batches, 1 writer`,
        writers: 1,
        perRound: per(150, 1),
        eventsPerOp: BATCH,
        warmOps: 20,
        contenders: [
          { name: 'Tashghil', make: batch.tashghil(store, BATCH) },
          { name: 'Emmett', make: batch.emmett(emt, BATCH) },
          { name: `raw ${BATCH}-row INSERT`, make: batch.raw(raw, BATCH) },
        ],
      },
      {
        title: `${STREAMS.toLocaleString('en')}-stream atomic append`,
        writers: 1,
        // 64 calls at BENCH_SCALE=1: with 16, one slow call of either side moved the ratio by a
        // tenth (0.69, 0.88 and 1.05 in three runs of one hour, 2026-12-07).
        perRound: per(60, 1),
        eventsPerOp: STREAMS,
        warmOps: 8,
        contenders: [
          { name: 'Tashghil appendMany', make: manyStreams.tashghil(store, STREAMS) },
          { name: 'COPY into a bare table', make: manyStreams.copy(raw, STREAMS, 'bench.raw_events') },
          { name: "COPY into es.events' twin", make: manyStreams.copy(raw, STREAMS, 'bench.twin_events') },
        ],
      },
      {
        title: `wake-ups, single appends, ${WRITERS} writers`,
        writers: WRITERS,
        perRound: per(4_000, WRITERS),
        eventsPerOp: 1,
        warmOps: 200,
        contenders: [
          { name: 'after the commit', make: single.tashghil(store, 'c') },
          { name: 'NOTIFY in the transaction', make: single.tashghil(notifying, 'd') },
        ],
      },
      {
        title: 'wake-ups, single appends, 1 writer',
        writers: 1,
        perRound: per(2_000, 1),
        eventsPerOp: 1,
        warmOps: 200,
        contenders: [
          { name: 'after the commit', make: single.tashghil(store, 'e') },
          { name: 'NOTIFY in the transaction', make: single.tashghil(notifying, 'f') },
        ],
      },
    ];
    const targets: Target[] = [
      { title: cases[0]?.title ?? '', of: 'Tashghil', over: 'Emmett', min: 1.5 },
      { title: cases[0]?.title ?? '', of: 'Tashghil', over: 'raw INSERT', min: 0.6 },
      { title: cases[1]?.title ?? '', of: 'Tashghil', over: 'Emmett', min: 1.5 },
      { title: cases[1]?.title ?? '', of: 'Tashghil', over: 'raw INSERT', min: 0.6 },
      { title: cases[2]?.title ?? '', of: 'Tashghil', over: 'Emmett', min: 1.2 },
      { title: cases[2]?.title ?? '', of: 'Tashghil', over: `raw ${BATCH}-row INSERT`, min: 0.8 },
      { title: cases[3]?.title ?? '', of: 'Tashghil appendMany', over: 'COPY into a bare table', min: 0.8 },
    ];

    console.error(`bench:store on ${dbName} (BENCH_SCALE=${k}, ${n} rounds)`);
    const tallies = new Map<string, Tally>();
    const key = (c: Case, name: string): string => `${c.title}|${name}`;
    for (const c of cases) {
      for (const x of c.contenders) await drive(c.writers, Math.max(1, Math.ceil(c.warmOps / c.writers)), x.make('w'));
      // No case starts with another's dirty pages to write out.
      await raw.query('CHECKPOINT');
      // Each round rotates who goes first, so drift in the machine's load falls on every contender.
      for (let r = 0; r < n; r += 1) {
        for (let j = 0; j < c.contenders.length; j += 1) {
          const x = c.contenders[(r + j) % c.contenders.length];
          if (!x) continue;
          const tally = tallies.get(key(c, x.name)) ?? { events: 0, seconds: 0, latencies: [], wakes: 0 };
          const before = wakes;
          tally.seconds += await drive(c.writers, c.perRound, x.make(`r${r}`), tally.latencies);
          // Wake-ups still on their way arrive within the waker's interval (25 ms).
          await new Promise((resolve) => setTimeout(resolve, 40));
          tally.wakes += wakes - before;
          tally.events += c.writers * c.perRound * c.eventsPerOp;
          tallies.set(key(c, x.name), tally);
        }
      }
      const line = c.contenders
        .map((x) => {
          const t = tallies.get(key(c, x.name));
          return `${x.name} ${t ? Math.round(t.events / t.seconds) : '?'}/s`;
        })
        .join(', ');
      console.error(`  ${c.title}: ${line}`);
    }

    const rate = (title: string, name: string): number => {
      const t = tallies.get(`${title}|${name}`);
      return t ? t.events / t.seconds : NaN;
    };
    console.log(`\nbench:store  ${new Date().toISOString()}  BENCH_SCALE=${k}  rounds=${n}\n`);
    table(
      ['case', 'contender', 'events', 'seconds', 'events/s', 'p50 ms', 'p99 ms', 'wake-ups'],
      cases.flatMap((c) =>
        c.contenders.map((x) => {
          const t = tallies.get(key(c, x.name));
          const sorted = [...(t?.latencies ?? [])].sort((a, b) => a - b);
          return [
            c.title,
            x.name,
            String(t?.events ?? 0),
            (t?.seconds ?? 0).toFixed(3),
            Math.round(rate(c.title, x.name)).toString(),
            percentile(sorted, 0.5).toFixed(2),
            percentile(sorted, 0.99).toFixed(2),
            String(t?.wakes ?? 0),
          ];
        }),
      ),
    );
    console.log('\ntargets (issue 14, part 5)\n');
    let missed = 0;
    table(
      ['case', 'figure', 'events/s', 'baseline', 'events/s', 'ratio', 'target', 'met'],
      targets.map((t) => {
        const ratio = rate(t.title, t.of) / rate(t.title, t.over);
        if (!(ratio >= t.min)) missed += 1;
        return [
          t.title,
          t.of,
          Math.round(rate(t.title, t.of)).toString(),
          t.over,
          Math.round(rate(t.title, t.over)).toString(),
          ratio.toFixed(2),
          `≥ ${t.min.toFixed(1)}`,
          ratio >= t.min ? 'yes' : 'NO',
        ];
      }),
    );
    console.log(`\n${targets.length - missed} of ${targets.length} targets met.`);
    const twin =
      rate(cases[3]?.title ?? '', 'Tashghil appendMany') / rate(cases[3]?.title ?? '', "COPY into es.events' twin");
    console.log(
      `\n${cases[3]?.title}, against COPY of the same rows into es.events' twin (its keys and indexes): ${twin.toFixed(2)}`,
    );
    console.log('\nwake-ups after the commit, against NOTIFY inside each append (the alternative measured)');
    for (const c of cases.slice(4)) {
      const ratio = rate(c.title, 'after the commit') / rate(c.title, 'NOTIFY in the transaction');
      console.log(`  ${c.title}: ${ratio.toFixed(2)}×`);
    }
    const setting = async (name: string): Promise<string> =>
      (await raw.query<Record<string, string>>(`SHOW ${name}`)).rows[0]?.[name] ?? '?';
    console.log('\nmachine');
    console.log(`  nproc ${availableParallelism()}  cpu ${cpus()[0]?.model ?? '?'}  node ${process.version}`);
    const settings = ['synchronous_commit', 'fsync', 'shared_buffers', 'full_page_writes'];
    const values = await Promise.all(settings.map(async (name) => `${name}=${await setting(name)}`));
    console.log(`  PostgreSQL ${await setting('server_version')}  ${values.join('  ')}`);
    console.log(
      `  load average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(`  run took ${seconds(started).toFixed(1)} s`);
  } finally {
    await unlisten?.();
    await emmett?.close();
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
