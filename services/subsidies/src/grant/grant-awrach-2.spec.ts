import { BASELINE, type ParameterTable } from '../rules/parameters';
import { replayEligibility, type ApplyForGrant } from './grant.decider';
import { applied, apply, awrach2Hire, given, ruleOf } from './grant.fixture';

describe("Awrach 2 (prime d'appui à l'emploi) eligibility", () => {
  const awrach2 = (patch: Partial<{ turnover: number; newlyCreated: boolean; prior: number; months: number }> = {}) =>
    applied(
      apply((d) => {
        const a = awrach2Hire(d);
        return {
          ...a,
          employer: {
            ...a.employer,
            turnover3yCentimes: patch.turnover ?? 400_000_000,
            newlyCreated: patch.newlyCreated ?? false,
          },
          hire: { ...a.hire, contractMonths: patch.months ?? 12 },
          person: { ...a.person, priorCnssMonths: patch.prior ?? 2 },
        };
      }, '2023-08-01T10:00:00.000Z'),
    );

  it('accepts a 12-month contract, a turnover of exactly 10 MDH and 6 months already declared', () => {
    const e = awrach2({ turnover: 1_000_000_000, prior: 6 });
    expect(e.data.eligibility.outcome).toBe('eligible');
    expect(ruleOf(e, 'scheme_in_force')).toMatchObject({
      passed: true,
      inputs: { 'contract.startDate': '2023-08-01', inForceFrom: '2023-07-25' },
    });
    expect(ruleOf(e, 'scheme_in_force')?.reference).toMatch(/25 juillet 2023/);
  });

  // Awrach 2 did not exist in 2022: the 2022 lasting-integration grants are Awrach 1.
  it.each([['2022-05-10'], ['2023-07-24']])(
    'refuses a hire of %s, before the launch, naming the rule and its source',
    (day) => {
      const command = apply(
        (d) => ({ ...awrach2Hire(d), hire: { ...awrach2Hire(d).hire, startDate: day }, appliedOn: '2023-08-01' }),
        '2023-08-01T10:00:00.000Z',
      );
      expect(() => given([]).when(command).events()).toThrow(
        expect.objectContaining({
          code: 'SCHEME_NOT_IN_FORCE',
          rules: [
            expect.objectContaining({
              rule: 'scheme_in_force',
              passed: false,
              inputs: { 'contract.startDate': day, inForceFrom: '2023-07-25' },
              reference: expect.stringMatching(/mars 2023.*11 avril 2023.*25 juillet 2023/),
            }),
          ],
          fields: [expect.objectContaining({ path: 'contract.startDate' })],
        }),
      );
    },
  );

  it('takes the launch date from the parameter, so a text fixing another day moves it', () => {
    const opened: ParameterTable = [
      ...BASELINE.filter((v) => v.name !== 'awrach2.in_force'),
      {
        name: 'awrach2.in_force',
        value: 1,
        effectiveFrom: '2023-09-01',
        reference: 'autre date (exemple)',
        recordedAt: null,
      },
    ];
    given([])
      .when(apply((d) => ({ ...awrach2Hire(d), table: opened }), '2023-08-01T10:00:00.000Z'))
      .thenThrows('SCHEME_NOT_IN_FORCE');
  });

  it('fails a turnover one centime above 10 MDH unless the firm is newly created: two routes, each its own rule', () => {
    const over = awrach2({ turnover: 1_000_000_001 });
    expect(ruleOf(over, 'employer_size/turnover')).toMatchObject({ passed: false, inputs: { maximum: 1_000_000_000 } });
    expect(over.data.eligibility.outcome).toBe('ineligible');
    const created = awrach2({ turnover: 1_000_000_001, newlyCreated: true });
    expect(ruleOf(created, 'employer_size/newly_created')?.passed).toBe(true);
    expect(created.data.eligibility.outcome).toBe('eligible');
  });

  it('fails a hire already declared to the CNSS for 7 months in total, the reading the parameter names', () => {
    const e = awrach2({ prior: 7 });
    expect(ruleOf(e, 'new_to_cnss')).toMatchObject({
      passed: false,
      inputs: { reading: 1 },
      parameters: [
        expect.objectContaining({
          name: 'awrach2.prior_cnss_reading',
          reference: expect.stringMatching(/au total.*à confirmer/),
        }),
      ],
    });
    expect(ruleOf(e, 'new_to_cnss/in_total')).toMatchObject({
      passed: false,
      inputs: { 'person.priorCnssMonths': 7, maximum: 6 },
    });
  });

  it('applies the other reading when the parameter names it, and then needs the months of the last six', () => {
    const recent: ParameterTable = [
      ...BASELINE,
      {
        name: 'awrach2.prior_cnss_reading',
        value: 2,
        effectiveFrom: '2023-07-26',
        reference: 'lecture « six derniers mois » (exemple)',
        recordedAt: null,
      },
    ];
    const withRecent = (months?: number) =>
      apply((d) => {
        const a = awrach2Hire(d);
        return {
          ...a,
          person: { ...a.person, priorCnssMonths: 30, ...(months === undefined ? {} : { recentCnssMonths: months }) },
          table: recent,
        };
      }, '2023-08-01T10:00:00.000Z');
    given([]).when(withRecent()).thenThrows('MISSING_FACTS');
    expect(ruleOf(applied(withRecent(0)), 'new_to_cnss/last_six_months')?.passed).toBe(true);
    expect(ruleOf(applied(withRecent(1)), 'new_to_cnss')).toMatchObject({ passed: false, inputs: { reading: 2 } });
  });

  it('fails an 11-month contract', () => {
    expect(ruleOf(awrach2({ months: 11 }), 'contract_length')?.passed).toBe(false);
  });

  it('refuses an application without the turnover its rules read, naming the field', () => {
    const bare = (d: ApplyForGrant['data']) => ({ ...awrach2Hire(d), employer: d.employer });
    expect(() => given([]).when(apply(bare)).events()).toThrow(
      expect.objectContaining({
        code: 'MISSING_FACTS',
        fields: [
          expect.objectContaining({ path: 'employer.turnover3yCentimes' }),
          expect.objectContaining({ path: 'employer.newlyCreated' }),
        ],
      }),
    );
  });

  it('replays a decision of 1 August 2023 the same after the ceiling changed, and a new decision sees the new ceiling', () => {
    const decided = awrach2({ turnover: 800_000_000 });
    const later: ParameterTable = [
      ...BASELINE,
      {
        name: 'awrach2.max_turnover_3y',
        value: 500_000_000,
        effectiveFrom: '2023-09-01',
        reference: 'Révision du plafond (exemple)',
        recordedAt: '2023-08-30T08:00:00.000Z',
      },
    ];
    expect(replayEligibility(decided.data, later)).toEqual(decided.data.eligibility);
    const after = applied(
      apply(
        (d) => ({
          ...awrach2Hire(d),
          employer: { ...awrach2Hire(d).employer, turnover3yCentimes: 800_000_000 },
          hire: { ...awrach2Hire(d).hire, startDate: '2023-09-02' },
          appliedOn: '2023-09-02',
          table: later,
        }),
        '2023-09-02T09:00:00.000Z',
      ),
    );
    expect(ruleOf(after, 'employer_size/turnover')).toMatchObject({ passed: false, inputs: { maximum: 500_000_000 } });
  });
});
