/**
 * The reporting read model on the PostgreSQL server at a scale set by BENCH_SCALE: the committee
 * report live and "as of" a day (national and one region), and a rebuild against the raw baseline
 * measured in the same run (reading the same events page by page and inserting one bare row per
 * event into an unindexed table). See bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import { REGION_CODES } from '@tashghil/contracts';
import {
  openStore,
  openServerDatabase,
  START,
  type EventStore,
  type NewEvent,
  type Queryable,
  PgSqlClient,
  type StreamAppend,
  type TestDatabase,
} from '@tashghil/event-store';
import { startService } from '@tashghil/service-kit';
import { tokenFor } from '@tashghil/testing';
import { MESSAGING_MIGRATIONS } from '@tashghil/messaging';
import {
  buildReport,
  ensureReadModel,
  isProjected,
  PROJECTED_TYPES,
  readSchema,
  rebuild,
  REPORTING_MIGRATIONS,
  reportAsOf,
  reportAsOfReadModel,
  reportingService,
} from '@tashghil/reporting';

const scale = Number(process.env.BENCH_SCALE ?? '1');
if (!Number.isFinite(scale) || scale <= 0)
  throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`);
/**
 * BENCH_STORE=report (the default) holds what the report reads, at BENCH_SCALE=1: 100,000 hires of
 * 5,000 offers, 10,000 grant files, 2,000 works sites (about 330,000 events). BENCH_STORE=national
 * adds what a national store holds beside it and the report never reads (each seeker registered and
 * updated, offers received, validated and filled, each hire's acceptance and interview, proposals
 * declined), with four times the offers: at BENCH_SCALE=10, issue 15's national store of about
 * 20 million events (1,000,000 seekers, 200,000 offers, 100,000 grant files, 20,000 works sites).
 */
const WHOLE = process.env.BENCH_STORE === 'national';
if (!['report', 'national', undefined].includes(process.env.BENCH_STORE))
  throw new Error(`BENCH_STORE must be report or national, got "${process.env.BENCH_STORE}"`);
const HIRES = Math.round(100_000 * scale);
const OFFERS = Math.max(12, Math.round(HIRES / (WHOLE ? 5 : 20)));
/** Every seeker of the national store is hired once; 5.5 proposals declined per hire. */
const SEEKERS = WHOLE ? HIRES : 0;
const DECLINED = WHOLE ? Math.round(HIRES * 5.5) : 0;
const GRANTS = Math.max(12, Math.round(10_000 * scale));
const SITES = Math.max(12, Math.round(2_000 * scale));
/** Recorded times spread over two years, so that a day asked cuts the history in two. */
const FIRST = Date.UTC(2022, 0, 3);
const SPAN_DAYS = 730;

const region = (i: number) => REGION_CODES[i % REGION_CODES.length] ?? 'MA-09';
const dayOf = (n: number) => new Date(FIRST + n * 86_400_000).toISOString().slice(0, 10);
const categories = (i: number) => ({
  gender: i % 3 === 0 ? 'female' : 'male',
  ageBand: ['under_25', '25_34', '35_54', '55_plus'][i % 4],
  disability: i % 13 === 0,
  hasDiploma: i % 2 === 0,
  area: i % 2 === 0 ? 'urban' : 'rural',
  longTermUnemployed: i % 3 === 0,
});
const eligibility = (on: string) => ({
  scheme: 'awrach-1',
  on,
  parametersKnownAt: `${on}T00:00:00.000Z`,
  outcome: 'eligible',
  rules: [],
});
const event = (type: string, data: Record<string, unknown>): NewEvent => ({ eventId: randomUUID(), type, data });

interface Append {
  readonly streamId: string;
  readonly day: number;
  readonly events: NewEvent[];
  /** 'no_stream' unless said: every stream but a seeker's is written once. */
  readonly expected?: 'any';
}

