import { BASELINE, type ParameterTable } from '../rules/parameters';
import { grantDecider, grantRelease, type GrantCommand, type GrantEvent } from './grant.decider';
import {
  application,
  applied,
  apply,
  approved,
  awrach2Hire,
  declared,
  decide,
  given,
  metadata,
  pay,
  ruleOf,
} from './grant.fixture';

describe('Awrach 1 eligibility', () => {
  it('finds a long-term registered seeker on a 24-month contract at the SMIG eligible, rule by rule', () => {
    const e = applied();
    expect(e.data.eligibility).toMatchObject({
      scheme: 'awrach-1',
      on: '2022-05-10',
      outcome: 'eligible',
      parametersKnownAt: '2022-05-10T10:00:00.000Z',
    });
    expect(e.data.eligibility.rules.map((r) => [r.rule, r.passed])).toEqual([
      ['employer_kind', true],
      ['target_group', true],
      ['target_group/long_term_registered', true],
      ['target_group/pandemic_job_loss', false],
      ['target_group/hard_to_place', false],
      ['target_group/disability', false],
      ['contract_length', true],
      ['wage', true],
    ]);
    expect(ruleOf(e, 'wage')).toMatchObject({
      inputs: { 'contract.monthlyWageCentimes': 300_000, minimum: 282_871 },
      parameters: [
        expect.objectContaining({ name: 'smig.hourly', value: 1481 }),
        expect.objectContaining({ name: 'smig.monthly_hours', value: 191 }),
      ],
    });
    expect(ruleOf(e, 'target_group/long_term_registered')?.reference).toMatch(/Guelmim-Oued Noun/);
    expect(e.data.programme).toBe('awrach');
  });

  it('fails a contract shorter than 24 months', () => {
    const e = applied(apply((d) => ({ ...d, hire: { ...d.hire, contractMonths: 23 } })));
    expect(e.data.eligibility.outcome).toBe('ineligible');
    expect(ruleOf(e, 'contract_length')).toMatchObject({
      passed: false,
      inputs: { 'contract.months': 23, minimum: 24 },
    });
  });

  it('reads the SMIG in force on the day: 2,900 MAD passes on 31 August 2022 and fails on 1 September', () => {
    const at = (day: string) =>
      applied(
        apply((d) => ({ ...d, hire: { ...d.hire, startDate: day, monthlyWageCentimes: 290_000 }, appliedOn: day })),
      );
    expect(ruleOf(at('2022-08-31'), 'wage')).toMatchObject({ passed: true, inputs: { minimum: 282_871 } });
    expect(ruleOf(at('2022-09-01'), 'wage')).toMatchObject({ passed: false, inputs: { minimum: 297_005 } });
  });

  it.each([
    ['a pandemic job loss', { pandemicJobLoss: true }],
    ['hard to place', { hardToPlace: true }],
    ['a disability', { disability: true }],
  ])('accepts %s as the target group of someone registered for 3 months', (_label, person) => {
    const e = applied(apply((d) => ({ ...d, person: { ...d.person, monthsRegistered: 3, ...person } })));
    expect(e.data.eligibility.outcome).toBe('eligible');
    expect(ruleOf(e, 'target_group/long_term_registered')?.passed).toBe(false);
  });

  it('fails someone in no target group: registered 23 months, no other category', () => {
    const e = applied(apply((d) => ({ ...d, person: { ...d.person, monthsRegistered: 23 } })));
    expect(ruleOf(e, 'target_group')).toMatchObject({ passed: false, inputs: { alternativesPassed: 0 } });
    expect(e.data.eligibility.outcome).toBe('ineligible');
  });

  it('fails an employer that is neither a company, an association nor a cooperative', () => {
    expect(
      ruleOf(applied(apply((d) => ({ ...d, employer: { ...d.employer, kind: 'public_body' } }))), 'employer_kind')
        ?.passed,
    ).toBe(false);
  });

  it('refuses an unknown scheme and one that pays no grant, naming the field', () => {
    given([])
      .when(apply((d) => ({ ...d, scheme: 'awrach-9' })))
      .thenThrows('UNKNOWN_SCHEME');
    given([])
      .when(apply((d) => ({ ...d, scheme: 'awrach-works' })))
      .thenThrows('SCHEME_NOT_A_GRANT');
  });

  it('refuses an application dated before the hire, and a second application', () => {
    given([])
      .when(apply((d) => ({ ...d, appliedOn: '2022-05-09' })))
      .thenThrows('APPLICATION_BEFORE_HIRE');
    given([applied()]).when(apply()).thenThrows('GRANT_ALREADY_APPLIED');
  });
});

