import { contractFor } from '@tashghil/contracts';
import { givenFor } from '@tashghil/testing';
import { envelopeDecider, type EnvelopeCommand, type EnvelopeEvent } from '../envelope/envelope.decider';
import { BASELINE, type ParameterTable } from '../rules/parameters';
import {
  envelopeReservation,
  worksProjectDecider,
  type WorksProjectCommand,
  type WorksProjectEvent,
} from './works-project.decider';

const given = givenFor(worksProjectDecider);
type Of<T extends WorksProjectCommand['type']> = Extract<WorksProjectCommand, { type: T }>;
const cmd = <T extends WorksProjectCommand['type']>(
  type: T,
  data: Omit<Of<T>['data'], 'table'>,
  day: string,
  table: ParameterTable = BASELINE,
): Of<T> =>
  ({
    type,
    data: { ...data, table },
    metadata: {
      now: `${day}T09:00:00.000Z`,
      actor: 'o',
      roles: ['officer'],
      region: 'MA-10',
      correlationId: 'c',
      commandId: `k-${type}-${day}`,
    },
  }) as unknown as Of<T>;

const run = (
  commands: readonly WorksProjectCommand[],
  from: readonly WorksProjectEvent[] = [],
): WorksProjectEvent[] => {
  let state = from.reduce(worksProjectDecider.evolve, worksProjectDecider.initialState());
  const events = [...from];
  for (const c of commands) {
    const decided = worksProjectDecider.decide(c, state);
    state = decided.reduce(worksProjectDecider.evolve, state);
    events.push(...decided);
  }
  return events;
};
const committed = (events: readonly WorksProjectEvent[]): number | undefined => {
  const s = events.reduce(worksProjectDecider.evolve, worksProjectDecider.initialState());
  return s.status === 'none' ? undefined : s.commitment?.envelope.centimes;
};
const paid = (events: readonly WorksProjectEvent[]): number =>
  events.reduce(
    (n, e) =>
      n + (e.type === 'WorksPayrollRecorded' ? e.data.totals.grossCentimes + e.data.totals.employerCentimes : 0),
    0,
  );
const revisions = (events: readonly WorksProjectEvent[]) =>
  events.flatMap((e) => (e.type === 'WorksCommitmentRevised' ? [e] : []));

/**
 * The issue's second site: July–October 2022 in Guelmim-Oued Noun, 2 jobs at the SMIG of July.
 * By hand (payroll.spec.ts): 2 × (2 × 3,425.29 + 2 × 3,596.43) = 28,086.88 MAD; wages alone were 22,629.68 MAD.
 */
const SITE_B = 2 * (2 * (282_871 + 59_658) + 2 * (297_005 + 62_638));
const categories = {
  gender: 'male',
  ageBand: '25_34',
  disability: false,
  hasDiploma: false,
  area: 'rural',
  longTermUnemployed: false,
} as const;

const siteB = (table: ParameterTable = BASELINE, launchOn = '2022-07-01'): WorksProjectEvent[] =>
  run([
    cmd(
      'ProposeWorksProject',
      {
        projectId: 'gon-assa-2022',
        region: 'MA-10',
        province: 'Assa-Zag',
        promoter: { kind: 'cooperative', id: 'coop', name: 'Coopérative' },
        kind: 'small',
        title: 'Nettoyage de l’oasis',
        jobs: 2,
        months: 4,
        start: '2022-07-01',
        end: '2022-10-31',
        monthlyWageCentimes: 282_871,
        proposedOn: '2022-06-10',
      },
      '2022-06-10',
      table,
    ),
    cmd('DecideWorksProject', { outcome: 'approved', decisionNumber: 'CT-7', date: '2022-06-20' }, '2022-06-20', table),
    cmd('LaunchWorksSite', { on: launchOn }, launchOn, table),
    ...['b-1', 'b-2'].map((b) =>
      cmd(
        'EnrolBeneficiary',
        { beneficiaryId: b, source: 'matching', seekerId: `sk-${b}`, on: launchOn, categories },
        launchOn,
        table,
      ),
    ),
  ]);
const payroll = (month: string, day: string, table: ParameterTable = BASELINE) =>
  cmd(
    'RecordPayroll',
    {
      month,
      lines: [
        { beneficiaryId: 'b-1', days: 26 },
        { beneficiaryId: 'b-2', days: 26 },
      ],
    },
    day,
    table,
  );
const toPlan = (table: ParameterTable = BASELINE) => [
  payroll('2022-07', '2022-08-01', table),
  payroll('2022-08', '2022-09-01', table),
  payroll('2022-09', '2022-10-01', table),
  payroll('2022-10', '2022-11-01', table),
];

/** The table as the platform would have had it had it learnt the September 2022 SMIG only on 20 September. */
const LEARNT_LATE: ParameterTable = BASELINE.map((v) =>
  v.name === 'smig.hourly' && v.effectiveFrom === '2022-09-01' ? { ...v, recordedAt: '2022-09-20T00:00:00.000Z' } : v,
);