const conventionStreams = (): Append[] =>
  REGION_CODES.flatMap((r, i) => {
    const id = `conv-${r}`;
    const period = { start: '2022-01-01', end: '2023-12-31' };
    return [
      {
        streamId: `conventions.convention-${id}`,
        day: i,
        events: [
          event('ConventionDrafted', {
            conventionId: id,
            region: r,
            title: 'Convention',
            period,
            draftedAt: `${dayOf(i)}T09:00:00.000Z`,
            draftedBy: 'o',
          }),
          event('ConventionSigned', {
            conventionId: id,
            region: r,
            title: 'Convention',
            period,
            legalBasis: [],
            signedOn: dayOf(i + 1),
            place: 'Rabat',
            signatures: [],
            measures: [
              {
                measureId: 'idmaj',
                programmeLine: 'idmaj_training_contracts',
                target: { total: 1_000 },
                budget: { stateCentimes: 10_000_000, regionCentimes: 5_000_000 },
              },
            ],
          }),
        ],
      },
      {
        streamId: `conventions.programme-targets-${r}-awrach-2022`,
        day: i + 2,
        events: [
          event('ProgrammeTargetsSet', {
            region: r,
            programme: 'awrach',
            year: 2022,
            revision: 1,
            components: [
              { component: 'temporary_works', targetJobs: 3_000, budgetCentimes: 3_000_000_000 },
              { component: 'lasting_integration', targetJobs: 1_000 },
            ],
            reference: 'PV',
            effectiveDate: dayOf(i + 2),
            setBy: 'o',
            setAt: `${dayOf(i + 2)}T09:00:00.000Z`,
          }),
        ],
      },
    ];
  });

const offerDay = (i: number) => Math.floor((i / OFFERS) * (SPAN_DAYS - 60));
const placementDay = (i: number) => offerDay(i % OFFERS) + 5 + (i % 40);
/** A seeker registers before their hire's proposal. */
const seekerDay = (i: number) => Math.max(0, placementDay(i) - 20 - (i % 200));
const declinedDay = (i: number) => offerDay(i % OFFERS) + 3 + (i % 50);

const offerStream = (i: number): Append => ({
  streamId: `matching.offer-o${i}`,
  day: offerDay(i),
  events: [
    ...(WHOLE
      ? [
          event('OfferReceived', {
            offerId: `o${i}`,
            employer: { kind: 'company', id: `e${i % 5_000}`, name: `Société ${i % 5_000}`, sector: 'agri-food' },
            region: region(i),
            province: `prov-${i % 7}`,
            occupation: '8211',
            positions: 40,
            requiredEducation: 'vocational',
            skills: ['diagnostic'],
            contractType: 'permanent',
            mass: i % 4 === 0,
            validUntil: '2030-12-31',
            receivedOn: dayOf(offerDay(i)),
          }),
          event('OfferValidated', { offerId: `o${i}`, on: dayOf(offerDay(i)), by: 'bench' }),
        ]
      : []),
    event('OfferPublished', {
      offerId: `o${i}`,
      on: dayOf(offerDay(i)),
      by: 'bench',
      region: region(i),
      occupation: '8211',
      positions: 40,
      mass: i % 4 === 0,
      opensToOtherRegionsOn: dayOf(offerDay(i) + 15),
    }),
    ...(i % 4 === 0
      ? [
          event('OfferOpenedToOtherRegions', {
            offerId: `o${i}`,
            on: dayOf(offerDay(i) + 15),
            by: 'bench',
            region: region(i),
            reason: 'mass_offer',
          }),
        ]
      : []),
  ],
});

