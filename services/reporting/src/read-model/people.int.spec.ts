import { openPgliteDatabase, type TestDatabase } from '@tashghil/event-store';
import type { GivenEvent } from '@tashghil/testing';
import { beneficiariesOf } from '../report/beneficiaries.query';
import { beneficiariesScanned } from '../report/beneficiaries.scan.fixture';
import { grantApplied, grantDecided, seekerHired, worksBeneficiaryEnrolled } from './events.fixture';
import { createTables } from './layout';
import { project } from './projection';

/**
 * The beneficiaries tally on cases a generated history does not reach: facts of one person that
 * name another's, and a decision taken back. Each event is projected on its own day, in the order
 * given, and the tally must agree with a scan of the facts by the rule on every day and now.
 */
describe('the people counted as beneficiaries', () => {
  let database: TestDatabase;
  let generations = 0;
  const dayOf = (n: number) => new Date(Date.UTC(2022, 5, 1 + n)).toISOString().slice(0, 10);

  const given = async (events: readonly GivenEvent[]): Promise<string> => {
    generations += 1;
    const schema = `reporting_p${generations}`;
    await createTables(database.db, schema);
    for (const [i, e] of events.entries())
      await database.db.transaction((tx) =>
        project(
          tx,
          schema,
          {
            eventId: e.eventId ?? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            type: e.type,
            globalPosition: i + 1,
            recordedAt: `${dayOf(i)}T10:00:00.000Z`,
          },
          e.data,
        ),
      );
    return schema;
  };

  /** Compares on every day of the history and now, nationally and in both regions; returns the totals now. */
  const agree = async (schema: string, days: number) => {
    for (const day of [...Array.from({ length: days }, (_, i) => dayOf(i)), null])
      for (const region of [null, 'MA-09', 'MA-10'])
        expect({ day, region, ...(await beneficiariesOf(database.db, schema, region, day)) }).toEqual({
          day,
          region,
          ...(await beneficiariesScanned(database.db, schema, region, day)),
        });
    return beneficiariesOf(database.db, schema, null, null);
  };

  beforeAll(async () => {
    database = await openPgliteDatabase();
  });
  afterAll(async () => {
    await database.dispose();
  });

  it("takes an older grant file's categories from the hire it names, when the hire comes after it, whoever's it is", async () => {
    const categories = { ...seekerHired().data.categories, gender: 'female' as const };
    const schema = await given([
      grantApplied({
        grantId: 'g-q',
        region: 'MA-09',
        hire: {
          source: 'matching',
          placementId: 'pl-p',
          seekerId: 'sk-q',
          startDate: dayOf(0),
          contractMonths: 24,
          monthlyWageCentimes: 300_000,
        },
        beneficiary: undefined,
      }),
      grantDecided({ grantId: 'g-q', region: 'MA-09', date: dayOf(1) }),
      seekerHired({ placementId: 'pl-p', seekerId: 'sk-p', contractType: 'permanent', categories }),
    ]);
    const now = await agree(schema, 3);
    expect(now.byGender).toEqual([{ key: 'female', count: 1 }]);
    // The hire counts through the grant file that names it, though the file names another seeker.
    expect(now.basis.hiresLeftOut).toBe(0);
  });

  it('counts a grant file no longer once its approval is taken back, from the day it is', async () => {
    const schema = await given([
      worksBeneficiaryEnrolled({ seekerId: 'sk-1', region: 'MA-10' }),
      grantApplied({ grantId: 'g-1', region: 'MA-10' }),
      grantDecided({ grantId: 'g-1', region: 'MA-10', date: dayOf(2), decisionNumber: 'CT-1' }),
      grantDecided({ grantId: 'g-1', region: 'MA-10', date: dayOf(3), decisionNumber: 'CT-2', outcome: 'rejected' }),
    ]);
    const now = await agree(schema, 4);
    const components = async (day: string) =>
      (await beneficiariesOf(database.db, schema, null, day)).byComponent.map((c) => c.key);
    expect(await components(dayOf(2))).toEqual(['lasting_integration', 'temporary_works']);
    expect(now.byComponent.map((c) => c.key)).toEqual(['temporary_works']);
  });
});
