import { randomUUID } from 'node:crypto';
import { contractFor } from '@tashghil/contracts';
import { testBackends, type TestDatabase } from '@tashghil/event-store';
import { buildReport } from '../report/report.query';
import { createTables } from './layout';
import { projectAll, type ProjectedEvent } from './projection';

/**
 * Two Guelmim-Oued Noun sites of 2 jobs, July–October 2022, paid to plan (26 days a month each).
 * By hand, a job-month at the SMIG of July is 2,828.71 MAD gross + 596.58 MAD employer contributions;
 * from 1 September 2,970.05 + 626.38 MAD. A month's payroll for 2 jobs is so 5,657.42 + 1,193.16 MAD,
 * then 5,940.10 + 1,252.76 MAD; the four months 2 × (6,850.58 + 7,192.86) = 28,086.88 MAD.
 * The first site committed that at its approval; the second was approved before the September SMIG
 * was known (2 × 4 × 3,425.29 = 27,402.32 MAD) and re-committed when its September payroll met it.
 */
const SITE = 2_808_688;
const share = (centimes: number) => ({
  programme: 'awrach',
  year: 2022,
  component: 'temporary_works',
  jobs: 2,
  centimes,
});
const eligibility = {
  scheme: 'awrach-works',
  on: '2022-06-10',
  parametersKnownAt: '2022-06-10T00:00:00.000Z',
  outcome: 'eligible',
  rules: [],
};
const payroll = (projectId: string, month: string, grossCentimes: number, employerCentimes: number) => ({
  type: 'WorksPayrollRecorded',
  data: {
    projectId,
    region: 'MA-10',
    month,
    lines: [],
    totals: { grossCentimes, employeeCentimes: 0, employerCentimes, netCentimes: grossCentimes },
  },
});
const site = (projectId: string, approved: number): Array<{ type: string; data: Record<string, unknown> }> => [
  {
    type: 'WorksProjectProposed',
    data: {
      projectId,
      region: 'MA-10',
      province: 'Assa-Zag',
      scheme: 'awrach-works',
      promoter: { kind: 'cooperative', id: 'c', name: 'Coopérative' },
      kind: 'small',
      title: 'Oasis',
      jobs: 2,
      months: 4,
      start: '2022-07-01',
      end: '2022-10-31',
      monthlyWageCentimes: 282_871,
      budgetCentimes: approved,
      proposedOn: '2022-06-10',
      eligibility,
    },
  },
  {
    type: 'WorksProjectDecided',
    data: {
      projectId,
      region: 'MA-10',
      outcome: 'approved',
      decisionNumber: `CT-${projectId}`,
      date: '2022-06-20',
      envelope: share(approved),
    },
  },
  payroll(projectId, '2022-07', 565_742, 119_316),
  payroll(projectId, '2022-08', 565_742, 119_316),
  payroll(projectId, '2022-09', 594_010, 125_276),
  payroll(projectId, '2022-10', 594_010, 125_276),
];
const revised = (projectId: string, revision: number, previousCentimes: number, centimes: number) => ({
  type: 'WorksCommitmentRevised',
  data: {
    projectId,
    region: 'MA-10',
    revision,
    on: '2022-10-01',
    reason: 'parameters',
    previousCentimes,
    envelope: share(centimes),
    plan: { months: [], wagesCentimes: 0, employerCentimes: 0, totalCentimes: centimes, parameters: [] },
  },
});

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'works commitments in the read model on %s',
  (_n, backend) => {
    let database: TestDatabase;
    let position = 0;
    const schema = 'reporting_works_commitment';
    const feed = async (events: ReadonlyArray<{ type: string; data: Record<string, unknown> }>): Promise<void> => {
      const items = events.map(({ type, data }) => {
        // Each event is one its producer's contract accepts.
        expect(contractFor(type)?.versions[1]?.safeParse(data).success).toBe(true);
        position += 1;
        const event: ProjectedEvent = {
          eventId: randomUUID(),
          type,
          globalPosition: position,
          recordedAt: '2022-11-05T00:00:00.000Z',
        };
        return { event, data };
      });
      await projectAll(database.db, schema, items);
    };
    const works = async () =>
      (await buildReport(database.db, schema, { region: 'MA-10', asOf: null, kind: 'live' })).budget.find(
        (b) => b.line === 'temporary_works',
      );

    beforeAll(async () => {
      database = await backend.open();
      await createTables(database.db, schema);
    });
    afterAll(async () => {
      await database.dispose();
    });

    it('shows a site paid to plan at 100 % of its commitment, re-committed or not', async () => {
      const late = site('gon-late', 2 * 4 * 342_529);
      await feed([
        ...site('gon-on-plan', SITE),
        ...late.slice(0, 4),
        revised('gon-late', 1, 2 * 4 * 342_529, SITE),
        ...late.slice(4),
      ]);
      expect(await works()).toMatchObject({ committedCentimes: 2 * SITE, paidCentimes: 2 * SITE });
    });

    it('keeps the highest revision of a commitment, whatever arrives after it', async () => {
      await feed([revised('gon-late', 3, SITE, SITE + 100), revised('gon-late', 2, SITE, SITE + 50)]);
      expect((await works())?.committedCentimes).toBe(2 * SITE + 100);
    });
  },
);
