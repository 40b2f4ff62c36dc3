import { randomUUID } from 'node:crypto';
import { Global, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HEADERS } from '@tashghil/contracts';
import {
  EVENT_STORE,
  openStore,
  settledHorizon,
  START,
  testBackends,
  type EventStore,
  type RecordedEvent,
  type TestDatabase,
} from '@tashghil/event-store';
import {
  InboxTransport,
  InProcessBus,
  MESSAGING_MIGRATIONS,
  toOutbound,
  type OutboundMessage,
} from '@tashghil/messaging';
import { LOGGER } from '@tashghil/service-kit';
import pino from 'pino';
import { REPORTING_MIGRATIONS } from '../migrations';
import { reportAsOf } from '../report/as-of';
import { buildReport } from '../report/report.query';
import type { CommitteeReport } from '../report/report.types';
import { checksums, ensureReadModel, readSchema, rebuild, REPORTING_CONSUMER } from './generations';
import { HISTORY } from './history.fixture';
import { LiveProjection } from './live.projection';

/**
 * Delivers each stream's events in order, but the streams interleaved back to front, so facts that
 * meet in one row (an offer and its hires) arrive in the opposite order to the store's.
 */
const interleavedBackwards = (events: readonly RecordedEvent[]): RecordedEvent[] => {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
  const queues = [...byStream.values()].reverse();
  const out: RecordedEvent[] = [];
  while (queues.some((q) => q.length > 0))
    for (const q of queues) {
      const next = q.shift();
      if (next) out.push(next);
    }
  return out;
};

const find = <T extends { key: string }>(xs: readonly T[], key: string) => xs.find((x) => x.key === key);

