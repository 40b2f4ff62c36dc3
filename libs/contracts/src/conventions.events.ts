import { z } from 'zod';
import { jobCount } from './limits';
import { regionCode } from './regions';
import { TOPICS } from './topics';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * A day of the Gregorian calendar written YYYY-MM-DD. Year 0000 is refused: the calendar (and
 * PostgreSQL's date type) goes from 1 BC to AD 1. Checked by arithmetic rather than through a Date:
 * every event of a rebuild passes here, several times.
 */
const isCalendarDate = (s: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  if (year === 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0));
};

export const isoDate = z
  .string()
  .refine(isCalendarDate, 'must be a calendar date as YYYY-MM-DD')
  .meta({ format: 'date' });

export const conventionDraftedV1 = z.object({
  conventionId: z.string().min(1),
  region: regionCode,
  title: z.string().min(1),
  period: z.object({ start: isoDate, end: isoDate }),
  legalBasis: z.array(z.string()).optional(),
  draftedAt: z.string(),
  draftedBy: z.string(),
});
export type ConventionDraftedV1 = z.infer<typeof conventionDraftedV1>;

const centimes = z.number().int().nonnegative();
const period = z.object({ start: isoDate, end: isoDate });

export const measureSchema = z.object({
  measureId: z.string(),
  programmeLine: z.string(),
  label: z.string().optional(),
  target: z
    .object({
      total: jobCount,
      byYear: z.record(z.string(), jobCount).optional(),
    })
    .optional(),
  budget: z.object({ stateCentimes: centimes, regionCentimes: centimes }).optional(),
});

export const conventionSignedV1 = z.object({
  conventionId: z.string(),
  region: regionCode,
  title: z.string(),
  period,
  legalBasis: z.array(z.string()),
  signedOn: isoDate,
  place: z.string(),
  signatures: z.array(
    z.object({ partyId: z.string(), role: z.string(), signatory: z.string(), date: isoDate, place: z.string() }),
  ),
  measures: z.array(measureSchema),
});
export type ConventionSignedV1 = z.infer<typeof conventionSignedV1>;

export const conventionAmendedV1 = z.object({
  conventionId: z.string(),
  region: regionCode,
  amendment: z.object({
    number: z.number().int().positive(),
    effectiveDate: isoDate,
    reason: z.string(),
    recordedAt: z.string(),
    recordedBy: z.string(),
  }),
  period,
  measures: z.array(measureSchema),
});
export type ConventionAmendedV1 = z.infer<typeof conventionAmendedV1>;

export const conventionClosedV1 = z.object({
  conventionId: z.string(),
  region: regionCode,
  date: isoDate,
  early: z.boolean(),
  reason: z.string().optional(),
});
export type ConventionClosedV1 = z.infer<typeof conventionClosedV1>;

export const CONVENTIONS_CONTRACTS = {
  ConventionDrafted: { topic: TOPICS.conventions, versions: { 1: conventionDraftedV1 } },
  ConventionSigned: { topic: TOPICS.conventions, versions: { 1: conventionSignedV1 } },
  ConventionAmended: { topic: TOPICS.conventions, versions: { 1: conventionAmendedV1 } },
  ConventionClosed: { topic: TOPICS.conventions, versions: { 1: conventionClosedV1 } },
} as const;
