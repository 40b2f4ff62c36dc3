/**
 * The matching lists at national scale: `GET /seekers` and `GET /offers` through HTTP, first pages
 * and deep pages, with and without filters, each beside the indexed SELECT of the same page (the
 * query the list runs, sent straight to the server) as its baseline. BENCH_SCALE=1 is 1,000,000
 * seekers and 200,000 offers (issue 15, "Measure it"); BENCH_REQUESTS (default 100, at least 50)
 * requests per figure, sequential, p50 and p99 of the wall clock of each.
 *
 * The store is filled by a bulk loader that decides each file with the service's own deciders,
 * appends the events through the multi-stream append and writes the query-model rows with the
 * model's own row function in the same transaction, 1,000 files a transaction: what the write
 * pipeline does, without an HTTP request per file. The lists read only the query models, so the
 * figures do not depend on how the store was filled. See bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus, loadavg } from 'node:os';
import {
  openServerDatabase,
  selectPage,
  sql,
  writeQueryRows,
  type Command,
  type DecidedEvent,
  type EventStore,
  type ModelledDecider,
  type PageSpec,
  type StreamAppend,
  type TestDatabase,
} from '@tashghil/event-store';
import {
  offerDecider,
  offerStreamId,
  seekerDecider,
  seekerStreamId,
  matchingService,
  type OfferCommand,
  type SeekerCommand,
} from '@tashghil/matching';
import { encodeCursor, startService } from '@tashghil/service-kit';
import { tokenFor } from '@tashghil/testing';

const SEEKERS_AT_SCALE_1 = 1_000_000;
const OFFERS_PER_SEEKER = 0.2;
const FILES_PER_TRANSACTION = 1_000;
const REGIONS = Array.from({ length: 12 }, (_, i) => `MA-${String(i + 1).padStart(2, '0')}`);
const EDUCATION = ['primary', 'lower_secondary', 'baccalaureate', 'vocational', 'bac_plus_2', 'licence', 'master'];
const MOBILITY = ['own_province', 'own_region', 'any_region', 'abroad'] as const;
const OCCUPATIONS = ['7231', '8211', '5120', '9313', '2512', '3322', '6111', '7411', '8160', '7212', '5223', '4110'];

const positive = (name: string, fallback: string): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const dayOf = (i: number): string =>
  new Date(Date.UTC(2015, 0, 1) + (i % 3_650) * 86_400_000).toISOString().slice(0, 10);
const NOW = '2025-06-30T10:00:00.000Z';
const metadata = (i: number) => ({
  now: NOW,
  actor: 'bench-loader',
  roles: ['admin'],
  correlationId: `bench-${i}`,
  commandId: randomUUID(),
});

const registerSeeker = (i: number): SeekerCommand => ({
  type: 'RegisterSeeker',
  metadata: metadata(i),
  data: {
    seekerId: `bench-s-${i}`,
    registeredOn: dayOf(i * 7_919),
    region: REGIONS[i % 12] as 'MA-01',
    province: `Province ${i % 7}`,
    gender: i % 2 ? 'female' : 'male',
    birthDate: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 9}`,
    education: EDUCATION[i % EDUCATION.length] as 'primary',
    occupations: [
      OCCUPATIONS[Math.floor(i / 12) % 12] as string,
      OCCUPATIONS[(Math.floor(i / 144) + 5) % 12] as string,
    ],
    skills: ['diagnostic', 'accueil'],
    languages: ['ar', 'fr'],
    disability: i % 11 === 0,
    pandemicJobLoss: i % 4 === 0,
    area: i % 3 ? 'urban' : 'rural',
    mobility: MOBILITY[i % 4] as 'own_region',
    fullName: `Personne fictive ${i}`,
    cin: `ZZ${100_000 + (i % 900_000)}`,
  },
});

const offerCommands = (i: number): OfferCommand[] => {
  const received: OfferCommand = {
    type: 'ReceiveOffer',
    metadata: { ...metadata(i), now: `${dayOf(i * 104_729)}T09:00:00.000Z` },
    data: {
      offerId: `bench-o-${i}`,
      employer: { kind: 'company', id: `employer-${i % 5_000}`, name: `Société ${i % 5_000}`, sector: 'agri-food' },
      region: REGIONS[(i * 7) % 12] as 'MA-01',
      province: `Province ${i % 7}`,
      occupation: OCCUPATIONS[(i * 3) % 12] as string,
      positions: 1 + (i % 5),
      requiredEducation: EDUCATION[i % 4] as 'primary',
      skills: ['diagnostic'],
      contractType: 'permanent',
      mass: i % 50 === 0,
      validUntil: '2030-12-31',
    },
  };
  if (i % 5 === 0) return [received];
  const later = { ...received.metadata, commandId: randomUUID() };
  return [
    received,
    { type: 'ValidateOffer', metadata: later, data: {} },
    { type: 'PublishOffer', metadata: { ...later, commandId: randomUUID() }, data: { openAfterDays: 15 } },
  ];
};

/** Decides a file's commands from nothing, as the command handler would, and gives its events and state. */
const decideAll = <C extends Command, S, E extends DecidedEvent>(
  decider: ModelledDecider<C, S, E>,
  commands: readonly C[],
): { events: E[]; state: S } => {
  let state = decider.initialState();
  const events: E[] = [];
  for (const command of commands) {
    for (const event of decider.decide(command, state)) {
      events.push(event);
      state = decider.evolve(state, event);
    }
  }
  return { events, state };
};

