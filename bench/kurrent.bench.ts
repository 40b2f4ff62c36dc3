/**
 * The KurrentDB gateway (services/kurrent-gateway) against the store it serves, on the PostgreSQL
 * server, in a database of its own:
 * - reading `$all` through the gateway with an official client, against the store's own readAll;
 * - how long a live subscription takes to deliver an event while the store takes 500 appends a second.
 * The targets are issue 17's ("Speed", read 2026-12-04): ≥ 0.7× the readAll rate, ≤ 100 ms p99.
 * The clients (Go, then Node) each run in a child process, as a client would; the gateway runs in this
 * one, with the store. The target is read from the Go client (see bench/README.md).
 * Needs `go` on the PATH (as the judges do) to build the Go reader. Figures: bench/README.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { EVENT_STORE_MIGRATIONS, EventStore, migrate, PgSqlClient, SubjectKeyring } from '@tashghil/event-store';
import { createLogger, sampleValue } from '@tashghil/service-kit';
import { startGateway } from '../services/kurrent-gateway/src/gateway';

const DEFAULT_URL = 'postgres://tashghil:tashghil@127.0.0.1:5432/tashghil';
const GO_JUDGE = join(__dirname, '../services/kurrent-gateway/judges/go');

/** The Go judge's program (judges/go, built as judges/run.sh builds it), which has a `--read-all` mode. */
const buildGoReader = (): string => {
  const built = spawnSync('go', ['build', '-o', '.judge', '.'], { cwd: GO_JUDGE, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('go build of services/kurrent-gateway/judges/go failed');
  return join(GO_JUDGE, '.judge');
};
const RATE = 500;
const TARGET_READ = 0.7;
const TARGET_P99_MS = 100;

const scale = Number(process.env.BENCH_SCALE ?? '1');
const EVENTS = Math.round(100_000 * scale);
const LIVE_SECONDS = Math.max(3, Math.round(10 * scale));
const ROUNDS = 3;
/** Rounds run first and not counted: the JIT and the database's cache warm up for both sides alike. */
const WARM_ROUNDS = 1;

const now = (): number => performance.timeOrigin + performance.now();

/** The client side, in a child process: `kurrent.bench.ts client <read|follow> <address> <stream prefix>`. */
const clientMain = async (mode: string, address: string, prefix: string): Promise<void> => {
  const { KurrentDBClient, START, END } = await import('@kurrent/kurrentdb-client');
  const client = KurrentDBClient.connectionString(`kurrentdb://${address}?tls=false`);
  const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
  if (mode === 'read') {
    for (let round = 0; round < WARM_ROUNDS + ROUNDS; round += 1) {
      await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
      const started = now();
      let n = 0;
      for await (const _ of client.readAll({ fromPosition: START })) n += 1;
      say({ events: n, seconds: (now() - started) / 1000 });
    }
    await client.dispose();
    // stdin stays open in this process: leave without waiting for it.
    process.exit(0);
  } else {
    const received: Array<[number, number]> = [];
    const sub = client.subscribeToAll({ fromPosition: END });
    sub.on('caughtUp', () => say({ ready: true }));
    process.stdin.once('data', () => {
      say({ received });
      void sub.unsubscribe().then(() => client.dispose().then(() => process.exit(0)));
    });
    for await (const r of sub) {
      const data = r.event?.data as { n?: number } | undefined;
      if (r.event?.streamId.startsWith(prefix) && data?.n !== undefined) received.push([data.n, now()]);
    }
  }
};

/** Starts a client process (this file's client side, or another program) and hands back its lines as they come. */
const child = (mode: string, address: string, prefix: string, command?: readonly string[]) => {
  const [file, ...args] = command ?? [
    process.execPath,
    '-r',
    '@swc-node/register',
    __filename,
    'client',
    mode,
    address,
    prefix,
  ];
  const proc = spawn(file ?? process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  // Listened for from the start: a client may leave before its last line has been read.
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
    waiters.splice(0).forEach((w) => w());
  });
  const next = async <T>(): Promise<T> => {
    while (lines.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return JSON.parse(lines.shift() ?? '{}') as T;
  };
  return { proc, next, exited, poke: () => proc.stdin.write('go\n') };
};

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const data = (i: number) => ({
  conventionId: `conv-${i % 997}`,
  measure: 'temporary-works',
  amountCentimes: 1_250_000 + i,
  beneficiaries: 40 + (i % 13),
  note: randomBytes(24).toString('hex'),
});
const meta = { actor: 'bench', roles: ['admin'], correlationId: randomUUID(), causationId: randomUUID() };

const main = async (): Promise<void> => {
  const loadAtStart = loadavg()[0] ?? Number.NaN;
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_URL;
  const name = `tashghil_bench_kurrent_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = PgSqlClient.fromUrl(url.toString(), 12);
  try {
    await migrate(db, EVENT_STORE_MIGRATIONS);
    const store = new EventStore(db, { keyring: new SubjectKeyring('bench-master-key') });
    for (let i = 0; i < EVENTS; i += 500) {
      await store.appendMany(
        Array.from({ length: 100 }, (_, s) => ({
          streamId: `ext.seed-${(i / 500) * 100 + s}`,
          expected: 'no_stream' as const,
          events: Array.from({ length: 5 }, (_, k) => ({
            eventId: randomUUID(),
            type: 'MeasureFunded',
            data: data(i + s * 5 + k),
            metadata: meta,
          })),
        })),
      );
    }
    const gateway = await startGateway({
      store,
      host: '127.0.0.1',
      port: 0,
      log: createLogger('kurrent-gateway', { level: 'warn' }),
    });
    const address = `127.0.0.1:${gateway.port}`;

    // Read: the store's own readAll and the gateway through the client take turns.
    const reader = child('read', address, 'ext.');
    const goReader = child('read', address, 'ext.', [buildGoReader(), '--read-all', address]);
    const storeRates: number[] = [];
    const gatewayRates: number[] = [];
    const goRates: number[] = [];
    for (let round = 0; round < WARM_ROUNDS + ROUNDS; round += 1) {
      const started = now();
      let n = 0;
      let after = { txId: 0, position: 0 };
      for (;;) {
        const { events, checkpoint } = await store.readAll({ after, limit: 1000, decrypt: false });
        n += events.length;
        after = checkpoint;
        if (events.length < 1000) break;
      }
      const storeRate = n / ((now() - started) / 1000);
      reader.poke();
      const r = await reader.next<{ events: number; seconds: number }>();
      if (r.events !== n) throw new Error(`the gateway read ${r.events} events, the store ${n}`);
      goReader.poke();
      const g = await goReader.next<{ events: number; seconds: number }>();
      if (g.events !== n) throw new Error(`the gateway read ${g.events} events to Go, the store ${n}`);
      if (round < WARM_ROUNDS) continue;
      storeRates.push(storeRate);
      gatewayRates.push(r.events / r.seconds);
      goRates.push(g.events / g.seconds);
    }
    await reader.exited;
    goReader.proc.stdin.end();
    await goReader.exited;

    // Latency: appends at RATE a second from this process, a live subscription in the child.
    const follower = child('follow', address, 'ext.live-');
    await follower.next<{ ready: boolean }>();
    const total = RATE * LIVE_SECONDS;
    let sent = 0;
    const appends: Array<Promise<unknown>> = [];
    const issuedAt: number[] = [];
    const committedAt: number[] = [];
    const t0 = now();
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(total, Math.floor(((now() - t0) / 1000) * RATE));
        for (; sent < due; sent += 1) {
          const n = sent;
          issuedAt[n] = now();
          appends.push(
            store
              .append(`ext.live-${n % 50}`, [{ eventId: randomUUID(), type: 'Tick', data: { n }, metadata: meta }])
              .then(() => {
                committedAt[n] = now();
              }),
          );
        }
        if (sent >= total) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    await Promise.all(appends);
    const achieved = total / ((now() - t0) / 1000);
    await new Promise((r) => setTimeout(r, 1_000));
    follower.poke();
    const { received } = await follower.next<{ received: Array<[number, number]> }>();
    // From the commit (the append resolved) and from the call (including the append's own time).
    const latencies = received.map(([n, at]) => Math.max(0, at - (committedAt[n] ?? at)));
    const fromCall = received.map(([n, at]) => at - (issuedAt[n] ?? at)).sort((a, b) => a - b);
    // The gateway's own account of the same deliveries (its /metrics), from each event's recording time.
    const exposition = await gateway.metrics.metrics();
    const lag = (part: string): number =>
      sampleValue(exposition, `kurrent_gateway_subscription_delivery_lag_seconds_${part}`, { target: 'all' }) ?? 0;
    const within100 =
      sampleValue(exposition, 'kurrent_gateway_subscription_delivery_lag_seconds_bucket', {
        target: 'all',
        le: '0.1',
      }) ?? 0;
    await gateway.close();

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const storeRate = median(storeRates);
    const gatewayRate = median(gatewayRates);
    const goRate = median(goRates);
    const sorted = [...latencies].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    const lines = [
      `KurrentDB gateway, ${EVENTS} events in $all, ${cpus().length} cores, load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0]?.toFixed(2)} at the end`,
      '',
      '| measure | figure | target | met |',
      '|---|---|---|---|',
      `| store readAll (decrypt off), events/s, median of ${ROUNDS} | ${storeRate.toFixed(0)} | | |`,
      `| $all through the gateway to the Go client (KurrentDB-Client-Go), events/s | ${goRate.toFixed(0)} | | |`,
      `| gateway / store, Go client | ${(goRate / storeRate).toFixed(2)}× | ≥ ${TARGET_READ}× | ${goRate / storeRate >= TARGET_READ ? 'yes' : 'no'} |`,
      `| $all through the gateway to the Node client (@kurrent/kurrentdb-client), events/s | ${gatewayRate.toFixed(0)} | | |`,
      `| gateway / store, Node client (its decoding shares the two cores) | ${(gatewayRate / storeRate).toFixed(2)}× | | |`,
      `| live delivery at ${achieved.toFixed(0)} appends/s, ${latencies.length} of ${total} events, from commit: p50 / p99 / max ms | ${percentile(sorted, 50).toFixed(1)} / ${p99.toFixed(1)} / ${(sorted[sorted.length - 1] ?? Number.NaN).toFixed(1)} | p99 ≤ ${TARGET_P99_MS} ms | ${p99 <= TARGET_P99_MS && latencies.length === total ? 'yes' : 'no'} |`,
      `| the same from the append's call (its own time included): p50 / p99 ms | ${percentile(fromCall, 50).toFixed(1)} / ${percentile(fromCall, 99).toFixed(1)} | | |`,
      `| the gateway's delivery-lag histogram: events, mean ms, share ≤ 100 ms | ${lag('count')}, ${((lag('sum') / Math.max(1, lag('count'))) * 1000).toFixed(1)}, ${((within100 / Math.max(1, lag('count'))) * 100).toFixed(1)} % | | |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
};

const [, , role, mode, address, prefix] = process.argv;
(role === 'client' ? clientMain(mode ?? '', address ?? '', prefix ?? '') : main()).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
