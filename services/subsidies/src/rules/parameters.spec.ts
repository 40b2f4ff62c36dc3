import { BASELINE, knownAt, monthlySmig, valueOn, type ParameterTable } from './parameters';

describe('dated parameters', () => {
  // 191 h × the hourly SMIG of DOMAIN.md, on each side of every change date.
  it.each([
    ['2021-06-15', 282_871],
    ['2022-08-31', 282_871],
    ['2022-09-01', 297_005],
    ['2023-08-31', 297_005],
    ['2023-09-01', 311_139],
    ['2024-12-31', 311_139],
    ['2025-01-01', 326_610],
    ['2025-12-31', 326_610],
    ['2026-01-01', 342_272],
  ])('the monthly SMIG on %s is %i centimes', (date, centimes) => {
    expect(monthlySmig(BASELINE, date).centimes).toBe(centimes);
  });

  it('names the value and the text it was taken from', () => {
    expect(valueOn(BASELINE, 'smig.hourly', '2022-05-10')).toEqual({
      name: 'smig.hourly',
      value: 1481,
      effectiveFrom: '2020-07-01',
      reference: expect.stringContaining('2019'),
    });
    expect(valueOn(BASELINE, 'smag.daily', '2026-04-01').value).toBe(9744);
  });

  it('refuses a date before any value took effect', () => {
    expect(() => valueOn(BASELINE, 'smag.daily', '2024-01-01')).toThrow(
      expect.objectContaining({ code: 'PARAMETER_NOT_IN_FORCE' }),
    );
  });

  it('uses a later value only from its date, and only once it was known', () => {
    const table: ParameterTable = [
      ...BASELINE,
      {
        name: 'awrach2.max_turnover_3y',
        value: 500_000_000,
        effectiveFrom: '2023-09-01',
        reference: 'later text',
        recordedAt: '2023-08-20T10:00:00.000Z',
      },
    ];
    expect(valueOn(table, 'awrach2.max_turnover_3y', '2023-08-31').value).toBe(1_000_000_000);
    expect(valueOn(table, 'awrach2.max_turnover_3y', '2023-09-01').value).toBe(500_000_000);
    expect(valueOn(knownAt(table, '2023-08-19T00:00:00.000Z'), 'awrach2.max_turnover_3y', '2023-09-01').value).toBe(
      1_000_000_000,
    );
  });

  // Awrach 2 is the 2023 edition: circular of March 2023, conventions of 11 April, launch on 25 July.
  it('dates every Awrach 2 value from the launch of 25 July 2023 and cites the 2023 texts, none from 2022', () => {
    const awrach2 = BASELINE.filter((v) => v.name.startsWith('awrach2.'));
    expect(awrach2.length).toBeGreaterThanOrEqual(8);
    for (const v of awrach2) {
      expect(v.effectiveFrom).toBe('2023-07-25');
      expect(v.reference).toMatch(/mars 2023.*11 avril 2023.*25 juillet 2023/);
      expect(v.reference).not.toMatch(/12 janvier 2022/);
    }
    expect(() => valueOn(BASELINE, 'awrach2.grant_monthly', '2023-07-24')).toThrow(
      expect.objectContaining({ code: 'PARAMETER_NOT_IN_FORCE' }),
    );
    expect(valueOn(BASELINE, 'awrach2.in_force', '2023-07-25').reference).toMatch(/à confirmer/);
  });
});
