import { BASELINE } from '../rules/parameters';
import {
  approvalOf,
  lastDayOfSite,
  recommit,
  type ActiveWorksProject,
  type WorksBeneficiaryEnrolled,
  type WorksPayrollRecorded,
  type WorksProject,
  type WorksProjectEvent,
} from './works-project-state.decider';
import { worksProjectDecider } from './works-project.decider';
import {
  approved,
  complete,
  decision,
  direct,
  fromMatching,
  given,
  history,
  launch,
  payroll,
  project,
  propose,
  staffed,
} from './works-project.fixture';

const fold = (events: readonly WorksProjectEvent[]): WorksProject =>
  events.reduce(worksProjectDecider.evolve, worksProjectDecider.initialState());
const active = (events: readonly WorksProjectEvent[]): ActiveWorksProject => {
  const state = fold(events);
  if (state.status === 'none') throw new Error('no project');
  return state;
};

describe('folding a works site', () => {
  const run = history(
    propose(),
    decision('waitlisted', { reason: 'the envelope is taken', decisionNumber: 'CT-GON-2022-010' }),
    decision('approved'),
    launch(),
    fromMatching(),
    direct(),
    payroll('2022-05', [
      { beneficiaryId: 'b-1', days: 26 },
      { beneficiaryId: 'b-2', days: 13 },
    ]),
    complete(),
  );

  it('keeps its decisions, commitment, beneficiaries, payrolls and certificates', () => {
    const state = active(run);
    expect(state).toMatchObject({
      status: 'completed',
      launchedOn: '2022-05-02',
      completedOn: '2022-11-01',
      commitment: { revision: 0, envelope: { year: 2022, jobs: 3 } },
    });
    expect(state.decisions.map((recorded) => recorded.outcome)).toEqual(['waitlisted', 'approved']);
    expect(state.beneficiaries.toArray().map((beneficiary) => beneficiary.beneficiaryId)).toEqual(['b-1', 'b-2']);
    expect(state.payroll.toArray().map((month) => month.month)).toEqual(['2022-05']);
    expect(state.certificates.map((certificate) => certificate.daysWorked)).toEqual([26, 13]);
  });

  it('never holds the sealed name and CIN of a direct registration', () => {
    const text = JSON.stringify(fold(run));
    expect(run.some((event) => event.type === 'WorksBeneficiaryIdentified')).toBe(true);
    expect(text).not.toContain('Personne Fictive');
    expect(text).not.toContain('JB123456');
  });

  it('ignores what comes before the proposal', () => {
    const [, decided] = approved;
    expect(fold(decided ? [decided] : [])).toEqual({ status: 'none' });
  });

  it('reads the approval, not the waitlisting, as the decision that funds the site', () => {
    expect(approvalOf(active(run))).toMatchObject({ outcome: 'approved', decisionNumber: 'CT-GON-2022-014' });
    expect(approvalOf(active(run.slice(0, 2)))).toBeUndefined();
  });

  it('ends a site launched late after the months it was budgeted for, past its planned end', () => {
    expect(lastDayOfSite(active(approved))).toBe(project.end);
    const late = history(propose(), decision('approved'), launch('2022-06-01'));
    expect(lastDayOfSite(active(late))).toBe('2022-11-30');
  });

  it('records no re-commitment when the price has not moved, nor for a site never committed', () => {
    const now = '2022-05-02T09:00:00.000Z';
    const input = { from: '2022-05-02', table: BASELINE, now, reason: 'launch' } as const;
    expect(recommit(active(approved), input)).toEqual([]);
    expect(recommit(active(history(propose())), input)).toEqual([]);
  });
});

describe('folding a site of 10,000 events', () => {
  // Thousands of beneficiaries and payroll months, one event each: the fold appends, never copies.
  const [proposed, decided, launched, enrolled] = staffed;
  if (
    proposed?.type !== 'WorksProjectProposed' ||
    enrolled?.type !== 'WorksBeneficiaryEnrolled' ||
    !decided ||
    !launched
  )
    throw new Error('the staffed site changed');
  const paid = history(
    propose(),
    decision('approved'),
    launch(),
    fromMatching(),
    direct(),
    payroll('2022-05', [{ beneficiaryId: 'b-1', days: 26 }]),
  ).at(-1);
  if (paid?.type !== 'WorksPayrollRecorded') throw new Error('no payroll');
  const enrolments = 8_997;
  const payrolls = 1_000;
  const beneficiary = (n: number): WorksBeneficiaryEnrolled => ({
    ...enrolled,
    data: { ...enrolled.data, beneficiaryId: `b-${n}`, seekerId: `sk-b-${n}` },
  });
  const month = (n: number): WorksPayrollRecorded => ({
    ...paid,
    data: {
      ...paid.data,
      month: `m-${n}`,
      lines: paid.data.lines.map((line) => ({ ...line, beneficiaryId: `b-${n}` })),
    },
  });
  const events: WorksProjectEvent[] = [{ ...proposed, data: { ...proposed.data, jobs: 20_000 } }, decided, launched];
  for (let n = 1; n <= enrolments; n += 1) events.push(beneficiary(n));
  for (let n = 1; n <= payrolls; n += 1) events.push(month(n));

  it('folds every beneficiary and payroll in its order', () => {
    const state = active(events);
    expect(events).toHaveLength(10_000);
    expect(state.beneficiaries.length).toBe(enrolments);
    expect(state.beneficiaries.at(-1)?.beneficiaryId).toBe(`b-${enrolments}`);
    expect(state.payroll.length).toBe(payrolls);
    expect(state.payroll.at(0)?.month).toBe('m-1');
    expect(state.payroll.at(-1)?.lines[0]?.beneficiaryId).toBe(`b-${payrolls}`);
  });

  it('decides against all of them: enrols each once, and certifies every beneficiary at completion', () => {
    given(events)
      .when(fromMatching(`b-${enrolments}`))
      .thenThrows('BENEFICIARY_ALREADY_ENROLLED');
    const [completed] = given(events).when(complete()).events();
    if (completed?.type !== 'WorksSiteCompleted') throw new Error('not completed');
    expect(completed.data.certificates).toHaveLength(enrolments);
    expect(completed.data.certificates[0]).toMatchObject({ beneficiaryId: 'b-1', monthsPaid: 1, daysWorked: 26 });
    expect(completed.data.certificates.at(-1)).toMatchObject({ beneficiaryId: `b-${enrolments}`, monthsPaid: 0 });
  });
});