const placementStream = (i: number): Append => {
  const o = i % OFFERS;
  const day = placementDay(i);
  const flow = i % 10 === 0 ? 'abroad' : i % 3 === 0 ? 'other_region' : 'own_region';
  const destination = region(o);
  const origin = flow === 'own_region' ? destination : region(i + 5);
  const hired = dayOf(day + 10);
  return {
    streamId: `matching.placement-p${i}`,
    day,
    events: [
      event('PlacementProposed', {
        placementId: `p${i}`,
        on: dayOf(day),
        seekerId: `s${i}`,
        offerId: `o${o}`,
        score: 60,
        parts: { occupation: 40, skills: 10, education: 5, distance: 3, priority: 2 },
        reasons: ['bench'],
      }),
      ...(WHOLE
        ? [
            event('ProposalAccepted', { placementId: `p${i}`, on: dayOf(day + 2) }),
            event('InterviewScheduled', { placementId: `p${i}`, on: dayOf(day + 3), date: dayOf(day + 7) }),
          ]
        : []),
      event('SeekerHired', {
        placementId: `p${i}`,
        on: hired,
        seekerId: `s${i}`,
        offerId: `o${o}`,
        employer: { kind: 'company', id: `e${i % 50}`, sector: ['automobile', 'agro', 'tourism'][i % 3] },
        occupation: '8211',
        origin: { region: origin, province: `prov-${i % 7}` },
        destination:
          flow === 'abroad'
            ? { region: destination, province: 'x', abroadCountry: 'ES' }
            : { region: destination, province: `prov-${i % 5}` },
        flow,
        contractType: i % 4 === 0 ? 'idmaj' : 'permanent',
        startDate: hired,
        contractMonths: 24,
        monthlyWageCentimes: 300_000,
        categories: { ...categories(i), monthsRegistered: i % 40, pandemicJobLoss: false },
      }),
    ],
  };
};

