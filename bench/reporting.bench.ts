/**
 * Rebuild and "as of" replay speed of the reporting read model on the PostgreSQL server, each set
 * against a raw baseline measured in the same run: reading the same events page by page and
 * inserting one bare row per event into an unindexed table. See bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import { REGION_CODES } from '@tashghil/contracts';
import { openStore, openServerDatabase, START, type NewEvent } from '@tashghil/event-store';
import { MESSAGING_MIGRATIONS } from '@tashghil/messaging';
import {
  buildReport,
  ensureReadModel,
  readSchema,
  rebuild,
  REPORTING_MIGRATIONS,
  reportAsOf,
} from '@tashghil/reporting';

const scale = Number(process.env.BENCH_SCALE ?? '1');
if (!Number.isFinite(scale) || scale <= 0)
  throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`);
const HIRES = Math.round(10_000 * scale);
const OFFERS = Math.max(1, Math.round(HIRES / 20));

const region = (i: number) => REGION_CODES[i % REGION_CODES.length] ?? 'MA-09';

const offerEvents = (i: number): NewEvent[] => [
  {
    eventId: randomUUID(),
    type: 'OfferPublished',
    data: {
      offerId: `o${i}`,
      on: '2022-03-01',
      by: 'bench',
      region: region(i),
      occupation: '8211',
      positions: 40,
      mass: i % 4 === 0,
      opensToOtherRegionsOn: '2022-03-16',
    },
  },
];

const hireEvents = (i: number): NewEvent[] => {
  const flow = i % 10 === 0 ? 'abroad' : i % 3 === 0 ? 'other_region' : 'own_region';
  const destination = region(i % OFFERS);
  const origin = flow === 'own_region' ? destination : region(i + 5);
  const day = `2022-${String(4 + (i % 8)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`;
  return [
    {
      eventId: randomUUID(),
      type: 'PlacementProposed',
      data: {
        placementId: `p${i}`,
        on: '2022-03-20',
        seekerId: `s${i}`,
        offerId: `o${i % OFFERS}`,
        score: 60,
        parts: { occupation: 40, skills: 10, education: 5, distance: 3, priority: 2 },
        reasons: ['bench'],
      },
    },
    {
      eventId: randomUUID(),
      type: 'SeekerHired',
      data: {
        placementId: `p${i}`,
        on: day,
        seekerId: `s${i}`,
        offerId: `o${i % OFFERS}`,
        employer: { kind: 'company', id: `e${i % 50}`, sector: ['automobile', 'agro', 'tourism'][i % 3] },
        occupation: '8211',
        origin: { region: origin, province: `prov-${i % 7}` },
        destination:
          flow === 'abroad'
            ? { region: destination, province: 'x', abroadCountry: 'ES' }
            : { region: destination, province: `prov-${i % 5}` },
        flow,
        contractType: i % 4 === 0 ? 'idmaj' : 'permanent',
        startDate: day,
        contractMonths: 24,
        monthlyWageCentimes: 300_000,
        categories: {
          gender: i % 3 === 0 ? 'female' : 'male',
          ageBand: ['under_25', '25_34', '35_54', '55_plus'][i % 4],
          disability: i % 13 === 0,
          hasDiploma: i % 2 === 0,
          area: i % 2 === 0 ? 'urban' : 'rural',
          monthsRegistered: i % 40,
          longTermUnemployed: i % 3 === 0,
          pandemicJobLoss: false,
        },
      },
    },
  ];
};

const seconds = async (work: () => Promise<unknown>): Promise<number> => {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

const main = async (): Promise<void> => {
  const database = await openServerDatabase();
  try {
    const store = await openStore(database, [...MESSAGING_MIGRATIONS, ...REPORTING_MIGRATIONS]);
    await ensureReadModel(store);
    await store.db.transaction(async (tx) => {
      for (let i = 0; i < OFFERS; i += 1)
        await store.appendInTransaction(tx, `matching.offer-o${i}`, offerEvents(i), 'no_stream');
      for (let i = 0; i < HIRES; i += 1)
        await store.appendInTransaction(tx, `matching.placement-p${i}`, hireEvents(i), 'no_stream');
    });
    const events = OFFERS + 2 * HIRES;

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
    const rebuilt = await seconds(() => rebuild(store));
    const asOf = await seconds(() => reportAsOf(store, { asOf: '2030-01-01' }));
    const schema = await readSchema(store.db);
    const national = await seconds(() => buildReport(store.db, schema, { asOf: null, kind: 'live' }));
    const regional = await seconds(() => buildReport(store.db, schema, { region: 'MA-09', asOf: null, kind: 'live' }));

    const rate = (s: number) => Math.round(events / s).toLocaleString('en');
    const lines = [
      `reporting read model, ${events.toLocaleString('en')} events (${HIRES.toLocaleString('en')} hires, ${OFFERS} offers), PostgreSQL server`,
      `  raw baseline (read pages, bare INSERT)   ${raw.toFixed(2)} s   ${rate(raw)} ev/s`,
      `  rebuild, blue/green                      ${rebuilt.toFixed(2)} s   ${rate(rebuilt)} ev/s   ${(raw / rebuilt).toFixed(2)}× raw`,
      `  report as of a day (replay + queries)    ${asOf.toFixed(2)} s   ${rate(asOf)} ev/s   ${(raw / asOf).toFixed(2)}× raw`,
      `  live report, national                    ${(national * 1000).toFixed(0)} ms`,
      `  live report, one region                  ${(regional * 1000).toFixed(0)} ms`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await database.dispose();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`bench:reporting failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
