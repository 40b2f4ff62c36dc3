import { randomUUID } from 'node:crypto';
import {
  openStore,
  settledHorizon,
  START,
  testBackends,
  type EventStore,
  type RecordedEvent,
  type TestDatabase,
} from '@tashghil/event-store';
import { MESSAGING_MIGRATIONS } from '@tashghil/messaging';
import { checksums, ensureReadModel, readSchema, rebuild } from '../read-model/generations';
import { dayOf, generatedHistory } from '../read-model/generated-history.fixture';
import { endOfDay, rowsAt } from '../read-model/bitemporal';
import { TALLIES } from '../read-model/layout';
import { LINE_TALLIES } from '../read-model/lines.projection';
import { offerMilestones } from '../read-model/placements.projection';
import { project } from '../read-model/projection';
import { REPORTING_MIGRATIONS } from '../migrations';
import { reportAsOf, reportAsOfReadModel } from './as-of';
import { beneficiariesOf } from './beneficiaries.query';
import { daysOf } from './report.query';
import { beneficiariesScanned } from './beneficiaries.scan.fixture';
import type { CommitteeReport } from './report.types';

/** Each stream's events in order, the streams interleaved back to front, as a consumer may receive them. */
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

/** The report's figures: what the two ways of reaching them must agree on (not when, not how). */
const figures = ({ generatedAt: _g, basis: { kind: _k, ...basis }, ...report }: CommitteeReport) => ({
  ...report,
  basis,
});

