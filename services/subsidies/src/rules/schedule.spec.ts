import { total, earnedBy, periodEnd, scheduleFor } from './schedule';
import { addMonths, monthsFrom } from '@tashghil/contracts';

const awrach1 = { months: 18, monthlyCentimes: 150_000 };

describe('grant schedule', () => {
  it('pays 1,500 MAD in each of 18 calendar months when the contract starts on the 1st', () => {
    const schedule = scheduleFor({ ...awrach1, startDate: '2022-06-01' });
    expect(schedule).toHaveLength(18);
    expect(schedule[0]).toEqual({ month: '2022-06', amountCentimes: 150_000 });
    expect(schedule[17]).toEqual({ month: '2023-11', amountCentimes: 150_000 });
    expect(schedule.every((i) => i.amountCentimes === 150_000)).toBe(true);
    expect(total(schedule)).toBe(2_700_000);
  });

  // Computed by hand. Start 10 May 2022; contract month 1 is 10 May–9 June (31 days).
  // May: 22 of 31 days → 150,000 × 22 / 31 = 106,451.6 → 106,451.
  // June 30: month 2 (10 June–9 July, 30 days) 21 days in → 150,000 × (30 + 21) / 30 = 255,000 → 148,549.
  // July 31: month 3 (10 July–9 Aug, 31 days) 22 days in → 150,000 × (62 + 22) / 31 = 406,451.6 → 151,451 more.
  // 31 Oct 2023: month 18 (10 Oct–9 Nov, 31 days) 22 days in → 150,000 × 549 / 31 = 2,656,451.6;
  // November 2023 is what remains of 2,700,000: 43,549.
  it('prorates a mid-month start by days and still adds up to 27,000.00 MAD to the centime', () => {
    const schedule = scheduleFor({ ...awrach1, startDate: '2022-05-10' });
    expect(schedule.slice(0, 3)).toEqual([
      { month: '2022-05', amountCentimes: 106_451 },
      { month: '2022-06', amountCentimes: 148_549 },
      { month: '2022-07', amountCentimes: 151_451 },
    ]);
    expect(schedule).toHaveLength(19);
    expect(schedule[18]).toEqual({ month: '2023-11', amountCentimes: 43_549 });
    expect(total(schedule)).toBe(2_700_000);
  });

  it('ends the period the day before the same date 18 months on, clamping to short months', () => {
    expect(periodEnd({ ...awrach1, startDate: '2022-05-10' })).toBe('2023-11-09');
    expect(periodEnd({ ...awrach1, startDate: '2022-08-31' })).toBe('2024-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
  });

  it('cuts the schedule at an early end, the last month to the days worked', () => {
    // Awrach 2 from 1 March 2023, ended 15 June 2023: June earns 150,000 × 15 / 30 = 75,000.
    const schedule = scheduleFor({ startDate: '2023-03-01', months: 9, monthlyCentimes: 150_000 }, '2023-06-15');
    expect(schedule).toEqual([
      { month: '2023-03', amountCentimes: 150_000 },
      { month: '2023-04', amountCentimes: 150_000 },
      { month: '2023-05', amountCentimes: 150_000 },
      { month: '2023-06', amountCentimes: 75_000 },
    ]);
  });

  it('earns nothing before the start and never more than the whole grant', () => {
    const p = { ...awrach1, startDate: '2022-05-10' };
    expect(earnedBy(p, '2022-05-09')).toBe(0);
    expect(earnedBy(p, '2022-05-10')).toBe(Math.floor(150_000 / 31));
    expect(earnedBy(p, '2030-01-01')).toBe(2_700_000);
  });

  it.each(['2022-01-31', '2022-02-28', '2024-02-29', '2023-12-15', '2022-07-01', '2025-10-31'])(
    'adds up exactly for a start on %s',
    (startDate) => {
      for (const months of [1, 9, 12, 18, 24]) {
        const schedule = scheduleFor({ startDate, months, monthlyCentimes: 150_001 });
        expect(total(schedule)).toBe(150_001 * months);
        expect(schedule.every((i) => i.amountCentimes >= 0 && Number.isInteger(i.amountCentimes))).toBe(true);
        expect(schedule.map((i) => i.month)).toEqual(
          monthsFrom(startDate.slice(0, 7), periodEnd({ startDate, months, monthlyCentimes: 1 }).slice(0, 7)),
        );
      }
    },
  );
});