/** A seeker's registration and one update (national store only; the report reads neither). */
const seekerStream = (i: number): Append => ({
  streamId: `matching.seeker-s${i}`,
  day: seekerDay(i),
  events: [
    event('SeekerRegistered', {
      seekerId: `s${i}`,
      registeredOn: dayOf(seekerDay(i)),
      registeredBy: 'bench',
      region: region(i + 5),
      province: `prov-${i % 7}`,
      gender: i % 3 === 0 ? 'female' : 'male',
      birthDate: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 9}`,
      education: 'vocational',
      occupations: ['8211', '7231'],
      skills: ['diagnostic', 'accueil'],
      languages: ['ar', 'fr'],
      disability: i % 13 === 0,
      pandemicJobLoss: false,
      area: i % 2 === 0 ? 'urban' : 'rural',
      mobility: 'any_region',
    }),
    event('SeekerUpdated', { seekerId: `s${i}`, changes: { skills: ['diagnostic', 'accueil', 'soudure'] } }),
  ],
});

/** The seeker's record of the hire, on the seeker's stream (national store only). */
const seekerPlaced = (i: number): Append => ({
  streamId: `matching.seeker-s${i}`,
  day: placementDay(i) + 10,
  expected: 'any',
  events: [
    event('SeekerPlaced', {
      seekerId: `s${i}`,
      offerId: `o${i % OFFERS}`,
      placementId: `p${i}`,
      startDate: dayOf(placementDay(i) + 10),
    }),
  ],
});

/** A proposal the seeker declined (national store only): the report counts its proposal. */
const declinedStream = (i: number): Append => ({
  streamId: `matching.placement-d${i}`,
  day: declinedDay(i),
  events: [
    event('PlacementProposed', {
      placementId: `d${i}`,
      on: dayOf(declinedDay(i)),
      seekerId: `s${(i * 7) % Math.max(1, SEEKERS)}`,
      offerId: `o${i % OFFERS}`,
      score: 55,
      parts: { occupation: 40, skills: 5, education: 5, distance: 3, priority: 2 },
      reasons: ['bench'],
    }),
    event('ProposalDeclined', { placementId: `d${i}`, on: dayOf(declinedDay(i) + 2), reason: 'distance' }),
  ],
});

const share = (component: string, jobs: number, centimes: number) => ({
  programme: 'awrach',
  year: 2022,
  component,
  jobs,
  centimes,
});

const siteDay = (i: number) => Math.floor((i / SITES) * (SPAN_DAYS - 120));
const grantDay = (i: number) => Math.floor((i / GRANTS) * (SPAN_DAYS - 240));

const siteStream = (i: number): Append => {
  const r = region(i);
  const day = siteDay(i);
  const projectId = `wp${i}`;
  const enrolled = [0, 1, 2, 3, 4].map((b) =>
    event('WorksBeneficiaryEnrolled', {
      projectId,
      region: r,
      province: `prov-${i % 5}`,
      beneficiaryId: `b${i}-${b}`,
      source: 'direct',
      on: dayOf(day + 20),
      monthlyWageCentimes: 280_000,
      socialCover: true,
      categories: categories(i + b),
      eligibility: eligibility(dayOf(day + 20)),
      ...(b === 0 ? { seekerId: `s${i}` } : {}),
    }),
  );
  return {
    streamId: `subsidies.works-project-${projectId}`,
    day,
    events: [
      event('WorksProjectProposed', {
        projectId,
        region: r,
        province: `prov-${i % 5}`,
        scheme: 'awrach-works',
        promoter: { kind: 'cooperative', id: `c${i}`, name: 'Coopérative' },
        kind: 'small',
        title: 'Chantier',
        jobs: 5,
        months: 4,
        start: dayOf(day + 20),
        end: dayOf(day + 140),
        monthlyWageCentimes: 280_000,
        budgetCentimes: 5_600_000,
        proposedOn: dayOf(day),
        eligibility: eligibility(dayOf(day)),
      }),
      event('WorksProjectDecided', {
        projectId,
        region: r,
        outcome: 'approved',
        decisionNumber: `CT-${i}`,
        date: dayOf(day + 10),
        envelope: share('temporary_works', 5, 5_600_000),
      }),
      event('WorksSiteLaunched', { projectId, region: r, on: dayOf(day + 20) }),
      ...enrolled,
      ...[0, 1, 2, 3].map((m) =>
        event('WorksPayrollRecorded', {
          projectId,
          region: r,
          month: dayOf(day + 30 * (m + 1)).slice(0, 7),
          lines: [],
          totals: { grossCentimes: 1_400_000, employeeCentimes: 0, employerCentimes: 300_000, netCentimes: 1_400_000 },
        }),
      ),
      event('WorksSiteCompleted', { projectId, region: r, on: dayOf(day + 140), certificates: [] }),
    ],
  };
};

const grantStream = (i: number): Append => {
  const r = region(i);
  const day = grantDay(i);
  const grantId = `g${i}`;
  const ended = i % 7 === 0;
  return {
    streamId: `subsidies.grant-${grantId}`,
    day,
    events: [
      event('GrantApplied', {
        grantId,
        region: r,
        scheme: 'awrach-1',
        programme: 'awrach',
        employer: { kind: 'company', id: `e${i % 50}`, name: 'Entreprise' },
        hire: {
          source: 'matching',
          placementId: `p${i}`,
          seekerId: `s${i}`,
          startDate: dayOf(day),
          contractMonths: 24,
          monthlyWageCentimes: 300_000,
        },
        person: {
          monthsRegistered: 30,
          pandemicJobLoss: false,
          hardToPlace: false,
          disability: false,
          priorCnssMonths: 0,
        },
        appliedOn: dayOf(day),
        eligibility: eligibility(dayOf(day)),
        beneficiary: { province: `prov-${i % 5}`, categories: categories(i) },
      }),
      event('GrantDecided', {
        grantId,
        region: r,
        outcome: i % 9 === 0 ? 'rejected' : 'approved',
        decisionNumber: `CT-g${i}`,
        date: dayOf(day + 10),
        ...(i % 9 === 0 ? {} : { envelope: share('lasting_integration', 1, 2_700_000) }),
      }),
      ...[0, 1, 2, 3, 4, 5].map((m) =>
        event('GrantPaymentRecorded', {
          grantId,
          region: r,
          month: dayOf(day + 30 * (m + 1)).slice(0, 7),
          amountCentimes: 150_000,
          channel: 'employer',
          paidOn: dayOf(day + 30 * (m + 1) + 5),
        }),
      ),
      ...(ended
        ? [
            event('GrantContractEnded', {
              grantId,
              region: r,
              lastDay: dayOf(day + 200),
              reason: 'resignation',
              entitledCentimes: 900_000,
              cancelledCentimes: 1_800_000,
              schedule: [],
            }),
            event('GrantClawbackClaimed', {
              grantId,
              region: r,
              amountCentimes: 50_000,
              on: dayOf(day + 210),
              reason: 'paid past the end',
              months: [],
            }),
          ]
        : []),
    ],
  };
};

/** A kind of stream: how many, the day each is written, and its events. */
interface Family {
  readonly count: number;
  readonly day: (i: number) => number;
  readonly stream: (i: number) => Append;
}

const families = (): Family[] => {
  const conventions = conventionStreams();
  return [
    { count: conventions.length, day: (i) => conventions[i]?.day ?? 0, stream: (i) => conventions[i] as Append },
    { count: OFFERS, day: offerDay, stream: offerStream },
    { count: HIRES, day: placementDay, stream: placementStream },
    { count: SITES, day: siteDay, stream: siteStream },
    { count: GRANTS, day: grantDay, stream: grantStream },
    { count: SEEKERS, day: seekerDay, stream: seekerStream },
    { count: SEEKERS, day: (i) => placementDay(i) + 10, stream: seekerPlaced },
    { count: DECLINED, day: declinedDay, stream: declinedStream },
  ];
};

const INDEX_BITS = 24;
const DAYS = SPAN_DAYS + 1;

/**
 * Every stream of every family in order of its day, as keys (the family in the top bits, its index
 * below): a counting sort over the days, so that 20 million events need no object before their turn.
 */
const inDayOrder = (kinds: readonly Family[]): Uint32Array => {
  const starts = new Uint32Array(DAYS + 1);
  const dayOfEach = kinds.map((f) => {
    if (f.count >= 2 ** INDEX_BITS) throw new Error(`BENCH_SCALE too large: ${f.count} streams of one kind`);
    const days = new Uint16Array(f.count);
    for (let i = 0; i < f.count; i += 1) {
      const day = f.day(i);
      if (day < 0 || day >= DAYS) throw new Error(`a stream's day ${day} is outside the history`);
      days[i] = day;
      starts[day + 1] = (starts[day + 1] ?? 0) + 1;
    }
    return days;
  });
  for (let d = 1; d <= DAYS; d += 1) starts[d] = (starts[d] ?? 0) + (starts[d - 1] ?? 0);
  const order = new Uint32Array(starts[DAYS] ?? 0);
  dayOfEach.forEach((days, kind) => {
    for (let i = 0; i < days.length; i += 1) {
      const day = days[i] ?? 0;
      order[starts[day] ?? 0] = (kind << INDEX_BITS) | i;
      starts[day] = (starts[day] ?? 0) + 1;
    }
  });
  return order;
};

