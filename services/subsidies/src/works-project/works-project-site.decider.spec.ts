import { ValidationError } from '@tashghil/event-store';
import { worksProjectDecider, type WorksProjectEvent } from './works-project.decider';
import {
  given,
  cmd,
  history,
  refusal,
  SMIG_2022,
  project,
  propose,
  decision,
  launch,
  categories,
  fromMatching,
  direct,
  payroll,
  complete,
  proposed,
  approved,
  launched,
  staffed,
  completed,
  monthOf,
} from './works-project.fixture';

describe('enrolling beneficiaries', () => {
  const enrolled = (beneficiaryId: string, extra: Record<string, unknown>) =>
    expect.objectContaining({
      type: 'WorksBeneficiaryEnrolled',
      schemaVersion: 1,
      data: expect.objectContaining({
        projectId: project.projectId,
        region: 'MA-10',
        province: 'Sidi Ifni',
        beneficiaryId,
        socialCover: true,
        ...extra,
      }),
    });

  it('enrols a seeker from matching at the project wage, with social cover and the wage rule as decided', () => {
    given(launched)
      .when(fromMatching())
      .then([
        enrolled('b-1', {
          source: 'matching',
          seekerId: 'sk-b-1',
          on: '2022-05-02',
          monthlyWageCentimes: SMIG_2022,
          categories,
          eligibility: expect.objectContaining({
            outcome: 'eligible',
            on: '2022-05-02',
            rules: [
              expect.objectContaining({
                rule: 'wage',
                inputs: { 'beneficiary.monthlyWageCentimes': SMIG_2022, minimum: SMIG_2022 },
              }),
            ],
          }),
        }),
      ]);
  });

  it('enrols on an approved site not yet launched', () => {
    given(approved)
      .when(fromMatching('b-1', { on: '2022-04-29' }))
      .then([enrolled('b-1', { on: '2022-04-29' })]);
  });

  it('seals a direct registration’s name and CIN in a separate personal event', () => {
    const withOne = staffed.slice(0, 4);
    given(withOne)
      .when(direct())
      .then([
        enrolled('b-2', { source: 'direct', on: '2022-05-16' }),
        {
          type: 'WorksBeneficiaryIdentified',
          schemaVersion: 1,
          data: { projectId: project.projectId, beneficiaryId: 'b-2', fullName: 'Personne Fictive', cin: 'JB123456' },
          personal: { subjectId: 'works-beneficiary:b-2', fields: ['fullName', 'cin'] },
        },
      ]);
    expect(JSON.stringify(history(propose(), decision('approved'), launch(), direct())[3])).not.toMatch(
      /Fictive|JB123456/,
    );
  });

  it('refuses a wage below the monthly SMIG in force on the enrolment day, quoting it and its text', () => {
    const error = refusal(launched, fromMatching('b-1', { monthlyWageCentimes: 280_000, on: '2022-05-10' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'WAGE_BELOW_SMIG', fields: [{ path: 'monthlyWageCentimes' }] });
    expect(error.message).toMatch(
      /2800\.00 MAD a month is below the monthly SMIG of 2828\.71 MAD in force on 2022-05-10/,
    );
    expect(error.message).toContain('Accord social du 25 avril 2019');
    // From 1 September 2022 the SMIG is 15.55 × 191 = 2,970.05 MAD: the project wage of 2,828.71 no longer suffices.
    expect(refusal(launched, fromMatching('b-1', { on: '2022-09-05' })).message).toMatch(
      /2970\.05 MAD .*Accord social du 30 avril 2022/,
    );
  });

  it('refuses a wage that is not whole centimes', () => {
    given(launched)
      .when(fromMatching('b-1', { monthlyWageCentimes: 3000.5 }))
      .thenThrows('NOT_WHOLE_CENTIMES');
  });

  it('enrols each beneficiary and each seeker once', () => {
    given(staffed).when(fromMatching('b-1')).thenThrows('BENEFICIARY_ALREADY_ENROLLED');
    given(staffed)
      .when(fromMatching('b-9', { seekerId: 'sk-b-1' }))
      .thenThrows('BENEFICIARY_ALREADY_ENROLLED');
  });

  it('takes no more beneficiaries than the site has jobs', () => {
    given(history(propose(), decision('approved'), launch(), fromMatching('b-1'), direct('b-2'), fromMatching('b-3')))
      .when(fromMatching('b-4'))
      .thenThrows('SITE_FULL');
  });

  it('needs a seeker file from matching and an identity from a direct registration', () => {
    expect(refusal(launched, fromMatching('b-1', { seekerId: undefined }))).toMatchObject({
      code: 'SEEKER_REQUIRED',
      fields: [{ path: 'seekerId' }],
    });
    expect(refusal(launched, fromMatching('b-1', { identity: { fullName: 'X', cin: 'A1' } }))).toMatchObject({
      code: 'IDENTITY_NOT_EXPECTED',
      fields: [{ path: 'identity' }],
    });
    expect(
      refusal(
        launched,
        cmd('EnrolBeneficiary', { beneficiaryId: 'b-5', source: 'direct', on: '2022-05-02', categories }),
      ),
    ).toMatchObject({ code: 'IDENTITY_REQUIRED', fields: [{ path: 'identity.fullName' }, { path: 'identity.cin' }] });
    expect(
      refusal(
        launched,
        cmd('EnrolBeneficiary', {
          beneficiaryId: 'b-5',
          source: 'direct',
          identity: { fullName: 'Y', cin: ' ' },
          on: '2022-05-02',
          categories,
        }),
      ),
    ).toMatchObject({ code: 'IDENTITY_REQUIRED', fields: [{ path: 'identity.cin' }] });
  });

  it('enrols between the approval and the end of the site', () => {
    expect(refusal(launched, fromMatching('b-1', { on: '2022-04-27' }))).toMatchObject({
      code: 'ENROLMENT_OUTSIDE_SITE',
      fields: [{ path: 'on' }],
    });
    given(launched)
      .when(fromMatching('b-1', { on: '2022-11-02' }))
      .thenThrows('ENROLMENT_OUTSIDE_SITE');
  });

  it('enrols only on an approved or launched site that is not completed', () => {
    given(proposed).when(fromMatching()).thenThrows('PROJECT_NOT_APPROVED');
    given(completed).when(fromMatching('b-7')).thenThrows('SITE_COMPLETED');
  });
});

// A full month (26 days) at 2,828.71 MAD, May 2022, rates half up to the centime:
//   employee: short-term 0.52 % = 14.7093 → 14.71; pension 3.96 % = 112.0169 → 112.02; AMO 2.26 % = 63.9288 → 63.93; total 190.66
//   employer: family 6.40 % = 181.0374 → 181.04; short-term 1.05 % = 29.7015 → 29.70; pension 7.93 % = 224.3167 → 224.32;
//             AMO 4.11 % = 116.2600 → 116.26; training 1.6 % = 45.2594 → 45.26; total 596.58; net 2,828.71 − 190.66 = 2,638.05
// 13 days of 26: 2,828.71 × 13 / 26 = 1,414.355 → 1,414.36 MAD
//   employee: 7.3547 → 7.35; 56.0087 → 56.01; 31.9645 → 31.96; total 95.32
//   employer: 90.5190 → 90.52; 14.8508 → 14.85; 112.1587 → 112.16; 58.1302 → 58.13; 22.6298 → 22.63; total 298.29; net 1,319.04
const MAY_FULL = {
  grossCentimes: 282_871,
  netCentimes: 263_805,
  employee: { shortTerm: 1_471, pension: 11_202, amo: 6_393, familyAllowances: 0, trainingTax: 0, total: 19_066 },
  employer: {
    shortTerm: 2_970,
    pension: 22_432,
    amo: 11_626,
    familyAllowances: 18_104,
    trainingTax: 4_526,
    total: 59_658,
  },
};
const payrollEvent = (month: string, lines: unknown[], totals: Record<string, number>) =>
  [
    {
      type: 'WorksPayrollRecorded',
      schemaVersion: 1,
      data: { projectId: project.projectId, region: 'MA-10', month, lines, totals },
    },
  ] as unknown as WorksProjectEvent[];

describe('recording a month’s payroll', () => {
  it('pays each line by days out of 26 with both sides’ CNSS shares, and totals that add up', () => {
    given(staffed)
      .when(
        payroll('2022-05', [
          { beneficiaryId: 'b-1', days: 26 },
          { beneficiaryId: 'b-2', days: 13 },
        ]),
      )
      .then(
        payrollEvent(
          '2022-05',
          [
            expect.objectContaining({ beneficiaryId: 'b-1', days: 26, ...MAY_FULL }),
            expect.objectContaining({
              beneficiaryId: 'b-2',
              days: 13,
              grossCentimes: 141_436,
              netCentimes: 131_904,
              employee: {
                shortTerm: 735,
                pension: 5_601,
                amo: 3_196,
                familyAllowances: 0,
                trainingTax: 0,
                total: 9_532,
              },
              employer: {
                shortTerm: 1_485,
                pension: 11_216,
                amo: 5_813,
                familyAllowances: 9_052,
                trainingTax: 2_263,
                total: 29_829,
              },
            }),
          ],
          { grossCentimes: 424_307, employeeCentimes: 28_598, employerCentimes: 89_487, netCentimes: 395_709 },
        ),
      );
  });

  it('lists the SMIG it held the wage against and every CNSS rate, each with its text', () => {
    const line = monthOf(
      worksProjectDecider.decide(
        payroll('2022-05', [{ beneficiaryId: 'b-1', days: 26 }]),
        staffed.reduce(worksProjectDecider.evolve, worksProjectDecider.initialState()),
      ),
    ).lines[0];
    expect(line?.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'smig.hourly',
        'smig.monthly_hours',
        'cnss.family_allowances.employer',
        'cnss.capped_salary',
      ]),
    );
    expect(line?.parameters.every((p) => p.reference.length > 0)).toBe(true);
  });

  // The SMIG rose on 1 September 2022 from 14.81 to 15.55 MAD/h: 2,828.71 → 15.55 × 191 = 2,970.05 MAD. A site that
  // spans the rise pays August at the wage agreed and September at the new SMIG, for the whole of the site.
  // September, 26 days at 2,970.05 MAD:
  //   employee: 0.52 % = 15.4443 → 15.44; 3.96 % = 117.6140 → 117.61; 2.26 % = 67.1231 → 67.12; total 200.17
  //   employer: 6.40 % = 190.0832 → 190.08; 1.05 % = 31.185525 → 31.19; 7.93 % = 235.5250 → 235.52 (235.524965);
  //             4.11 % = 122.0691 → 122.07; 1.6 % = 47.5208 → 47.52; total 626.38; net 2,970.05 − 200.17 = 2,769.88
  it('pays at least the SMIG in force on the month’s first day, so the September 2022 rise reaches a site already running', () => {
    given(staffed)
      .when(payroll('2022-08', [{ beneficiaryId: 'b-1', days: 26 }]))
      .then(
        payrollEvent('2022-08', [expect.objectContaining({ beneficiaryId: 'b-1', ...MAY_FULL })], {
          grossCentimes: 282_871,
          employeeCentimes: 19_066,
          employerCentimes: 59_658,
          netCentimes: 263_805,
        }),
      );
    given(staffed)
      .when(payroll('2022-09', [{ beneficiaryId: 'b-1', days: 26 }]))
      .then(
        payrollEvent(
          '2022-09',
          [
            expect.objectContaining({
              beneficiaryId: 'b-1',
              grossCentimes: 297_005,
              netCentimes: 276_988,
              employee: {
                shortTerm: 1_544,
                pension: 11_761,
                amo: 6_712,
                familyAllowances: 0,
                trainingTax: 0,
                total: 20_017,
              },
              employer: {
                shortTerm: 3_119,
                pension: 23_552,
                amo: 12_207,
                familyAllowances: 19_008,
                trainingTax: 4_752,
                total: 62_638,
              },
              parameters: expect.arrayContaining([
                expect.objectContaining({ name: 'smig.hourly', value: 1555, effectiveFrom: '2022-09-01' }),
              ]),
            }),
          ],
          { grossCentimes: 297_005, employeeCentimes: 20_017, employerCentimes: 62_638, netCentimes: 276_988 },
        ),
      );
  });

  it('refuses a line for someone not enrolled by that month, naming each line', () => {
    const joinedLate = history(propose(), decision('approved'), launch(), direct('b-2', '2022-06-01'));
    expect(
      refusal(
        joinedLate,
        payroll('2022-05', [
          { beneficiaryId: 'b-2', days: 10 },
          { beneficiaryId: 'b-8', days: 26 },
        ]),
      ),
    ).toMatchObject({
      code: 'BENEFICIARY_NOT_ENROLLED',
      fields: [{ path: 'lines.0.beneficiaryId' }, { path: 'lines.1.beneficiaryId' }],
    });
  });

  it('refuses two lines for one beneficiary, more than 26 days, and a payroll without lines', () => {
    expect(
      refusal(
        staffed,
        payroll('2022-05', [
          { beneficiaryId: 'b-1', days: 13 },
          { beneficiaryId: 'b-1', days: 13 },
        ]),
      ),
    ).toMatchObject({ code: 'BENEFICIARY_REPEATED', fields: [{ path: 'lines.1.beneficiaryId' }] });
    expect(
      refusal(
        staffed,
        payroll('2022-05', [
          { beneficiaryId: 'b-1', days: 26 },
          { beneficiaryId: 'b-2', days: 27 },
        ]),
      ),
    ).toMatchObject({ code: 'DAYS_OUT_OF_RANGE', fields: [{ path: 'lines.1.days' }] });
    given(staffed).when(payroll('2022-05', [])).thenThrows('NO_LINES');
  });

  it('records each month of the site once, and none that has not begun', () => {
    const may = history(
      propose(),
      decision('approved'),
      launch(),
      fromMatching(),
      payroll('2022-05', [{ beneficiaryId: 'b-1', days: 26 }]),
    );
    given(may)
      .when(payroll('2022-05', [{ beneficiaryId: 'b-1', days: 1 }]))
      .thenThrows('PAYROLL_ALREADY_RECORDED');
    expect(refusal(staffed, payroll('2022-04', [{ beneficiaryId: 'b-1', days: 1 }]))).toMatchObject({
      code: 'MONTH_OUTSIDE_SITE',
      fields: [{ path: 'month' }],
    });
    given(staffed)
      .when(payroll('2022-12', [{ beneficiaryId: 'b-1', days: 1 }], '2023-01-05'))
      .thenThrows('MONTH_OUTSIDE_SITE');
    expect(refusal(staffed, payroll('2022-07', [{ beneficiaryId: 'b-1', days: 1 }], '2022-06-30'))).toMatchObject({
      code: 'MONTH_NOT_STARTED',
      fields: [{ path: 'month' }],
    });
  });

  it('pays the budgeted months of a site launched late, past its planned end', () => {
    const late = history(
      propose(),
      decision('approved'),
      launch('2022-06-15'),
      fromMatching('b-1', { on: '2022-06-15' }),
    );
    given(late)
      .when(payroll('2022-12', [{ beneficiaryId: 'b-1', days: 10 }], '2023-01-05'))
      .then(payrollEvent('2022-12', [expect.objectContaining({ days: 10 })], expect.any(Object)));
    given(late)
      .when(payroll('2023-01', [{ beneficiaryId: 'b-1', days: 10 }], '2023-02-05'))
      .thenThrows('MONTH_OUTSIDE_SITE');
  });

  it('pays only a launched site that is not completed', () => {
    given(approved)
      .when(payroll('2022-05', [{ beneficiaryId: 'b-1', days: 26 }]))
      .thenThrows('SITE_NOT_LAUNCHED');
    given(completed)
      .when(payroll('2022-10', [{ beneficiaryId: 'b-1', days: 26 }]))
      .thenThrows('SITE_COMPLETED');
  });
});

