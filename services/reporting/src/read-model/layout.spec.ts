import { contractFor } from '@tashghil/contracts';
import { placements } from './placements.projection';
import { LAYOUT, layoutVersion, READ_MODELS, TABLES } from './layout';
import { PROJECTED_TYPES } from './projection';
import { readModel, type AnyReadModel, type Handler } from './read-model';

const changed = (model: AnyReadModel, change: Partial<AnyReadModel>): readonly AnyReadModel[] =>
  READ_MODELS.map((m) => (m === model ? { ...m, ...change } : m));

describe('the layout, derived from the read models', () => {
  it('lists the applied events, their count per day and every read model’s tables, each once', () => {
    expect(TABLES[0]).toBe('applied');
    expect(TABLES).toEqual(['applied', 'applied_days', ...READ_MODELS.flatMap((m) => Object.keys(m.tables))]);
    expect(new Set(TABLES).size).toBe(TABLES.length);
    expect(TABLES).toEqual(expect.arrayContaining(['offers', 'proposals', 'placements', 'beneficiaries']));
  });

  it('subscribes to every type some read model handles, each once and each with a contract', () => {
    const handled = READ_MODELS.flatMap((m) => Object.keys(m.handlers));
    expect([...PROJECTED_TYPES].sort()).toEqual([...new Set(handled)].sort());
    expect([...PROJECTED_TYPES].sort()).toEqual(
      [
        ...['ConventionDrafted', 'ConventionSigned', 'ConventionAmended', 'ConventionClosed'],
        ...['ProgrammeTargetsSet', 'CommitteeDecisionRecorded'],
        ...['OfferPublished', 'OfferOpenedToOtherRegions', 'PlacementProposed', 'SeekerHired'],
        ...['WorksProjectProposed', 'WorksProjectDecided', 'WorksCommitmentRevised', 'WorksSiteLaunched'],
        ...['WorksSiteCompleted', 'WorksBeneficiaryEnrolled', 'WorksPayrollRecorded'],
        ...['GrantApplied', 'GrantDecided', 'GrantPaymentRecorded', 'GrantContractEnded', 'GrantClawbackClaimed'],
      ].sort(),
    );
    for (const type of PROJECTED_TYPES) expect(contractFor(type)).toBeDefined();
  });

  it('numbers the layout from the read models, within the integer column that stores it', () => {
    expect(LAYOUT).toBe(layoutVersion(READ_MODELS));
    expect(Number.isInteger(LAYOUT)).toBe(true);
    expect(LAYOUT).toBeGreaterThanOrEqual(0);
    expect(LAYOUT).toBeLessThan(2 ** 31);
  });

  it('changes the layout with any table’s DDL, a new table or a read model’s revision', () => {
    const { offers } = placements.tables;
    const withColumn = changed(placements, {
      tables: { ...placements.tables, offers: (s) => offers(s).replace('mass boolean,', 'mass boolean, sector text,') },
    });
    const withTable = changed(placements, {
      tables: { ...placements.tables, hires_by_day: (s) => `CREATE TABLE ${s}.hires_by_day (day date PRIMARY KEY);` },
    });
    const revised = changed(placements, { revision: placements.revision + 1 });
    const versions = [READ_MODELS, withColumn, withTable, revised].map(layoutVersion);
    expect(new Set(versions).size).toBe(4);
  });

  it('keeps the layout when a DDL is only reflowed or commented', () => {
    const { offers } = placements.tables;
    const reflowed = changed(placements, {
      tables: {
        ...placements.tables,
        offers: (s) => `-- Offers and their milestones.\n${offers(s).replaceAll(', ', ',\n    ')}`,
      },
    });
    expect(layoutVersion(reflowed)).toBe(LAYOUT);
  });
});

describe('a read model’s handlers', () => {
  // The directives below are checked by `npm run typecheck`: each fails it if its line compiles.
  const recordHire: Handler<'SeekerHired'> = async () => undefined;

  it('take the data of the event type they are keyed by', () => {
    const model = readModel({
      revision: 1,
      tables: {},
      handlers: {
        SeekerHired: recordHire,
        // @ts-expect-error: a hire's handler cannot stand under WorksSiteLaunched, whose data names no seeker.
        WorksSiteLaunched: recordHire,
      },
    });
    expect(Object.keys(model.handlers)).toEqual(['SeekerHired', 'WorksSiteLaunched']);
  });

  it('read only what their event’s contract holds', () => {
    const model = readModel({
      revision: 1,
      tables: {},
      handlers: {
        WorksSiteCompleted: async (q, s, completed) => {
          // @ts-expect-error: a completion names its site, not a seeker.
          await q.query(`SELECT $1 FROM ${s}.x`, [completed.seekerId]);
        },
      },
    });
    expect(Object.keys(model.handlers)).toEqual(['WorksSiteCompleted']);
  });

  it('are keyed by integration event types only', () => {
    const model = readModel({
      revision: 1,
      tables: {},
      handlers: {
        SeekerHired: recordHire,
        // @ts-expect-error: no contract declares WorksSiteAbandoned.
        WorksSiteAbandoned: async () => undefined,
      },
    });
    expect(Object.keys(model.handlers)).toEqual(['SeekerHired', 'WorksSiteAbandoned']);
  });
});
