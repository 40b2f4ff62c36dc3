import { REGIONS, type RegionCode } from '@tashghil/contracts';
import { lastDayOf } from '@tashghil/contracts';
import type { Grant } from './grant.decider';

type Active = Exclude<Grant, { status: 'none' }>;

/** Where each month of the schedule stands, as the paying side reconciles it. */
const monthStatus = (g: Active, month: string, amount: number, today: string): string => {
  if (g.payments[month] !== undefined) return 'paid';
  if (amount === 0) return 'nothing_due';
  if (today <= lastDayOf(month)) return 'upcoming';
  return (g.declarations[month]?.days ?? 0) > 0 ? 'payable' : 'awaiting_declaration';
};

export const grantView = (g: Active, version: number, today: string) => {
  const schedule = g.schedule.map((i) => ({
    ...i,
    status: monthStatus(g, i.month, i.amountCentimes, today),
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
    version,
  };
};
