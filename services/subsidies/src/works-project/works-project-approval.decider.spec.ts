import { monthSpan } from './works-project.decider';
import {
  given,
  history,
  refusal,
  SMIG_2022,
  BUDGET,
  project,
  propose,
  decision,
  launch,
  proposed,
  approved,
  launched,
  completed,
  ineligible,
} from './works-project.fixture';

describe('proposing a works project', () => {
  it('records the budget (wages and employer contributions, month by month) and every project rule with its reference and outcome', () => {
    given([])
      .when(propose())
      .then([
        {
          type: 'WorksProjectProposed',
          schemaVersion: 1,
          data: {
            ...project,
            scheme: 'awrach-works',
            budgetCentimes: 6_319_548,
            plan: expect.objectContaining({
              totalCentimes: BUDGET,
              wagesCentimes: 3 * (3 * 282_871 + 3 * 297_005),
              employerCentimes: 3 * (3 * 59_658 + 3 * 62_638),
            }),
            eligibility: {
              scheme: 'awrach-works',
              on: '2022-04-25',
              parametersKnownAt: '2022-04-25T09:00:00.000Z',
              outcome: 'eligible',
              rules: [
                expect.objectContaining({
                  rule: 'promoter_kind',
                  inputs: { 'promoter.kind': 'association', allowed: 'association, cooperative' },
                  passed: true,
                }),
                expect.objectContaining({ rule: 'jobs', inputs: { 'project.jobs': 3, minimum: 1 }, passed: true }),
                expect.objectContaining({
                  rule: 'wage',
                  inputs: { 'project.monthlyWageCentimes': SMIG_2022, minimum: SMIG_2022 },
                  passed: true,
                  reference: expect.stringContaining('Awrach'),
                  parameters: [
                    expect.objectContaining({ name: 'smig.hourly', value: 1481 }),
                    expect.objectContaining({ name: 'smig.monthly_hours', value: 191 }),
                  ],
                }),
              ],
            },
          },
        },
      ]);
  });

  it('records an ineligible project all the same, with the rules it failed', () => {
    const [event] = ineligible;
    expect(event?.type === 'WorksProjectProposed' && event.data.eligibility).toMatchObject({
      outcome: 'ineligible',
      rules: [
        { rule: 'promoter_kind', passed: false },
        { rule: 'jobs', passed: true },
        { rule: 'wage', inputs: { minimum: SMIG_2022 }, passed: false },
      ],
    });
  });

  it('is proposed once', () => {
    given(proposed).when(propose()).thenThrows('PROJECT_ALREADY_PROPOSED');
  });

  it('refuses a site of more jobs than one line may count', () => {
    expect(refusal([], propose({ jobs: 3_000_000_000 }))).toMatchObject({
      code: 'TOO_MANY_JOBS',
      fields: [{ path: 'jobs' }],
    });
  });

  it('refuses jobs and months that are not whole numbers of at least 1, naming each', () => {
    given([])
      .when(propose({ jobs: 0 }))
      .thenThrows('NOT_A_POSITIVE_INTEGER');
    expect(refusal([], propose({ jobs: 2.5, months: 0 }))).toMatchObject({
      code: 'NOT_A_POSITIVE_INTEGER',
      fields: [{ path: 'jobs' }, { path: 'months' }],
    });
  });

  it('refuses a wage that is not whole centimes', () => {
    expect(refusal([], propose({ monthlyWageCentimes: 2828.71 }))).toMatchObject({
      code: 'NOT_WHOLE_CENTIMES',
      fields: [{ path: 'monthlyWageCentimes' }],
    });
    given([])
      .when(propose({ monthlyWageCentimes: -1 }))
      .thenThrows('NOT_WHOLE_CENTIMES');
  });

  it('refuses a site that does not end after it starts', () => {
    expect(refusal([], propose({ end: '2022-05-02' }))).toMatchObject({
      code: 'END_NOT_AFTER_START',
      fields: [{ path: 'end' }],
    });
    given([])
      .when(propose({ end: '2022-04-30' }))
      .thenThrows('END_NOT_AFTER_START');
  });

  it('takes a month count that its dates bear out, the stray days counted or not', () => {
    expect(monthSpan('2022-05-01', '2022-10-31')).toEqual({ min: 6, max: 6 });
    expect(monthSpan('2022-05-15', '2022-11-15')).toEqual({ min: 6, max: 7 });
    expect(monthSpan('2022-05-15', '2022-05-20')).toEqual({ min: 0, max: 1 });
    expect(monthSpan('2022-01-31', '2022-02-28')).toEqual({ min: 1, max: 2 });
    for (const months of [6, 7])
      expect(history(propose({ start: '2022-05-15', end: '2022-11-15', months }))).toHaveLength(1);
  });

  it('refuses a month count its dates contradict, since the budget prices each month', () => {
    expect(refusal([], propose({ months: 5 }))).toMatchObject({
      code: 'MONTHS_INCONSISTENT',
      fields: [{ path: 'months' }],
    });
    given([])
      .when(propose({ start: '2022-05-15', end: '2022-11-15', months: 8 }))
      .thenThrows('MONTHS_INCONSISTENT');
  });
});

