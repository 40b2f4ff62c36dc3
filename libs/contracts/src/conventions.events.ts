import { z } from 'zod';
import { REGION_CODES } from './regions';
import { TOPICS } from './topics';

const isCalendarDate = (s: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

export const isoDate = z.string().refine(isCalendarDate, 'must be a calendar date as YYYY-MM-DD');

export const conventionDraftedV1 = z.object({
  conventionId: z.string().min(1),
  region: z.enum(REGION_CODES as [string, ...string[]]),
  title: z.string().min(1),
  period: z.object({ start: isoDate, end: isoDate }),
  draftedAt: z.string(),
  draftedBy: z.string(),
});
export type ConventionDraftedV1 = z.infer<typeof conventionDraftedV1>;

export const CONVENTIONS_CONTRACTS = {
  ConventionDrafted: { topic: TOPICS.conventions, versions: { 1: conventionDraftedV1 } },
} as const;
