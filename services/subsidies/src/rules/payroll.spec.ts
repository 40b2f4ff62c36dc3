import { BASELINE } from './parameters';
import { payrollLine, rateOf, siteLine, sitePlan } from './payroll';

const line = (monthlyWageCentimes: number, days: number, on: string) =>
  payrollLine({ beneficiaryId: 'b-1', monthlyWageCentimes, days, table: BASELINE, on });

describe('works payroll line', () => {
  it('rounds a rate half up to the centime', () => {
    expect(rateOf(282_871, 52)).toBe(1_471);
    expect(rateOf(50, 100)).toBe(1);
    expect(rateOf(49, 100)).toBe(0);
  });

  // By hand, SMIG of May 2022 (14.81 × 191 = 2,828.71 MAD), 26 days:
  // employee 0.52 % 1,470.93 → 1,471; 3.96 % 11,201.69 → 11,202; 2.26 % 6,392.88 → 6,393; total 19,066
  // employer 6.40 % 18,103.74 → 18,104; 1.05 % 2,970.15 → 2,970; 7.93 % 22,431.67 → 22,432;
  //          4.11 % 11,625.998 → 11,626; 1.6 % 4,525.94 → 4,526; total 59,658
  it('computes a full month at the 2022 SMIG to the centime', () => {
    expect(line(282_871, 26, '2022-05-01')).toMatchObject({
      grossCentimes: 282_871,
      employee: { shortTerm: 1_471, pension: 11_202, amo: 6_393, familyAllowances: 0, trainingTax: 0, total: 19_066 },
      employer: {
        familyAllowances: 18_104,
        shortTerm: 2_970,
        pension: 22_432,
        amo: 11_626,
        trainingTax: 4_526,
        total: 59_658,
      },
      netCentimes: 263_805,
    });
  });

  // SMIG of 2026 (17.92 × 191 = 3,422.72 MAD): employee 1,779.81 → 1,780; 13,553.97 → 13,554; 7,735.35 → 7,735.
  // employer 21,905.41 → 21,905; 3,593.86 → 3,594; 27,142.17 → 27,142; 14,067.38 → 14,067; 5,476.35 → 5,476.
  it('computes a full month at the 2026 SMIG to the centime', () => {
    expect(line(342_272, 26, '2026-02-01')).toMatchObject({
      employee: { total: 1_780 + 13_554 + 7_735 },
      employer: { total: 21_905 + 3_594 + 27_142 + 14_067 + 5_476 },
      netCentimes: 342_272 - 23_069,
    });
  });

  it('caps short-term benefits and pension at 6,000 MAD but not AMO or family allowances', () => {
    const l = line(800_000, 26, '2024-03-01');
    expect(l.employee).toMatchObject({ shortTerm: 3_120, pension: 23_760, amo: 18_080 });
    expect(l.employer).toMatchObject({ shortTerm: 6_300, pension: 47_580, familyAllowances: 51_200 });
  });

  it('pays part of a month by days out of 26, half up: 13 days of 2,828.71 MAD is 1,414.36 MAD', () => {
    expect(line(282_871, 13, '2022-05-01').grossCentimes).toBe(141_436);
    expect(line(282_871, 0, '2022-05-01')).toMatchObject({ grossCentimes: 0, netCentimes: 0 });
  });

  it('refuses more than 26 days, naming the field', () => {
    expect(() =>
      payrollLine({
        beneficiaryId: 'b',
        monthlyWageCentimes: 282_871,
        days: 27,
        table: BASELINE,
        on: '2022-05-01',
        path: 'lines.3.days',
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'DAYS_OUT_OF_RANGE',
        fields: [expect.objectContaining({ path: 'lines.3.days' })],
      }),
    );
  });

  it('lists every parameter it used, with its reference', () => {
    const names = line(282_871, 26, '2022-05-01').parameters.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['cnss.pension.employee', 'cnss.capped_salary', 'cnss.max_declared_days']),
    );
  });
});

// The September 2022 SMIG by hand: 15.55 × 191 = 2,970.05 MAD. Employer, half up to the centime:
// family 6.40 % 19,008.32 → 19,008; short-term 1.05 % 3,118.5525 → 3,119; pension 7.93 % 23,552.4965 → 23,552;
// AMO 4.11 % 12,206.9055 → 12,207; training 1.6 % 4,752.08 → 4,752; total 62,638.
// So a job-month costs 2,828.71 + 596.58 = 3,425.29 MAD before September 2022 and 2,970.05 + 626.38 = 3,596.43 MAD from it.
const BEFORE = 282_871 + 59_658;
const FROM_SEPTEMBER = 297_005 + 62_638;