const load = async <C extends Command, S, E extends DecidedEvent>(
  store: EventStore,
  decider: ModelledDecider<C, S, E>,
  streamIdOf: (i: number) => string,
  commandsOf: (i: number) => C[],
  count: number,
): Promise<number> => {
  const model = decider.queryModel;
  if (!model) throw new Error('the decider keeps no query model');
  const started = performance.now();
  for (let from = 0; from < count; from += FILES_PER_TRANSACTION) {
    const appends: StreamAppend[] = [];
    const rows: Array<{ streamId: string; state: S; version: number }> = [];
    for (let i = from; i < Math.min(count, from + FILES_PER_TRANSACTION); i += 1) {
      const { events, state } = decideAll(decider, commandsOf(i));
      const streamId = streamIdOf(i);
      appends.push({
        streamId,
        expected: 'no_stream',
        events: events.map((e) => ({ ...(e as unknown as StreamAppend['events'][number]), eventId: randomUUID() })),
      });
      rows.push({ streamId, state, version: events.length - 1 });
    }
    await store.db.transaction(async (tx) => {
      await store.appendMany(appends, tx);
      await writeQueryRows(tx, model, rows);
    });
  }
  return (performance.now() - started) / 1000;
};

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

const timed = async (n: number, run: () => Promise<void>): Promise<{ p50: number; p99: number }> => {
  for (let i = 0; i < 5; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
};

interface Case {
  readonly name: string;
  readonly list: 'seekers' | 'offers';
  readonly query: string;
  readonly token: string;
  /** The page as the list selects it for this caller and these filters. */
  readonly spec: Omit<PageSpec, 'limit' | 'after'>;
}

const seekerColumns =
  'stream_id, version, updated_at, seeker_id, region, province, occupations, education, mobility, status, registered_on';
const offerColumns =
  'stream_id, version, updated_at, offer_id, region, province, abroad_country, occupation, status, employer_id, ' +
  'employer_kind, employer_sector, mass, contract_type, positions, filled, open_to_other_regions, opened_on, valid_until';

const main = async (): Promise<void> => {
  const scale = positive('BENCH_SCALE', '1');
  const requests = Math.max(50, Math.round(positive('BENCH_REQUESTS', '100')));
  const limit = 100;
  const seekers = Math.max(1_000, Math.round(SEEKERS_AT_SCALE_1 * scale));
  const offers = Math.round(seekers * OFFERS_PER_SEEKER);
  const database: TestDatabase = await openServerDatabase();
  const load0 = loadavg().map((l) => l.toFixed(1));
  process.stdout.write(
    `national lists bench: ${seekers.toLocaleString('en')} seekers, ${offers.toLocaleString('en')} offers, ` +
      `${requests} requests a figure, ${availableParallelism()} × ${cpus()[0]?.model ?? 'cpu'}, load ${load0.join(' ')}\n`,
  );
  const service = await startService(matchingService, {
    TASHGHIL_MODE: 'embedded',
    DATABASE_URL: database.url ?? '',
    PORT: '0',
    LOG_LEVEL: 'warn',
    TASHGHIL_RATE_LIMIT: '0',
    MATCHING_STREAMING: 'false',
  });
  try {
    const store = service.runtime.store;
    const seekerSeconds = await load(
      store,
      seekerDecider,
      (i) => seekerStreamId(`bench-s-${i}`),
      (i) => [registerSeeker(i)],
      seekers,
    );
    const offerSeconds = await load(store, offerDecider, (i) => offerStreamId(`bench-o-${i}`), offerCommands, offers);
    await store.db.query('ANALYZE q.seekers');
    await store.db.query('ANALYZE q.offers');
    const { rows: counts } = await store.db.query<{ n: string }>('SELECT count(*)::text AS n FROM es.events');
    process.stdout.write(
      `loaded in ${seekerSeconds.toFixed(0)} s + ${offerSeconds.toFixed(0)} s ` +
        `(${Math.round(seekers / seekerSeconds)} seekers/s, ${Math.round(offers / offerSeconds)} offers/s); ` +
        `${Number(counts[0]?.n).toLocaleString('en')} events\n`,
    );

    const admin = tokenFor({ sub: 'bench-admin', roles: ['admin'] });
    const officer = tokenFor({ sub: 'bench-officer', roles: ['officer'], region: 'MA-05' });
    const employer = tokenFor({ sub: 'bench-employer', roles: ['employer'], org: 'employer-42' });
    const seekerOrder = { orderBy: ['registered_on', 'stream_id'], direction: 'desc' as const };
    const offerOrder = { orderBy: ['opened_on', 'stream_id'], direction: 'desc' as const };
    const cases: Case[] = [
      {
        name: 'seekers, national (admin)',
        list: 'seekers',
        query: '',
        token: admin,
        spec: { columns: seekerColumns, from: 'q.seekers', where: [], ...seekerOrder },
      },
      {
        name: 'seekers, an officer’s region',
        list: 'seekers',
        query: '',
        token: officer,
        spec: { columns: seekerColumns, from: 'q.seekers', where: [sql`region = ${'MA-05'}`], ...seekerOrder },
      },
      {
        name: 'seekers, region + status + occupation',
        list: 'seekers',
        query: 'status=registered&occupations=7231',
        token: officer,
        spec: {
          columns: seekerColumns,
          from: 'q.seekers',
          where: [sql`region = ${'MA-05'}`, sql`status = ${'registered'}`, sql`occupations && ${['7231']}::text[]`],
          ...seekerOrder,
        },
      },
      {
        name: 'seekers, national, education + mobility',
        list: 'seekers',
        query: 'education=licence&mobility=abroad',
        token: admin,
        spec: {
          columns: seekerColumns,
          from: 'q.seekers',
          where: [sql`education = ${'licence'}`, sql`mobility = ${'abroad'}`],
          ...seekerOrder,
        },
      },
      {
        name: 'offers, national (admin)',
        list: 'offers',
        query: '',
        token: admin,
        spec: { columns: offerColumns, from: 'q.offers', where: [], ...offerOrder },
      },
      {
        name: 'offers, an officer’s region, published',
        list: 'offers',
        query: 'status=published',
        token: officer,
        spec: {
          columns: offerColumns,
          from: 'q.offers',
          where: [sql`region = ${'MA-05'}`, sql`status = ${'published'}`],
          ...offerOrder,
        },
      },
      {
        name: 'offers, an employer’s own',
        list: 'offers',
        query: '',
        token: employer,
        spec: { columns: offerColumns, from: 'q.offers', where: [sql`employer_id = ${'employer-42'}`], ...offerOrder },
      },
    ];

    const header =
      `\n| ${'list, page'.padEnd(64)} | ${'rows'.padStart(4)} | ${'HTTP p50'.padStart(8)} | ${'HTTP p99'.padStart(8)} |` +
      ` ${'SELECT p50'.padStart(10)} | ${'SELECT p99'.padStart(10)} |\n` +
      `|${'-'.repeat(66)}|${'-'.repeat(6)}|${'-'.repeat(10)}|${'-'.repeat(10)}|${'-'.repeat(12)}|${'-'.repeat(12)}|\n`;
    process.stdout.write(header);
    let worst = 0;
    for (const c of cases) {
      // The deep page starts 90% of the way down the list (at most 900,000 rows down).
      const where = c.spec.where;
      const { rows: sized } = await store.db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM ${c.spec.from} ${where.length ? 'WHERE' : ''} ${where
          .map((w, i) => `(${w.text.replace('$?', `$${i + 1}`)})`)
          .join(' AND ')}`,
        where.map((w) => w.params[0]),
      );
      const total = Number(sized[0]?.n ?? 0);
      const depth = Math.min(900_000, Math.floor(total * 0.9));
      const { rows: at } = await store.db.query<Record<string, string>>(
        `SELECT ${c.spec.orderBy.join(', ')} FROM ${c.spec.from} ${where.length ? 'WHERE' : ''} ${where
          .map((w, i) => `(${w.text.replace('$?', `$${i + 1}`)})`)
          .join(' AND ')} ORDER BY ${c.spec.orderBy.map((o) => `${o} DESC`).join(', ')} OFFSET ${depth} LIMIT 1`,
        where.map((w) => w.params[0]),
      );
      const key = at[0] ? c.spec.orderBy.map((o) => String(at[0]?.[o])) : undefined;
      for (const [page, after] of [
        ['first', undefined],
        [`deep (${depth.toLocaleString('en')} of ${total.toLocaleString('en')})`, key],
      ] as const) {
        const cursor = after ? `cursor=${encodeCursor(c.list, after)}` : '';
        const query = [c.query, cursor, `limit=${limit}`].filter(Boolean).join('&');
        let listed = 0;
        const http = await timed(requests, async () => {
          const answer = await fetch(`${service.url}/${c.list}?${query}`, {
            headers: { authorization: `Bearer ${c.token}` },
          });
          const body = (await answer.json()) as Record<string, unknown[]>;
          if (answer.status !== 200) throw new Error(`${c.name}: ${answer.status} ${JSON.stringify(body)}`);
          listed = body[c.list]?.length ?? 0;
        });
        const select = await timed(requests, async () => {
          await selectPage(store.db, { ...c.spec, limit, ...(after ? { after } : {}) });
        });
        worst = Math.max(worst, http.p99);
        const ms = (v: number, w: number) => `${v.toFixed(1)} ms`.padStart(w);
        process.stdout.write(
          `| ${`${c.name}, ${page}`.padEnd(64)} | ${String(listed).padStart(4)} | ${ms(http.p50, 8)} | ` +
            `${ms(http.p99, 8)} | ${ms(select.p50, 10)} | ${ms(select.p99, 10)} |\n`,
        );
      }
    }
    process.stdout.write(
      `\nworst HTTP p99: ${worst.toFixed(1)} ms; target ≤ 200 ms at BENCH_SCALE=1: ${worst <= 200 ? 'met' : 'NOT met'} ` +
        `at BENCH_SCALE=${scale}\nload after: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}\n`,
    );
  } finally {
    await service.stop();
    await database.dispose();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