describe('a works site’s commitment', () => {
  it('commits wages and employer contributions at the SMIG of each month, so a site paid to plan is paid exactly what it committed', () => {
    const site = siteB();
    expect(committed(site)).toBe(2_808_688);
    expect(committed(site)).toBe(SITE_B);
    const done = run(toPlan(), site);
    expect(paid(done)).toBe(SITE_B);
    expect(revisions(done)).toEqual([]);
  });

  it('re-commits when a payroll month meets a SMIG rise the table learnt after the approval', () => {
    const site = siteB(LEARNT_LATE);
    // At the approval the September SMIG was not known: 2 jobs × 4 months × 3,425.29 MAD.
    expect(committed(site)).toBe(2 * 4 * 342_529);
    const august = run(toPlan(LEARNT_LATE).slice(0, 2), site);
    expect(revisions(august)).toEqual([]);
    given(august)
      .when(payroll('2022-09', '2022-10-01', LEARNT_LATE))
      .then([
        expect.objectContaining({ type: 'WorksPayrollRecorded' }),
        {
          type: 'WorksCommitmentRevised',
          schemaVersion: 1,
          data: {
            projectId: 'gon-assa-2022',
            region: 'MA-10',
            revision: 1,
            on: '2022-10-01',
            reason: 'parameters',
            previousCentimes: 2 * 4 * 342_529,
            envelope: { programme: 'awrach', year: 2022, component: 'temporary_works', jobs: 2, centimes: SITE_B },
            plan: expect.objectContaining({
              totalCentimes: SITE_B,
              parameters: expect.arrayContaining([expect.objectContaining({ name: 'smig.hourly', value: 1555 })]),
            }),
          },
        },
      ]);
    const done = run(toPlan(LEARNT_LATE).slice(2), august);
    expect(revisions(done)).toHaveLength(1);
    expect(committed(done)).toBe(paid(done));
  });

  it('re-commits at a launch that moves the site’s months across the rise', () => {
    // Launched 1 August, the site runs August–November: 2 × (3,425.29 + 3 × 3,596.43) = 28,428.32 MAD.
    const late = siteB(BASELINE, '2022-08-01');
    expect(revisions(late)).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ revision: 1, reason: 'launch', previousCentimes: SITE_B }),
      }),
    ]);
    expect(committed(late)).toBe(2 * (342_529 + 3 * 359_643));
    const state = late.reduce(worksProjectDecider.evolve, worksProjectDecider.initialState());
    expect(state.status !== 'none' && state.commitment).toMatchObject({ revision: 1 });
    const done = run(
      ['2022-08', '2022-09', '2022-10', '2022-11'].map((m, i) =>
        payroll(m, ['2022-09-01', '2022-10-01', '2022-11-01', '2022-12-01'][i] ?? ''),
      ),
      late,
    );
    expect(paid(done)).toBe(committed(done));
    expect(revisions(done)).toHaveLength(1);
  });

  it('reserves the approval’s share before launch', () => {
    const approved = siteB().slice(0, 2);
    expect(
      envelopeReservation(
        'gon-assa-2022',
        approved.reduce(worksProjectDecider.evolve, worksProjectDecider.initialState()),
      ),
    ).toMatchObject({ jobs: 2, centimes: SITE_B });
  });

  it('records a re-commitment that matches its contract', () => {
    const [revised] = revisions(siteB(BASELINE, '2022-08-01'));
    const schema = revised && contractFor(revised.type)?.versions[revised.schemaVersion];
    if (!schema) throw new Error('WorksCommitmentRevised has no contract');
    expect(schema.safeParse(revised.data).error?.issues ?? []).toEqual([]);
  });

  it('moves the envelope reservation to the new commitment, past the budget if need be, since the SMIG is owed', () => {
    const key = { region: 'MA-10', programme: 'awrach', year: 2022 };
    const file = { kind: 'works-project' as const, id: 'gon-assa-2022' };
    const meta = {
      now: '2022-10-01T09:00:00.000Z',
      actor: 'o',
      roles: ['officer'],
      region: 'MA-10',
      correlationId: 'c',
      commandId: 'e',
    };
    const envelope = (
      [
        {
          type: 'SetEnvelopeLimits',
          data: {
            ...key,
            revision: 1,
            components: [{ component: 'temporary_works', targetJobs: 10, budgetCentimes: 2_740_232 }],
            reference: 'PV',
            sourceEventId: 'x',
          },
          metadata: meta,
        },
        {
          type: 'ReservePlaces',
          data: { ...key, component: 'temporary_works', file, jobs: 2, centimes: 2_740_232, on: '2022-06-20' },
          metadata: meta,
        },
      ] as EnvelopeCommand[]
    ).reduce((s, c) => envelopeDecider.decide(c, s).reduce(envelopeDecider.evolve, s), envelopeDecider.initialState());
    const revise = (centimes: number): EnvelopeCommand => ({
      type: 'RevisePlaces',
      data: { ...key, component: 'temporary_works', file, centimes, on: '2022-10-01', reason: 'SMIG' },
      metadata: meta,
    });
    const events: readonly EnvelopeEvent[] = envelopeDecider.decide(revise(SITE_B), envelope);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'EnvelopePlacesRevised',
        data: expect.objectContaining({ centimes: SITE_B, previousCentimes: 2_740_232 }),
      }),
    ]);
    const after = events.reduce(envelopeDecider.evolve, envelope);
    expect(after.reserved).toEqual({ temporary_works: { jobs: 2, centimes: SITE_B } });
    expect(envelopeDecider.decide(revise(SITE_B), after)).toEqual([]);
  });
});