describe('a works site’s plan', () => {
  const paidToPlan = (jobs: number, months: readonly string[], wage: number): number =>
    months.reduce((total, month) => {
      const line = siteLine({ beneficiaryId: 'b', agreedWageCentimes: wage, days: 26, table: BASELINE, month });
      return total + jobs * (line.grossCentimes + line.employer.total);
    }, 0);

  it('prices a September 2022 job-month at the new SMIG, to the centime', () => {
    expect(
      siteLine({ beneficiaryId: 'b', agreedWageCentimes: 282_871, days: 26, table: BASELINE, month: '2022-09' }),
    ).toMatchObject({
      grossCentimes: 297_005,
      employer: {
        familyAllowances: 19_008,
        shortTerm: 3_119,
        pension: 23_552,
        amo: 12_207,
        trainingTax: 4_752,
        total: 62_638,
      },
    });
    expect(BEFORE).toBe(342_529);
    expect(FROM_SEPTEMBER).toBe(359_643);
  });

  // Site A, May–August 2022, 2 jobs at the SMIG: 2 × 4 × 3,425.29 = 27,402.32 MAD.
  // Wages alone (2 × 4 × 2,828.71 = 22,629.68 MAD) is what made a site paid to plan show 121 %.
  it('commits a site before the rise at its wages and employer contributions, what its payroll pays', () => {
    const plan = sitePlan({ jobs: 2, months: 4, from: '2022-05-01', monthlyWageCentimes: 282_871, table: BASELINE });
    expect(plan).toMatchObject({
      wagesCentimes: 2 * 4 * 282_871,
      employerCentimes: 2 * 4 * 59_658,
      totalCentimes: 2_740_232,
    });
    expect(plan.months.map((m) => m.month)).toEqual(['2022-05', '2022-06', '2022-07', '2022-08']);
    expect(plan.totalCentimes).toBe(paidToPlan(2, ['2022-05', '2022-06', '2022-07', '2022-08'], 282_871));
  });

  // Site B, July–October 2022, 2 jobs agreed at the old SMIG: 2 × (2 × 3,425.29 + 2 × 3,596.43) = 28,086.88 MAD,
  // against 22,629.68 MAD of wages at the old SMIG, which showed it 124 % paid.
  it('commits a site crossing 1 September 2022 at the SMIG of each month, what its payroll pays', () => {
    const plan = sitePlan({ jobs: 2, months: 4, from: '2022-07-01', monthlyWageCentimes: 282_871, table: BASELINE });
    expect(plan.months).toEqual([
      { month: '2022-07', wageCentimes: 282_871, employerCentimes: 59_658 },
      { month: '2022-08', wageCentimes: 282_871, employerCentimes: 59_658 },
      { month: '2022-09', wageCentimes: 297_005, employerCentimes: 62_638 },
      { month: '2022-10', wageCentimes: 297_005, employerCentimes: 62_638 },
    ]);
    expect(plan.totalCentimes).toBe(2_808_688);
    expect(plan.totalCentimes).toBe(2 * (2 * BEFORE + 2 * FROM_SEPTEMBER));
    expect(plan.totalCentimes).toBe(paidToPlan(2, ['2022-07', '2022-08', '2022-09', '2022-10'], 282_871));
    expect(
      plan.parameters
        .filter((p) => p.name === 'smig.hourly')
        .map((p) => [p.value, p.effectiveFrom, p.reference.slice(0, 30)]),
    ).toEqual([
      [1481, '2020-07-01', 'Accord social du 25 avril 2019'],
      [1555, '2022-09-01', 'Accord social du 30 avril 2022'],
    ]);
  });

  it('prices a mid-month site’s months where they end, so a rise is committed early, never late', () => {
    // 15 August–14 October: the months end in September and October, both at the new SMIG.
    const plan = sitePlan({ jobs: 1, months: 2, from: '2022-08-15', monthlyWageCentimes: 282_871, table: BASELINE });
    expect(plan.months.map((m) => m.month)).toEqual(['2022-09', '2022-10']);
    expect(plan.totalCentimes).toBe(2 * FROM_SEPTEMBER);
  });

  it('keeps a wage agreed above the SMIG', () => {
    expect(
      sitePlan({ jobs: 1, months: 1, from: '2022-09-01', monthlyWageCentimes: 320_000, table: BASELINE }).months[0],
    ).toMatchObject({ wageCentimes: 320_000 });
  });
});