/** Events per append: several hundred streams in one round trip, the next batch made while one is written. */
const EVENTS_PER_APPEND = 2_000;

/** Appends every stream in recorded-time order (the store's clock follows each batch's first day). */
const fill = async (
  store: EventStore,
  clock: { now: Date },
  kinds: readonly Family[],
): Promise<{ events: number; projected: number }> => {
  const order = inDayOrder(kinds);
  let events = 0;
  let projected = 0;
  let writing: Promise<unknown> = Promise.resolve();
  let batch: Append[] = [];
  let size = 0;
  const send = async (): Promise<void> => {
    const day = batch[0]?.day ?? 0;
    const parts: StreamAppend[] = batch.map((a) => ({
      streamId: a.streamId,
      events: a.events,
      expected: a.expected ?? 'no_stream',
    }));
    events += size;
    batch = [];
    size = 0;
    await writing;
    // Only now: the append before may read the clock until it has returned.
    clock.now = new Date(FIRST + day * 86_400_000 + 9 * 3_600_000);
    writing = store.appendMany(parts);
    writing.catch(() => undefined);
  };
  for (const key of order) {
    const kind = kinds[key >>> INDEX_BITS];
    if (!kind) throw new Error(`no kind of stream ${key >>> INDEX_BITS}`);
    const append = kind.stream(key & (2 ** INDEX_BITS - 1));
    batch.push(append);
    size += append.events.length;
    for (const e of append.events) if (isProjected(e.type)) projected += 1;
    if (size >= EVENTS_PER_APPEND) await send();
  }
  if (batch.length > 0) await send();
  await writing;
  return { events, projected };
};

