import { REGIONS, type RegionCode } from '@tashghil/contracts';
import { lastDayOf } from '@tashghil/contracts';
import type { Grant } from './grant.decider';

type Active = Exclude<Grant, { status: 'none' }>;

/** Where a month stands whatever the day: paid, nothing due, or due (then today says which). */
type Settled = 'paid' | 'nothing_due' | 'due';

const settled = (g: Active, month: string, amount: number): Settled => {
  if (g.payments[month] !== undefined) return 'paid';
  return amount === 0 ? 'nothing_due' : 'due';
};

/** A month due is upcoming until its last day, then payable once declared to the CNSS. */
const monthStatus = (
  item: { readonly month: string; readonly status: string; readonly declaredDays: number | null },
  today: string,
): string => {
  if (item.status !== 'due') return item.status;
  if (today <= lastDayOf(item.month)) return 'upcoming';
  return (item.declaredDays ?? 0) > 0 ? 'payable' : 'awaiting_declaration';
};

/**
 * The grant as its list keeps it (the query model's `view`): everything the day does not change,
 * each month of the schedule settled or `due`. grantOn makes the view of a day of it.
 */
export const grantListed = (g: Active) => {
  const schedule = g.schedule.map((i) => ({
    ...i,
    status: settled(g, i.month, i.amountCentimes) as string,
    paidCentimes: g.payments[i.month] ?? 0,
    declaredDays: g.declarations[i.month]?.days ?? null,
  }));
  const scheduled = g.schedule.reduce((n, i) => n + i.amountCentimes, 0);
  const paid = Object.values(g.payments).reduce((n, c) => n + c, 0);
  return {
    grantId: g.application.grantId,
    status: g.status,
    region: g.application.region,
    regionName: REGIONS[g.application.region as RegionCode],
    scheme: g.application.scheme,
    application: g.application,
    ...(g.decision ? { decision: g.decision } : {}),
    ...(g.lastDay ? { lastDay: g.lastDay } : {}),
    // The end as decided: the contract and required ends, whether the commitment broke, and its cost by rule.
    ...(g.ending ? { ending: g.ending } : {}),
    schedule,
    totals: {
      scheduledCentimes: scheduled,
      paidCentimes: paid,
      clawbackCentimes: g.clawbackCentimes,
      outstandingCentimes: Math.max(0, scheduled - paid),
    },
  };
};

export type GrantListed = ReturnType<typeof grantListed>;

/** The grant as an officer reads it on a day: each month due is upcoming, payable or awaiting its declaration. */
export const grantOn = (listed: GrantListed, version: number, today: string) => ({
  ...listed,
  schedule: listed.schedule.map((i) => ({ ...i, status: monthStatus(i, today) })),
  version,
});

export const grantView = (g: Active, version: number, today: string) => grantOn(grantListed(g), version, today);
