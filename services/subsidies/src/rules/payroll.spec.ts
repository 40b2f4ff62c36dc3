import { BASELINE } from './parameters';
import { payrollLine, rateOf } from './payroll';

const line = (monthlyWageCentimes: number, days: number, on: string) => payrollLine({ beneficiaryId: 'b-1', monthlyWageCentimes, days, table: BASELINE, on });

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
      employer: { familyAllowances: 18_104, shortTerm: 2_970, pension: 22_432, amo: 11_626, trainingTax: 4_526, total: 59_658 },
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
    expect(() => payrollLine({ beneficiaryId: 'b', monthlyWageCentimes: 282_871, days: 27, table: BASELINE, on: '2022-05-01', path: 'lines.3.days' }))
      .toThrow(expect.objectContaining({ code: 'DAYS_OUT_OF_RANGE', fields: [expect.objectContaining({ path: 'lines.3.days' })] }));
  });

  it('lists every parameter it used, with its reference', () => {
    const names = line(282_871, 26, '2022-05-01').parameters.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['cnss.pension.employee', 'cnss.capped_salary', 'cnss.max_declared_days']));
  });
});