const seconds = async (work: () => Promise<unknown>): Promise<number> => {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

/** The middle of some timings (the upper one of an even count). */
const middle = (times: readonly number[]): number =>
  [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;

/** The median of `runs` timings, in ms, after one warm-up. */
const median = async (runs: number, work: () => Promise<unknown>): Promise<number> => {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await seconds(work));
  return middle(times) * 1000;
};

/** With BENCH_PROFILE=1: each statement of a live and an as-of national report, slowest first. */
const profile = async (db: Queryable, schema: string, day: string): Promise<void> => {
  const timed: { ms: number; sql: string }[] = [];
  const timing: Queryable = {
    query: async (sql: string, params?: readonly unknown[]) => {
      const t0 = process.hrtime.bigint();
      const result = await db.query(sql, params);
      timed.push({ ms: Number(process.hrtime.bigint() - t0) / 1e6, sql: sql.replace(/\s+/g, ' ').slice(0, 140) });
      return result;
    },
  } as Queryable;
  await buildReport(timing, schema, { asOf: null, kind: 'live' });
  await buildReport(timing, schema, { asOf: day, kind: 'replay' });
  for (const t of [...timed].sort((a, b) => b.ms - a.ms).slice(0, 12))
    process.stdout.write(`${t.ms.toFixed(1).padStart(8)} ms  ${t.sql}\n`);
};

/** What filling and rebuilding measured; absent when the bench reuses a kept database. */
interface Built {
  readonly fillSeconds: number;
  readonly raw: number;
  readonly rebuilt: number;
  readonly steps: Record<string, number>;
}

/** Fills the store, then times the raw baseline and a rebuild of the read model over it. */
const fillAndRebuild = async (
  store: EventStore,
  clock: { now: Date },
): Promise<Built & { events: number; projected: number }> => {
  await ensureReadModel(store);
  const filled = Date.now();
  const { events, projected } = await fill(store, clock, families());
  const fillSeconds = (Date.now() - filled) / 1000;
  await store.db.query('ANALYZE');

  // The floor: read every event in pages and write one bare row each, a transaction per page.
  await store.db.query(`CREATE TABLE bench_raw (event_id uuid, type text, data jsonb)`);
  const raw = await seconds(async () => {
    let at = START;
    for (;;) {
      const page = await store.readAll({ after: at, limit: 2_000, decrypt: false });
      if (page.events.length > 0) {
        await store.db.transaction((tx) =>
          tx.query(`INSERT INTO bench_raw SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[])`, [
            page.events.map((e) => e.eventId),
            page.events.map((e) => e.type),
            page.events.map((e) => JSON.stringify(e.data)),
          ]),
        );
      }
      if (page.checkpoint.txId === at.txId && page.checkpoint.position === at.position) break;
      at = page.checkpoint;
    }
  });
  await store.db.query('DROP TABLE bench_raw');
  let built = 0;
  let steps: Record<string, number> = {};
  const rebuilt = await seconds(async () => {
    const r = await rebuild(store);
    built = r.applied + r.caughtUp;
    steps = r.steps;
  });
  if (built !== projected) throw new Error(`the rebuild took in ${built} events of the ${projected} it projects`);
  await store.db.query('ANALYZE');
  return { events, projected, fillSeconds, raw, rebuilt, steps };
};

/** The days asked of the reports through HTTP: spread over the history, each asked once. */
const HTTP_DAYS = 20;

/**
 * The committee report through the reporting service's HTTP API, each request computing its report
 * (the service keeps a computed report while its basis stands, so no key is asked twice): live
 * national, live for each region, and as of HTTP_DAYS days national and for one region; then the CSV
 * and the PDF of a report just computed, which reuse it. Wall clock per request, in ms.
 */
const timeHttp = async (url: string): Promise<string[]> => {
  const service = await startService(reportingService, {
    TASHGHIL_MODE: 'embedded',
    DATABASE_URL: url,
    PORT: '0',
    LOG_LEVEL: 'warn',
    TASHGHIL_RATE_LIMIT: '0',
  });
  try {
    const token = tokenFor({ sub: 'bench-auditor', roles: ['auditor'] });
    const get = async (path: string): Promise<number> => {
      const t0 = process.hrtime.bigint();
      const answer = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await answer.arrayBuffer();
      if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}`);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const days = Array.from({ length: HTTP_DAYS }, (_, k) =>
      dayOf(Math.round(((k + 1) * SPAN_DAYS) / (HTTP_DAYS + 1))),
    );
    await get(`/reports/committee?asOf=${dayOf(1)}&region=MA-01`); // a warm-up, a key not asked again
    const liveNational = [await get('/reports/committee')];
    const liveRegions: number[] = [];
    for (const r of REGION_CODES) liveRegions.push(await get(`/reports/committee?region=${r}`));
    const asOfNational: number[] = [];
    for (const d of days) asOfNational.push(await get(`/reports/committee?asOf=${d}`));
    const asOfRegion: number[] = [];
    for (const d of days) asOfRegion.push(await get(`/reports/committee?asOf=${d}&region=MA-09`));
    const csv: number[] = [];
    const pdf: number[] = [];
    for (let k = 0; k < 3; k += 1) csv.push(await get('/reports/committee.csv'));
    for (let k = 0; k < 3; k += 1) pdf.push(await get('/reports/committee.pdf'));
    const row = (name: string, times: number[], beside = '') =>
      `| ${name} | ${times.length} | ${middle(times).toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms | ${beside} |`;
    return [
      '',
      'Through HTTP (`GET /reports/committee`, an auditor), each request computing its report:',
      '',
      '| request | requests | p50 | max | beside |',
      '|---|---:|---:|---:|---|',
      row('live, national', liveNational),
      row('live, each region', liveRegions),
      row(
        `as of ${HTTP_DAYS} days, national`,
        asOfNational,
        `${(middle(asOfNational) / middle(liveNational)).toFixed(2)}× live`,
      ),
      row(
        `as of ${HTTP_DAYS} days, MA-09`,
        asOfRegion,
        `${(middle(asOfRegion) / middle(liveRegions)).toFixed(2)}× live (regions' p50)`,
      ),
      row('CSV of the live national report, computed already', csv),
      row('PDF of the live national report, computed already', pdf),
    ];
  } finally {
    await service.stop();
  }
};

const main = async (): Promise<void> => {
  // BENCH_REUSE=<url> times the reports again on a database kept by BENCH_KEEP=1, without filling it.
  const reuse = process.env.BENCH_REUSE;
  const database: TestDatabase = reuse
    ? { backend: 'postgres', db: PgSqlClient.fromUrl(reuse, 24), url: reuse, dispose: async () => undefined }
    : await openServerDatabase();
  try {
    const clock = { now: new Date(FIRST) };
    const store = await openStore(database, [...MESSAGING_MIGRATIONS, ...REPORTING_MIGRATIONS], {
      clock: () => clock.now,
    });
    let built: Built | undefined;
    let events: number;
    let projected: number;
    if (reuse) {
      const { rows } = await store.db.query<{ events: string; projected: string }>(
        `SELECT count(*)::text AS events, count(*) FILTER (WHERE type = ANY($1))::text AS projected FROM es.events`,
        [PROJECTED_TYPES],
      );
      events = Number(rows[0]?.events);
      projected = Number(rows[0]?.projected);
    } else {
      ({ events, projected, ...built } = await fillAndRebuild(store, clock));
    }
    const schema = await readSchema(store.db);
    const day = dayOf(SPAN_DAYS / 2);
    const runs = Number(process.env.BENCH_RUNS ?? '5');
    if (process.env.BENCH_PROFILE === '1') await profile(store.db, schema, day);
    const liveNational = await median(runs, () => buildReport(store.db, schema, { asOf: null, kind: 'live' }));
    const liveRegion = await median(runs, () =>
      buildReport(store.db, schema, { region: 'MA-09', asOf: null, kind: 'live' }),
    );
    const asOfNational = await median(runs, () => reportAsOfReadModel(store.db, { asOf: day }));
    const asOfRegion = await median(runs, () => reportAsOfReadModel(store.db, { asOf: day, region: 'MA-09' }));
    const replay =
      process.env.BENCH_REPLAY === '0' || reuse ? null : await seconds(() => reportAsOf(store, { asOf: day }));
    const http = process.env.BENCH_HTTP === '0' ? [] : await timeHttp(database.url ?? '');

    const rate = (s: number) => Math.round(events / s).toLocaleString('en');
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    const lines = [
      reuse
        ? `reporting read model, a kept database: ${events.toLocaleString('en')} events, ${projected.toLocaleString('en')} of them read by the report, PostgreSQL server`
        : `reporting read model, BENCH_SCALE=${scale}, BENCH_STORE=${WHOLE ? 'national' : 'report'}: ${events.toLocaleString('en')} events, ${projected.toLocaleString('en')} of them read by the report (${HIRES.toLocaleString('en')} hires of ${OFFERS.toLocaleString('en')} offers, ${GRANTS.toLocaleString('en')} grant files, ${SITES.toLocaleString('en')} works sites${WHOLE ? `, ${SEEKERS.toLocaleString('en')} seekers, ${DECLINED.toLocaleString('en')} proposals declined` : ''}), filled in ${built?.fillSeconds.toFixed(0)} s, PostgreSQL server`,
      '',
      '| figure | time | beside |',
      '|---|---:|---|',
      ...(built
        ? [
            `| raw baseline (read pages, bare INSERT) | ${built.raw.toFixed(2)} s | ${rate(built.raw)} ev/s |`,
            `| rebuild, blue/green | ${built.rebuilt.toFixed(2)} s | ${rate(built.rebuilt)} ev/s, ${(built.raw / built.rebuilt).toFixed(2)}× raw |`,
          ]
        : []),
      `| live report, national | ${ms(liveNational)} | |`,
      `| live report, one region (MA-09) | ${ms(liveRegion)} | |`,
      `| as of ${day}, national | ${ms(asOfNational)} | ${(asOfNational / liveNational).toFixed(2)}× live |`,
      `| as of ${day}, one region (MA-09) | ${ms(asOfRegion)} | ${(asOfRegion / liveRegion).toFixed(2)}× live |`,
      ...(replay === null
        ? []
        : [
            `| as of ${day} by replaying the store (audit CLI, the old way), national | ${replay.toFixed(2)} s | ${((replay * 1000) / asOfNational).toFixed(0)}× the read model's |`,
          ]),
      ...http,
      '',
      ...(built
        ? [
            `rebuild steps: ${Object.entries(built.steps)
              .map(([step, ms]) => `${step} ${(ms / 1000).toFixed(2)} s`)
              .join(', ')}`,
          ]
        : []),
      `reports called directly: median of ${runs} runs after one warm-up`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    // BENCH_KEEP=1 leaves the database for a look at its plans (its URL on stderr); drop it after.
    if (process.env.BENCH_KEEP === '1' || reuse)
      process.stderr.write(`kept: ${database.url ?? 'an embedded database'}\n`);
    else await database.dispose();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:reporting failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