describe.each(testBackends().map((b) => [b.name, b] as const))('the reporting read model on %s', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;
  let app: INestApplication;
  let now = new Date('2021-01-01T00:00:00.000Z');
  const bus = new InProcessBus();

  const append = async (streamId: string, type: string, data: Record<string, unknown>, at: string) => {
    now = new Date(at);
    await store.append(streamId, [{ eventId: randomUUID(), type, data }]);
  };
  const allEvents = async (): Promise<RecordedEvent[]> => {
    await settledHorizon(store.db);
    return (await store.readAll({ after: START, limit: 10_000 })).events.slice();
  };
  const latest = async (): Promise<OutboundMessage[]> => (await allEvents()).slice(-1).map(toOutbound);
  const live = async (region?: 'MA-09' | 'MA-10'): Promise<CommitteeReport> =>
    buildReport(store.db, await readSchema(store.db), { ...(region ? { region } : {}), asOf: null, kind: 'live' });

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database, [...MESSAGING_MIGRATIONS, ...REPORTING_MIGRATIONS], { clock: () => now });
    // An empty first generation, so that everything below reaches the read model through the consumer.
    await ensureReadModel(store);
    @Global()
    @Module({
      controllers: [LiveProjection],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: LOGGER, useValue: pino({ level: 'silent' }) },
      ],
    })
    class TestModule {}
    app = await NestFactory.create(TestModule, { logger: false });
    app.connectMicroservice({
      strategy: new InboxTransport({
        consumer: REPORTING_CONSUMER,
        db: database.db,
        source: { kind: 'in-process', bus },
        deadLetters: bus,
        backoffMs: () => 5,
      }),
    });
    await app.init();
    await app.startAllMicroservices();
    for (const e of HISTORY) await append(e.streamId, e.type, e.data, e.at);
    const delivery = interleavedBackwards(await allEvents()).map(toOutbound);
    await bus.publish(delivery);
    await bus.publish([...delivery].reverse().filter((m, i) => i % 2 === 0));
  });
  afterAll(async () => {
    await app.close();
    await database.dispose();
  });

  it('comes out right from events fed twice and out of order across streams', async () => {
    const gon = await live('MA-10');
    const line = (l: string) => gon.targets.find((t) => t.line === l);
    expect(line('temporary_works')).toMatchObject({ targetJobs: 3_800, achievedJobs: 2, ref: 'awrach/2022' });
    const money = (l: string) => gon.budget.find((b) => b.line === l);
    expect(money('temporary_works')).toMatchObject({
      budgetCentimes: null,
      committedCentimes: 3_000_000,
      paidCentimes: 565_742 + 119_316,
    });
    expect(gon.worksSites).toMatchObject({
      programmed: { sites: 1, jobs: 2 },
      launched: { sites: 1, jobs: 2 },
      completed: { sites: 0, jobs: 0 },
      enrolled: 2,
    });
    expect(gon.decisions.recorded.map((d) => d.decisionNumber)).toEqual(['CR-1']);
    expect(gon.decisions.onFiles).toEqual([
      { key: 'grant/approved', count: 3 },
      { key: 'works-project/approved', count: 1 },
    ]);

    const sm = await live('MA-09');
    expect(sm.targets.find((t) => t.line === 'idmaj')).toMatchObject({
      source: 'convention',
      targetJobs: 600,
      achievedJobs: 2,
    });
    expect(sm.budget.find((b) => b.line === 'region')).toMatchObject({
      stateCentimes: 0,
      regionCentimes: 150_000_000,
      budgetCentimes: 150_000_000,
    });
    expect(sm.flows.byFlow).toEqual([
      { key: 'abroad', count: 1 },
      { key: 'other_region', count: 1 },
      { key: 'own_region', count: 2 },
    ]);
    expect(sm.flows.matrix).toEqual([
      { origin: 'MA-07', destination: 'MA-09', count: 1 },
      { origin: 'MA-07', destination: 'abroad', count: 1 },
      { origin: 'MA-09', destination: 'MA-09', count: 2 },
    ]);
    expect(sm.beneficiaries.byProvince).toEqual([{ key: 'Agadir-Ida Ou Tanane', count: 2 }]);
    expect(sm.processingTimes).toEqual([
      { step: 'published_to_first_proposal', count: 2, medianDays: 10, p90Days: 11 },
      { step: 'published_to_opened_other_regions', count: 1, medianDays: 0, p90Days: 0 },
      { step: 'published_to_first_hire', count: 2, medianDays: 31, p90Days: 32 },
      { step: 'proposal_to_hire', count: 4, medianDays: 21, p90Days: 21 },
    ]);

    const national = await live();
    expect(find(national.beneficiaries.bySource, 'works')?.count).toBe(2);
    expect(national.placements.total).toBe(5);
    expect(national.timeline.find((t) => t.month === '2022-06')).toEqual({
      month: '2022-06',
      hires: 4,
      enrolments: 2,
      paidCentimes: 150_000 + 685_058,
    });
    expect(national.basis).toMatchObject({ kind: 'live', events: HISTORY.length });
  });

  it('counts a grant hire entered on the file in every breakdown, with its person’s categories', async () => {
    const b = (await live('MA-10')).beneficiaries;
    // sk-11 (works b-1, grant g2), works b-2, g1's hire entered on the file, g3's hire taken from placement pl-5.
    expect(b.total).toBe(4);
    expect(b.byGender).toEqual([
      { key: 'female', count: 2 },
      { key: 'male', count: 2 },
    ]);
    expect(b.byAgeBand).toEqual([
      { key: '25_34', count: 1 },
      { key: '55_plus', count: 2 },
      { key: 'under_25', count: 1 },
    ]);
    expect(b.byDisability).toEqual([
      { key: 'no', count: 2 },
      { key: 'yes', count: 2 },
    ]);
    expect(b.byDiploma).toEqual([
      { key: 'diploma', count: 1 },
      { key: 'none', count: 3 },
    ]);
    expect(b.byArea).toEqual([
      { key: 'rural', count: 3 },
      { key: 'urban', count: 1 },
    ]);
    expect(b.byLongTermUnemployment).toEqual([
      { key: 'no', count: 3 },
      { key: 'yes', count: 1 },
    ]);
    expect(b.byProvince).toEqual([
      { key: 'Guelmim', count: 2 },
      { key: 'Tan-Tan', count: 2 },
    ]);
  });

  it('leaves out a placement that no programme applies to, and says how many it left out', async () => {
    // pl-1 is a permanent contract in Souss-Massa: no convention line pays for it and no grant names it.
    const sm = await live('MA-09');
    expect(sm.beneficiaries.total).toBe(2);
    expect(sm.beneficiaries.byComponent).toEqual([{ key: 'idmaj_training_contracts', count: 2 }]);
    expect(sm.beneficiaries.basis).toMatchObject({ counted: [{ key: 'hire', count: 2 }], hiresLeftOut: 1 });
    const national = await live();
    expect(national.beneficiaries.basis.hiresLeftOut).toBe(2);
    expect(national.beneficiaries.basis.rule.fr).toContain('une fois dans le total');
  });

  it('counts a person enrolled on a site and hired under a grant in both components, once in the total', async () => {
    const national = (await live()).beneficiaries;
    expect(national.total).toBe(6);
    expect(national.byComponent).toEqual([
      { key: 'idmaj_training_contracts', count: 2 },
      { key: 'lasting_integration', count: 3 },
      { key: 'temporary_works', count: 2 },
    ]);
    expect(national.bySource).toEqual([
      { key: 'grant', count: 3 },
      { key: 'hire', count: 2 },
      { key: 'works', count: 2 },
    ]);
    expect(national.basis.counted).toEqual(national.bySource);
    const gon = (await live('MA-10')).beneficiaries;
    expect(gon.byComponent).toEqual([
      { key: 'lasting_integration', count: 3 },
      { key: 'temporary_works', count: 2 },
    ]);
    expect(gon.total).toBe(4);
  });

  it('releases an early-ended grant’s unpaid remainder from its line and counts its job as ended, not achieved', async () => {
    const gon = await live('MA-10');
    expect(gon.targets.find((t) => t.line === 'lasting_integration')).toMatchObject({
      targetJobs: 1_000,
      achievedJobs: 2,
      endedJobs: 1,
    });
    expect(gon.budget.find((b) => b.line === 'lasting_integration')).toMatchObject({
      budgetCentimes: 2_700_000_000,
      committedCentimes: 3 * 2_700_000 - 2_550_000,
      releasedCentimes: 2_550_000,
      paidCentimes: 150_000,
      clawedBackCentimes: 50_000,
    });
    // Before the end was recorded, g1 was an achieved job with its whole commitment.
    const july = await reportAsOf(store, { asOf: '2022-07-24', region: 'MA-10' });
    expect(july.targets.find((t) => t.line === 'lasting_integration')).toMatchObject({ achievedJobs: 1, endedJobs: 0 });
    expect(july.budget.find((b) => b.line === 'lasting_integration')).toMatchObject({
      committedCentimes: 2_700_000,
      releasedCentimes: 0,
    });
  });

  it('rebuilds from position 0 into the same tables, checksum for checksum', async () => {
    const before = await readSchema(store.db);
    const liveSums = await checksums(store.db, before);
    const result = await rebuild(store);
    expect(result.schema).not.toBe(before);
    expect(await readSchema(store.db)).toBe(result.schema);
    expect(await checksums(store.db, result.schema)).toEqual(liveSums);
  });

  it('switches blue/green: readers see the whole old generation until the new one is complete', async () => {
    const old = await readSchema(store.db);
    const seen: string[] = [];
    let appended = false;
    const result = await rebuild(store, {
      onProgress: async (done) => {
        seen.push(await readSchema(store.db));
        if (done > 0 && !appended) {
          appended = true;
          // A decision recorded and consumed while the rebuild runs reaches the new generation too.
          await append(
            'conventions.committee-gon',
            'CommitteeDecisionRecorded',
            {
              committeeId: 'gon',
              region: 'MA-10',
              programme: 'awrach',
              kind: 'technical',
              decisionNumber: 'CT-9',
              date: '2022-09-01',
              subject: 'Liste des bénéficiaires',
              outcome: 'approved',
              references: [],
              recordedBy: 'o',
              recordedAt: '2022-09-01T09:00:00.000Z',
            },
            '2022-09-01T09:00:00.000Z',
          );
          await bus.publish(await latest());
        }
      },
    });
    expect(new Set(seen)).toEqual(new Set([old]));
    expect(appended).toBe(true);
    expect(await readSchema(store.db)).toBe(result.schema);
    expect((await live('MA-10')).decisions.recorded.map((d) => d.decisionNumber)).toEqual(['CT-9', 'CR-1']);
    const switched = await checksums(store.db, result.schema);
    const again = await rebuild(store);
    expect(again.retired).toEqual([result.schema]);
    expect(await checksums(store.db, again.schema)).toEqual(switched);
  });

  it('sends a message that breaks its contract to the dead-letter topic and goes on', async () => {
    const bad: OutboundMessage = {
      topic: 'tashghil.conventions',
      key: 'conventions.committee-x',
      headers: {},
      value: JSON.stringify({
        eventId: randomUUID(),
        type: 'CommitteeDecisionRecorded',
        schemaVersion: 1,
        streamId: 'conventions.committee-x',
        streamPosition: 0,
        globalPosition: 999_999,
        recordedAt: '2022-09-02T00:00:00.000Z',
        metadata: {},
        data: { committeeId: 'x', region: 'MA-16' },
      }),
    };
    await append(
      'conventions.committee-gon',
      'CommitteeDecisionRecorded',
      {
        committeeId: 'gon',
        region: 'MA-10',
        programme: 'awrach',
        kind: 'technical',
        decisionNumber: 'CT-10',
        date: '2022-09-03',
        subject: 'Suivi',
        outcome: 'noted',
        references: [],
        recordedBy: 'o',
        recordedAt: '2022-09-03T09:00:00.000Z',
      },
      '2022-09-03T09:00:00.000Z',
    );
    await bus.publish([bad, ...(await latest())]);
    expect(bus.published('tashghil.conventions.dlq').at(-1)?.headers[HEADERS.dlqReason]).toBe('CONTRACT_VIOLATION');
    expect((await live('MA-10')).decisions.recorded.map((d) => d.decisionNumber)).toContain('CT-10');
  });

  it('answers "as of" a day with what was recorded by its end, replayed with the same projection', async () => {
    const april = await reportAsOf(store, { asOf: '2022-04-30', region: 'MA-10' });
    expect(april.targets.find((t) => t.line === 'temporary_works')).toMatchObject({
      targetJobs: 3_000,
      achievedJobs: 0,
    });
    expect(april.basis.kind).toBe('replay');
    const may = await reportAsOf(store, { asOf: '2022-05-31', region: 'MA-10' });
    expect(may.targets.find((t) => t.line === 'temporary_works')).toMatchObject({ targetJobs: 3_800, achievedJobs: 0 });
    expect(may.budget.find((b) => b.line === 'temporary_works')?.committedCentimes).toBe(3_000_000);
    expect(may.budget.find((b) => b.line === 'lasting_integration')?.committedCentimes).toBe(0);
    const progress: number[][] = [];
    const end = await reportAsOf(store, {
      asOf: '2030-01-01',
      onProgress: (done, total) => {
        progress.push([done, total]);
      },
    });
    const { basis: _a, generatedAt: _b, asOf: _c, ...replayed } = end;
    const { basis: _d, generatedAt: _e, asOf: _f, ...current } = await live();
    expect(replayed).toEqual(current);
    expect(progress.at(-1)).toEqual([end.basis.events, end.basis.events]);
    const { rows } = await store.db.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'reporting_asof_%'`);
    expect(rows).toEqual([]);
  });

  it('rebuilds on start when the active generation was built by another layout, and not otherwise', async () => {
    expect(await ensureReadModel(store)).toBeUndefined();
    const before = await readSchema(store.db);
    const sums = await checksums(store.db, before);
    await store.db.query(`UPDATE reporting.generations SET layout = layout - 1 WHERE state = 'active'`);
    const built = await ensureReadModel(store);
    expect(built?.retired).toEqual([before]);
    expect(await checksums(store.db, await readSchema(store.db))).toEqual(sums);
  });

  it('refuses a day that is not a date, naming the field', async () => {
    await expect(reportAsOf(store, { asOf: '2022-02-30' })).rejects.toMatchObject({
      code: 'INVALID_AS_OF',
      fields: [{ path: 'asOf' }],
    });
  });
});
