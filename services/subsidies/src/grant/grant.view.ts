import { REGIONS, type RegionCode } from '@tashghil/contracts';
import type { Identity } from '@tashghil/service-kit';
import { assertRegionAccess } from '@tashghil/service-kit';
import { ForbiddenError } from '@tashghil/event-store';
import { lastDayOf } from '@tashghil/contracts';
import type { Grant } from './grant.decider';

type Active = Exclude<Grant, { status: 'none' }>;

/** An employer, association or cooperative reaches its own files; everyone else goes by region. */
export const assertGrantAccess = (who: Identity, region: string, employerId: string | undefined, access: 'read' | 'write', writers: Parameters<typeof assertRegionAccess>[3] = ['officer', 'admin']): void => {
  const organisation = who.roles.some((r) => r === 'employer' || r === 'association');
  if (organisation && employerId !== undefined && who.org === employerId) {
    if (access === 'read' || writers?.some((r) => who.roles.includes(r))) return;
    throw new ForbiddenError('ROLE_NOT_ALLOWED', 'an employer reads its grant files and files declarations, but this step is the administration’s');
  }
  assertRegionAccess(who, region, access, writers);
};

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
    schedule,
    totals: { scheduledCentimes: scheduled, paidCentimes: paid, clawbackCentimes: g.clawbackCentimes, outstandingCentimes: Math.max(0, scheduled - paid) },
    version,
  };
};