describe('the committee deciding a project', () => {
  it('approves an eligible project with the share it takes from the 2022 temporary-works envelope', () => {
    given(proposed)
      .when(decision('approved'))
      .then([
        {
          type: 'WorksProjectDecided',
          schemaVersion: 1,
          data: {
            projectId: project.projectId,
            region: 'MA-10',
            outcome: 'approved',
            decisionNumber: 'CT-GON-2022-014',
            date: '2022-04-28',
            committeeId: 'ct-awrach-gon-2022',
            envelope: { programme: 'awrach', year: 2022, component: 'temporary_works', jobs: 3, centimes: BUDGET },
          },
        },
      ]);
  });

  it('rejects or waitlists with a reason and no envelope share', () => {
    given(proposed)
      .when(decision('rejected', { reason: ' promoteur sans expérience ' }))
      .then([
        {
          type: 'WorksProjectDecided',
          schemaVersion: 1,
          data: {
            projectId: project.projectId,
            region: 'MA-10',
            outcome: 'rejected',
            decisionNumber: 'CT-GON-2022-014',
            date: '2022-04-28',
            committeeId: 'ct-awrach-gon-2022',
            reason: 'promoteur sans expérience',
          },
        },
      ]);
    given(proposed).when(decision('rejected')).thenThrows('REASON_REQUIRED');
    expect(refusal(proposed, decision('waitlisted', { reason: '  ' }))).toMatchObject({
      code: 'REASON_REQUIRED',
      fields: [{ path: 'reason' }],
    });
  });

  it('approves a waitlisted project under a new decision number, never the same one twice', () => {
    const waitlisted = history(propose(), decision('waitlisted', { reason: 'enveloppe épuisée' }));
    given(waitlisted)
      .when(decision('approved', { decisionNumber: 'CT-GON-2022-031', date: '2022-06-10' }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            outcome: 'approved',
            decisionNumber: 'CT-GON-2022-031',
            envelope: expect.objectContaining({ year: 2022 }),
          }),
        }),
      ]);
    given(waitlisted).when(decision('approved')).thenThrows('DECISION_NUMBER_TAKEN');
  });

  it('decides a project once it is approved or rejected', () => {
    given(approved)
      .when(decision('rejected', { reason: 'x', decisionNumber: 'D-2' }))
      .thenThrows('PROJECT_ALREADY_DECIDED');
    given(history(propose(), decision('rejected', { reason: 'x' })))
      .when(decision('approved', { decisionNumber: 'D-2' }))
      .thenThrows('PROJECT_ALREADY_DECIDED');
  });

  it('cannot approve or waitlist an ineligible project, only reject it', () => {
    given(ineligible).when(decision('approved')).thenThrows('PROJECT_NOT_ELIGIBLE');
    given(ineligible)
      .when(decision('waitlisted', { reason: 'enveloppe' }))
      .thenThrows('PROJECT_NOT_ELIGIBLE');
    expect(
      history(
        propose({ promoter: { ...project.promoter, kind: 'company' } }),
        decision('rejected', { reason: 'promoteur non éligible' }),
      ),
    ).toHaveLength(2);
  });

  it('refuses a decision dated before the proposal', () => {
    expect(refusal(proposed, decision('approved', { date: '2022-04-24' }))).toMatchObject({
      code: 'DECISION_BEFORE_PROPOSAL',
      fields: [{ path: 'date' }],
    });
  });

  it('refuses to decide a project nobody proposed', () => {
    given([]).when(decision('approved')).thenThrows('PROJECT_NOT_FOUND');
  });
});

describe('launching the site', () => {
  it('launches an approved site once', () => {
    given(approved)
      .when(launch())
      .then([
        {
          type: 'WorksSiteLaunched',
          schemaVersion: 1,
          data: { projectId: project.projectId, region: 'MA-10', on: '2022-05-02' },
        },
      ]);
    given(launched).when(launch('2022-05-03')).thenThrows('SITE_ALREADY_LAUNCHED');
    given(completed).when(launch()).thenThrows('SITE_ALREADY_LAUNCHED');
  });

  it('launches only an approved project', () => {
    given(proposed).when(launch()).thenThrows('PROJECT_NOT_APPROVED');
    given(history(propose(), decision('waitlisted', { reason: 'enveloppe' })))
      .when(launch())
      .thenThrows('PROJECT_NOT_APPROVED');
  });

  it('refuses a launch before the approval', () => {
    expect(refusal(approved, launch('2022-04-27'))).toMatchObject({
      code: 'LAUNCH_BEFORE_APPROVAL',
      fields: [{ path: 'on' }],
    });
  });
});
