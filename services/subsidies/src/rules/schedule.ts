import type { Instalment } from '@tashghil/contracts';
import { addDays, addMonths, daysBetween, lastDayOf, monthOf, monthsFrom } from '@tashghil/contracts';

export interface GrantPeriod {
  readonly startDate: string;
  readonly months: number;
  readonly monthlyCentimes: number;
}

/** The last day the grant covers: the day before the same date `months` later. */
export const periodEnd = (p: GrantPeriod): string => addDays(addMonths(p.startDate, p.months), -1);

/**
 * What the employer has earned by the end of `day`, in whole centimes. The grant accrues contract
 * month by contract month (10 May to 9 June is one month), and inside a contract month in
 * proportion to its days. Instalments are differences of this one function, so however the days
 * fall they add up to monthly × months exactly, and an early end is the same function read earlier.
 */
export const earnedBy = (p: GrantPeriod, day: string): number => {
  if (day < p.startDate) return 0;
  if (day >= periodEnd(p)) return p.monthlyCentimes * p.months;
  let k = 0;
  while (addMonths(p.startDate, k + 1) <= day) k += 1;
  const from = addMonths(p.startDate, k);
  const length = daysBetween(from, addMonths(p.startDate, k + 1));
  const into = daysBetween(from, day) + 1;
  // Integer arithmetic: monthly × (k·length + into) stays far below 2^53 for any real grant.
  return Math.floor((p.monthlyCentimes * (k * length + into)) / length);
};

/** One instalment per calendar month the grant touches, each what was earned in that month. */
export const scheduleFor = (p: GrantPeriod, lastDay: string = periodEnd(p)): Instalment[] => {
  const end = lastDay < periodEnd(p) ? lastDay : periodEnd(p);
  if (end < p.startDate) return [];
  let before = 0;
  return monthsFrom(monthOf(p.startDate), monthOf(end)).map((month) => {
    const upTo = earnedBy(p, month === monthOf(end) ? end : lastDayOf(month));
    const amountCentimes = upTo - before;
    before = upTo;
    return { month, amountCentimes };
  });
};

export const total = (instalments: readonly Instalment[]): number =>
  instalments.reduce((n, i) => n + i.amountCentimes, 0);