/**
 * The oracle: on a generated history, the report as of each day, read from the bitemporal read
 * model, is the report a replay of the store up to the end of that day gives, nationally and per
 * region; with the read model fed out of order by the live projection, and rebuilt page by page.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))('the report as of a day on %s', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;
  let now = new Date('2022-01-01T00:00:00.000Z');
  const history = generatedHistory(15, 1);
  const days = [-1, 3, 8, 15, 19, 27, 36, 70].map(dayOf);
  const scopes = [undefined, 'MA-09', 'MA-10'] as const;

  const compareWithReplay = async (): Promise<number> => {
    let compared = 0;
    for (const asOf of days)
      for (const region of scopes) {
        const options = { asOf, ...(region ? { region } : {}) };
        const [read, replayed] = [await reportAsOfReadModel(store.db, options), await reportAsOf(store, options)];
        expect({ day: asOf, region, ...figures(read) }).toEqual({ day: asOf, region, ...figures(replayed) });
        expect([read.basis.kind, replayed.basis.kind]).toEqual(['as_of', 'replay']);
        compared += 1;
      }
    return compared;
  };

  /** The beneficiaries from their tally, against a scan of the facts by the rule, as of each day. */
  const compareBeneficiaries = async (): Promise<number> => {
    const s = await readSchema(store.db);
    let compared = 0;
    for (const day of [...days, null])
      for (const region of scopes) {
        const [kept, scanned] = [
          await beneficiariesOf(store.db, s, region ?? null, day),
          await beneficiariesScanned(store.db, s, region ?? null, day),
        ];
        expect({ day, region, ...kept }).toEqual({ day, region, ...scanned });
        compared += kept.total > 0 ? 1 : 0;
      }
    return compared;
  };

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database, [...MESSAGING_MIGRATIONS, ...REPORTING_MIGRATIONS], { clock: () => now });
    await ensureReadModel(store);
    for (const e of history) {
      now = new Date(e.at);
      await store.append(e.streamId, [{ eventId: randomUUID(), type: e.type, data: e.data }]);
    }
    await settledHorizon(store.db);
    const all = (await store.readAll({ after: START, limit: 100_000, decrypt: false })).events;
    const schema = await readSchema(store.db);
    for (const e of interleavedBackwards(all)) await store.db.transaction((tx) => project(tx, schema, e, e.data));
  });
  afterAll(async () => {
    await database.dispose();
  });

  it('covers the history it is meant to: files that change, several regions, days before and after', async () => {
    const types = new Set(history.map((e) => e.type));
    expect(types.size).toBe(22);
    const last = await reportAsOfReadModel(store.db, { asOf: dayOf(70) });
    expect(last.basis.events).toBe(history.length);
    expect(last.placements.total).toBeGreaterThan(5);
    expect((await reportAsOfReadModel(store.db, { asOf: dayOf(-1) })).basis.events).toBe(0);
  });

  it('gives, as of each day, what a replay up to its end gives, with the read model fed out of order', async () => {
    expect(await compareWithReplay()).toBe(days.length * scopes.length);
  });

  it('counts the beneficiaries as a scan of every fact by the rule counts them, as of every day', async () => {
    // Three days of the nine are before the first beneficiary.
    expect(await compareBeneficiaries()).toBe(6 * scopes.length);
    const now = await beneficiariesOf(store.db, await readSchema(store.db), null, null);
    expect(now.byComponent.map((c) => c.key)).toEqual([
      'idmaj_training_contracts',
      'lasting_integration',
      'temporary_works',
    ]);
    expect(now.basis.hiresLeftOut).toBeGreaterThan(0);
  });

  it('keeps each tally equal to the rows it adds up, as of every day', async () => {
    const s = await readSchema(store.db);
    const checked = new Set<string>();
    // Two sources add to the waits, each the pairs it completes: the pairs are checked from one.
    for (const tally of TALLIES(s)) {
      checked.add(tally.table);
      const by = tally.by.map(([name]) => name);
      const totals = tally.add.map(([name]) => name);
      for (const day of days) {
        const summed = await store.db.query(
          `SELECT ${by.join(', ')}, ${totals.map((t) => `sum(${t})::text AS ${t}`).join(', ')} FROM ${s}.${tally.table}
            WHERE day <= $1::date GROUP BY ${by.join(', ')} ORDER BY ${by.join(', ')}`,
          [day],
        );
        const counted = await store.db.query(
          `SELECT ${tally.by.map(([name, expr]) => `${expr} AS ${name}`).join(', ')},
                  ${tally.add.map(([name, aggregate]) => `${aggregate}::text AS ${name}`).join(', ')}
             FROM ${s}.${tally.source} f ${tally.join ?? ''}
            WHERE ${tally.day ?? `(f.valid_from AT TIME ZONE 'UTC')::date`} <= $1::date
            GROUP BY ${by.map((_, i) => i + 1).join(', ')} ORDER BY ${by.map((_, i) => i + 1).join(', ')}`,
          [day],
        );
        expect({ table: tally.table, day, rows: summed.rows }).toEqual({ table: tally.table, day, rows: counted.rows });
      }
      expect((await store.db.query(`SELECT 1 FROM ${s}.${tally.table}`)).rows.length).toBeGreaterThan(0);
    }
    expect([...checked].sort()).toEqual([
      'enrolments_by_month',
      'hire_waits',
      'hires_by_contract',
      'hires_by_flow',
      'paid_by_month',
    ]);
  });

  it('keeps each tally by programme line equal to its facts under the lines their files stood under, as of every day', async () => {
    const s = await readSchema(store.db);
    let compared = 0;
    for (const t of LINE_TALLIES) {
      const by = t.by.map(([name]) => name);
      const totals = t.add.map(([name]) => name);
      for (const day of [...days, null]) {
        const at = (table: string) => rowsAt(s, table, day === null ? null : endOfDay(day));
        const summed = await store.db.query(
          `SELECT ${by.join(', ')}, ${totals.map((n) => `sum(${n})::text AS ${n}`).join(', ')} FROM ${s}.${t.table}
            WHERE $1::date IS NULL OR day <= $1::date GROUP BY ${by.join(', ')}
           HAVING ${totals.map((n) => `sum(${n}) <> 0`).join(' OR ')} ORDER BY ${by.join(', ')}`,
          [day],
        );
        const pairs = t.facts
          ? `${at(t.facts.table)} f JOIN ${at(t.versions)} v ON ${t.facts.on}`
          : `${at(t.versions)} v`;
        const scanned = await store.db.query(
          `SELECT ${t.by.map(([name, , expr]) => `${expr} AS ${name}`).join(', ')},
                  ${t.add.map(([name, value]) => `sum(${value})::text AS ${name}`).join(', ')}
             FROM ${pairs} WHERE ${t.where} GROUP BY ${by.map((_, i) => i + 1).join(', ')}
           HAVING ${t.add.map(([, value]) => `sum(${value}) <> 0`).join(' OR ')} ORDER BY ${by.map((_, i) => i + 1).join(', ')}`,
        );
        expect({ table: t.table, day, rows: summed.rows }).toEqual({ table: t.table, day, rows: scanned.rows });
        compared += summed.rows.length;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it("gives each offer's waits as a scan of its proposals and hires gives them, as of every day", async () => {
    const s = await readSchema(store.db);
    let compared = 0;
    for (const day of [...days, null])
      for (const region of scopes) {
        const at = (table: string) => rowsAt(s, table, day === null ? null : endOfDay(day));
        const { rows } = await store.db.query<Record<string, string | number | null>>(
          `SELECT ${daysOf('opened', 'opened')}, ${daysOf('proposal', 'proposal')}, ${daysOf('hire', 'hire')}
             FROM (SELECT opened_on - published_on AS opened, first_proposal_on - published_on AS proposal,
                          first_hire_on - published_on AS hire
                     FROM (${offerMilestones(at)}) o WHERE $1::text IS NULL OR region = $1) d`,
          [region ?? null],
        );
        const scanned = rows[0] ?? {};
        const step = (name: string) => ({
          count: Number(scanned[`${name}_n`]),
          medianDays: scanned[`${name}_p50`] ?? null,
          p90Days: scanned[`${name}_p90`] ?? null,
        });
        const report = await reportAsOfReadModel(store.db, { asOf: day ?? dayOf(400), ...(region ? { region } : {}) });
        expect(report.processingTimes.slice(0, 3).map(({ step: _s, ...figures }) => figures)).toEqual([
          step('proposal'),
          step('opened'),
          step('hire'),
        ]);
        compared += step('proposal').count > 0 ? 1 : 0;
      }
    expect(compared).toBeGreaterThan(10);
  });

  it('gives the same after a rebuild page by page, checksum for checksum', async () => {
    const before = await checksums(store.db, await readSchema(store.db));
    const rebuilt = await rebuild(store);
    expect(await checksums(store.db, rebuilt.schema)).toEqual(before);
    expect(await compareWithReplay()).toBe(days.length * scopes.length);
    expect(await compareBeneficiaries()).toBe(6 * scopes.length);
  });

  it('sees a change only from the day it was recorded: a convention amended, then closed in the same instant', async () => {
    const amendedOn = dayOf(19);
    const before = await reportAsOfReadModel(store.db, { asOf: dayOf(18), region: 'MA-10' });
    const after = await reportAsOfReadModel(store.db, { asOf: amendedOn, region: 'MA-10' });
    const idmaj = (r: CommitteeReport) => r.targets.find((t) => t.source === 'convention' && t.line === 'idmaj');
    expect(idmaj(before)?.targetJobs).toBe(100);
    expect(idmaj(after)?.targetJobs).toBe(150);
    const { rows } = await store.db.query<{ status: string }>(
      `SELECT status FROM ${await readSchema(store.db)}.conventions WHERE convention_id = 'conv-MA-10' ORDER BY valid_from`,
    );
    expect(rows.map((r) => r.status)).toEqual(['drafted', 'signed', 'terminated']);
  });
});