describe('the committee decision and the schedule', () => {
  it('approves an eligible application with its exact schedule: 27,000.00 MAD over 19 calendar months', () => {
    const d = approved([applied()]);
    expect(d.data).toMatchObject({
      outcome: 'approved',
      channel: 'employer',
      totalCentimes: 2_700_000,
      decisionNumber: 'CT-GON-2022-014',
    });
    expect(d.data.schedule?.[0]).toEqual({ month: '2022-05', amountCentimes: 106_451 });
    expect(d.data.schedule).toHaveLength(19);
    expect(d.data.parameters?.map((p) => [p.name, p.value])).toEqual([
      ['awrach1.grant_monthly', 150_000],
      ['awrach1.grant_months', 18],
    ]);
  });

  it('pays Awrach 2 through the CNSS, 9 × 1,500 MAD', () => {
    const a2 = applied(
      apply(
        (d) => ({
          ...awrach2Hire(d),
          hire: { ...awrach2Hire(d).hire, startDate: '2023-09-01' },
          appliedOn: '2023-09-01',
        }),
        '2023-09-01T10:00:00.000Z',
      ),
    );
    const [d] = given([a2])
      .when(decide({ date: '2023-09-10' }))
      .events();
    expect(d?.data).toMatchObject({
      channel: 'cnss',
      totalCentimes: 1_350_000,
      schedule: expect.arrayContaining([{ month: '2024-05', amountCentimes: 150_000 }]),
    });
  });

  it('refuses to approve an ineligible application, naming the failed rules', () => {
    given([applied(apply((d) => ({ ...d, hire: { ...d.hire, contractMonths: 12 } })))])
      .when(decide())
      .thenThrows('GRANT_NOT_ELIGIBLE');
  });

  it('records a rejection or a waitlisting only with a reason', () => {
    given([applied()])
      .when(decide({ outcome: 'rejected' }))
      .thenThrows('REASON_REQUIRED');
    expect(
      given([applied()])
        .when(decide({ outcome: 'waitlisted', reason: 'enveloppe épuisée' }))
        .events()[0]?.data,
    ).toMatchObject({ outcome: 'waitlisted' });
  });

  it('approves a waitlisted grant later, and never decides an approved one twice', () => {
    const waitlisted = given([applied()])
      .when(decide({ outcome: 'waitlisted', reason: 'enveloppe épuisée' }))
      .events();
    expect(
      given([applied(), ...waitlisted])
        .when(decide())
        .events()[0]?.data,
    ).toMatchObject({ outcome: 'approved' });
    given([applied(), approved([applied()])])
      .when(decide())
      .thenThrows('GRANT_ALREADY_DECIDED');
  });

  it('refuses a decision dated before the application', () => {
    given([applied()])
      .when(decide({ date: '2022-05-09' }))
      .thenThrows('DECISION_BEFORE_APPLICATION');
  });
});