describe('completing the site', () => {
  const paid = history(
    propose(),
    decision('approved'),
    launch(),
    fromMatching(),
    direct(),
    payroll('2022-05', [
      { beneficiaryId: 'b-1', days: 26 },
      { beneficiaryId: 'b-2', days: 13 },
    ]),
    payroll('2022-06', [
      { beneficiaryId: 'b-1', days: 26 },
      { beneficiaryId: 'b-2', days: 0 },
    ]),
  );

  it('issues one certificate per beneficiary: months paid (days > 0), days worked and gross pay summed', () => {
    given(paid)
      .when(complete())
      .then([
        {
          type: 'WorksSiteCompleted',
          schemaVersion: 1,
          data: {
            projectId: project.projectId,
            region: 'MA-10',
            on: '2022-11-01',
            certificates: [
              // 2 × 2,828.71 = 5,657.42 MAD over 52 days
              {
                certificateNumber: 'gon-pistes-2022-001',
                beneficiaryId: 'b-1',
                from: '2022-05-02',
                to: '2022-11-01',
                monthsPaid: 2,
                daysWorked: 52,
                grossCentimes: 565_742,
              },
              // 13 days in May, none in June: 1,414.36 MAD
              {
                certificateNumber: 'gon-pistes-2022-002',
                beneficiaryId: 'b-2',
                from: '2022-05-16',
                to: '2022-11-01',
                monthsPaid: 1,
                daysWorked: 13,
                grossCentimes: 141_436,
              },
            ],
          },
        },
      ]);
  });

  it('completes a launched site once, not before its launch or its last enrolment', () => {
    given(approved).when(complete()).thenThrows('SITE_NOT_LAUNCHED');
    given(completed).when(complete()).thenThrows('SITE_ALREADY_COMPLETED');
    expect(refusal(paid, complete('2022-05-10'))).toMatchObject({
      code: 'COMPLETION_TOO_EARLY',
      fields: [{ path: 'on' }],
    });
  });
});