describe('payments, declarations, early ends and clawbacks', () => {
  const history = (): GrantEvent[] => [applied(), approved([applied()])];

  it('pays a month the employee was declared for, the scheduled amount to the centime', () => {
    given([...history(), declared('2022-06')])
      .when(pay('2022-06'))
      .then([
        {
          type: 'GrantPaymentRecorded',
          schemaVersion: 1,
          data: {
            grantId: application.grantId,
            region: 'MA-10',
            month: '2022-06',
            amountCentimes: 148_549,
            channel: 'employer',
            paidOn: '2022-07-05',
          },
        },
      ]);
  });

  it('holds a month not declared to the CNSS, or declared with no day worked', () => {
    given(history()).when(pay('2022-06')).thenThrows('NOT_DECLARED_TO_CNSS');
    given([...history(), declared('2022-06', 0)])
      .when(pay('2022-06'))
      .thenThrows('NOT_DECLARED_TO_CNSS');
  });

  it('pays a month once, on a date neither ahead nor before the month, and only within the schedule', () => {
    const paid = given([...history(), declared('2022-06')])
      .when(pay('2022-06'))
      .events();
    given([...history(), declared('2022-06'), ...paid])
      .when(pay('2022-06'))
      .thenThrows('INSTALMENT_ALREADY_PAID');
    given([...history(), declared('2022-06')])
      .when({ ...pay('2022-06', '2022-07-05'), metadata: metadata('2022-07-04T09:00:00.000Z') })
      .thenThrows('PAID_ON_IN_FUTURE');
    given([...history(), declared('2022-06')])
      .when(pay('2022-06', '2022-05-31'))
      .thenThrows('PAID_BEFORE_MONTH');
    given([...history(), declared('2024-01')])
      .when(pay('2024-01', '2024-02-05'))
      .thenThrows('NO_INSTALMENT_DUE');
    given([applied()]).when(pay('2022-06')).thenThrows('GRANT_NOT_APPROVED');
  });

  it('refuses more than 26 declared days, a month before the contract or one not yet begun, naming each field', () => {
    const command = {
      type: 'RecordCnssDeclarations' as const,
      data: {
        months: [
          { month: '2022-04', days: 27, wageCentimes: 300_000 },
          { month: '2022-06', days: 26, wageCentimes: 300_000 },
        ],
        source: 'entered' as const,
        table: BASELINE,
      },
      metadata: metadata(),
    };
    expect(() => given(history()).when(command).events()).toThrow(
      expect.objectContaining({
        code: 'BAD_DECLARATION',
        fields: [
          expect.objectContaining({ path: 'months.0.days' }),
          expect.objectContaining({ path: 'months.0.month' }),
          expect.objectContaining({ path: 'months.1.month' }),
        ],
      }),
    );
  });

  it('records a declaration once; the same month and figures again are no change', () => {
    const command = {
      type: 'RecordCnssDeclarations' as const,
      data: {
        months: [{ month: '2022-06', days: 26, wageCentimes: 300_000 }],
        source: 'imported' as const,
        table: BASELINE,
      },
      metadata: metadata('2022-07-01T08:00:00.000Z'),
    };
    expect(given(history()).when(command).events()).toHaveLength(1);
    given([...history(), declared('2022-06')])
      .when(command)
      .then([]);
  });

  it('claims back a paid month whose declaration is corrected to no day worked', () => {
    const paid = given([...history(), declared('2022-06')])
      .when(pay('2022-06'))
      .events();
    const correction = {
      type: 'RecordCnssDeclarations' as const,
      data: { months: [{ month: '2022-06', days: 0, wageCentimes: 0 }], source: 'entered' as const, table: BASELINE },
      metadata: metadata('2022-08-01T09:00:00.000Z'),
    };
    const events = given([...history(), declared('2022-06'), ...paid])
      .when(correction)
      .events();
    expect(events.map((e) => e.type)).toEqual(['GrantCnssDeclarationRecorded', 'GrantClawbackClaimed']);
    expect(events[1]?.data).toMatchObject({
      amountCentimes: 148_549,
      months: [{ month: '2022-06', paidCentimes: 148_549, dueCentimes: 0 }],
    });
  });

  const endOn = (lastDay: string, reason = 'démission', table: ParameterTable = BASELINE): GrantCommand => ({
    type: 'EndContract',
    data: { lastDay, reason, table },
    metadata: metadata('2022-08-10T09:00:00.000Z'),
  });

  // Started 10 May 2022, last day 20 July 2022. By hand: earned to 20 July = 150,000 × (2 + 11/31) =
  // 353,225.8 → 353,225; May 106,451 and June 148,549 stand, July is 353,225 − 255,000 = 98,225.
  // July had been paid in full (151,451): 53,226 is claimed back. The 24 months required run to
  // 9 May 2024, 731 days of which 659 were not worked: 353,225 × 659 / 731 = 318,434.03 → 318,434
  // is claimed back for the broken commitment.
  it('stops the schedule at an early end, claims back what was paid beyond it and what the broken commitment costs', () => {
    const paid = [...history(), declared('2022-06'), declared('2022-07')];
    const june = given(paid).when(pay('2022-06')).events();
    const july = given([...paid, ...june])
      .when(pay('2022-07', '2022-08-03'))
      .events();
    const events = given([...paid, ...june, ...july])
      .when(endOn('2022-07-20'))
      .events();
    expect(events.map((e) => e.type)).toEqual(['GrantContractEnded', 'GrantClawbackClaimed', 'GrantClawbackClaimed']);
    expect(events[0]?.data).toMatchObject({
      entitledCentimes: 353_225,
      cancelledCentimes: 2_700_000 - 353_225,
      contractEnd: '2024-05-09',
      commitmentEnd: '2024-05-09',
      commitmentBroken: true,
      schedule: [
        { month: '2022-05', amountCentimes: 106_451 },
        { month: '2022-06', amountCentimes: 148_549 },
        { month: '2022-07', amountCentimes: 98_225 },
      ],
      consequence: {
        rule: 'commitment_clawback',
        amountCentimes: 318_434,
        reference: expect.stringMatching(/à confirmer/),
        parameters: [
          expect.objectContaining({ name: 'awrach1.min_contract_months', value: 24 }),
          expect.objectContaining({ name: 'awrach1.commitment_clawback_bp', value: 10_000 }),
        ],
      },
    });
    expect(events[1]?.data).toMatchObject({
      amountCentimes: 53_226,
      on: '2022-08-10',
      months: [{ month: '2022-07', paidCentimes: 151_451, dueCentimes: 98_225 }],
    });
    expect(events[2]?.data).toMatchObject({ amountCentimes: 318_434, on: '2022-08-10', months: [] });
  });

  // The grant's 18 months end on 9 Nov 2023; the contract of 24 runs to 9 May 2024. An end on
  // 9 Feb 2024 used to be refused as "not an early end", so breaking the commitment cost nothing.
  // Now: nothing is cancelled (all 27,000 MAD were earned), the job ends, and 90 of the 731
  // required days were missed: 2,700,000 × 90 / 731 = 332,421.3 → 332,421 claimed back.
  it('records an end after the grant months but before the required length, with its clawback', () => {
    const events = given(history()).when(endOn('2024-02-09')).events();
    expect(events.map((e) => e.type)).toEqual(['GrantContractEnded', 'GrantClawbackClaimed']);
    expect(events[0]?.data).toMatchObject({
      entitledCentimes: 2_700_000,
      cancelledCentimes: 0,
      commitmentBroken: true,
      consequence: { amountCentimes: 332_421 },
    });
    expect(events[0]?.data).toHaveProperty('schedule', approved([applied()]).data.schedule);
  });

  it('records an end after the required length but before the contract end as a job ended, at no cost', () => {
    const longer = applied(apply((d) => ({ ...d, hire: { ...d.hire, contractMonths: 36 } })));
    const events = given([longer, approved([longer])])
      .when(endOn('2025-01-31'))
      .events();
    expect(events.map((e) => e.type)).toEqual(['GrantContractEnded']);
    expect(events[0]?.data).toMatchObject({
      contractEnd: '2025-05-09',
      commitmentEnd: '2024-05-09',
      commitmentBroken: false,
      cancelledCentimes: 0,
    });
    expect(events[0]?.data).not.toHaveProperty('consequence');
  });

  it('costs nothing when the clawback share is set to 0 from a date, and the share in force on the last day applies', () => {
    const lenient: ParameterTable = [
      ...BASELINE,
      {
        name: 'awrach1.commitment_clawback_bp',
        value: 0,
        effectiveFrom: '2023-01-01',
        reference: 'texte (exemple)',
        recordedAt: null,
      },
    ];
    expect(
      given(history())
        .when(endOn('2024-02-09', 'démission', lenient))
        .events()
        .map((e) => e.type),
    ).toEqual(['GrantContractEnded']);
    expect(
      given(history())
        .when(endOn('2022-07-20', 'démission', lenient))
        .events()
        .map((e) => e.type),
    ).toEqual(['GrantContractEnded', 'GrantClawbackClaimed']);
  });

  it("gives the ended grant's job place and unpaid remainder back to its envelope line", () => {
    const ended = given(history()).when(endOn('2022-07-20')).events();
    const state = [...history(), ...ended].reduce(grantDecider.evolve, grantDecider.initialState());
    expect(grantRelease(application.grantId, state)).toEqual({
      region: 'MA-10',
      programme: 'awrach',
      year: 2022,
      component: 'lasting_integration',
      file: { kind: 'grant', id: application.grantId },
      jobs: 1,
      centimes: 2_700_000 - 353_225,
      reason: 'contract ended on 2022-07-20',
    });
    expect(
      grantRelease(application.grantId, history().reduce(grantDecider.evolve, grantDecider.initialState())),
    ).toBeUndefined();
  });

  it('still pays an unpaid month before an early end, at its cut amount', () => {
    const ended = given(history()).when(endOn('2022-07-20', 'licenciement')).events();
    expect(ended.map((e) => e.type)).toEqual(['GrantContractEnded', 'GrantClawbackClaimed']);
    expect(
      given([...history(), ...ended, declared('2022-07', 14)])
        .when(pay('2022-07', '2022-08-11'))
        .events()[0]?.data,
    ).toMatchObject({ amountCentimes: 98_225 });
    given([...history(), ...ended, declared('2022-08')])
      .when(pay('2022-08', '2022-09-02'))
      .thenThrows('NO_INSTALMENT_DUE');
  });

  it('refuses an end on or after the contract end, before the start, without a reason, or twice', () => {
    given(history()).when(endOn('2024-05-09')).thenThrows('NOT_AN_EARLY_END');
    given(history()).when(endOn('2022-05-09')).thenThrows('END_BEFORE_START');
    given(history()).when(endOn('2022-07-20', ' ')).thenThrows('REASON_REQUIRED');
    const ended = given(history()).when(endOn('2022-07-20')).events();
    given([...history(), ...ended])
      .when(endOn('2022-07-10'))
      .thenThrows('GRANT_NOT_APPROVED');
  });
});
