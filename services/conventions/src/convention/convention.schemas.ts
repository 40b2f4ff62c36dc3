import { isoDate, regionCode, slug } from '@tashghil/contracts';
import { pageQuery } from '@tashghil/service-kit';
import { z } from 'zod';
import { PARTY_ROLES, PROGRAMME_LINES } from './convention.model';

/**
 * What the HTTP API accepts. Amounts may be negative here on purpose: the decider refuses them with
 * NEGATIVE_AMOUNT naming the field, one rule in one place.
 */
// The length limit holds on the text as sent (what the OpenAPI maxLength says) and again once trimmed:
// the fuzz suite's schemathesis sent a title of 300+ characters padded with spaces, which trimming alone let in.
const text = (min: number, max: number) =>
  z.string().max(max).trim().min(min, `must be at least ${min} characters`).max(max);
const period = z.object({ start: isoDate, end: isoDate });

export const target = z.object({
  total: z.number().int(),
  byYear: z.record(z.string().regex(/^\d{4}$/, 'years are written YYYY'), z.number().int()).optional(),
});
export const budget = z.object({ stateCentimes: z.number().int(), regionCentimes: z.number().int() });

export const draftBody = z.object({
  conventionId: slug,
  region: regionCode,
  title: text(3, 300),
  period,
  legalBasis: z.array(text(2, 300)).max(20).optional(),
});

export const editBody = z
  .object({
    title: text(3, 300).optional(),
    period: period.optional(),
    legalBasis: z.array(text(2, 300)).max(20).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one of title, period, legalBasis');

export const partyBody = z.object({
  partyId: slug,
  name: text(2, 200),
  role: z.enum(PARTY_ROLES),
  mustSign: z.boolean().optional(),
});

const measureFields = {
  programmeLine: z.enum(PROGRAMME_LINES),
  label: text(2, 300).optional(),
  target: target.optional(),
  budget: budget.optional(),
};

export const measureBody = z
  .object({ measureId: slug, ...measureFields })
  .refine((m) => m.programmeLine !== 'other' || m.label !== undefined, {
    path: ['label'],
    message: 'a measure on the "other" line needs a label naming it',
  });

export const changeMeasureBody = z
  .object({
    programmeLine: measureFields.programmeLine.optional(),
    label: measureFields.label,
    target: measureFields.target,
    budget: measureFields.budget,
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

export const signBody = z.object({
  role: z.enum(PARTY_ROLES),
  partyId: slug.optional(),
  signatory: text(2, 200),
  date: isoDate,
  place: text(2, 200),
});

export const amendBody = z.object({
  effectiveDate: isoDate,
  reason: text(3, 2000),
  period: z.object({ start: isoDate.optional(), end: isoDate.optional() }).optional(),
  measures: z
    .array(z.object({ measureId: slug, target: target.optional(), budget: budget.optional() }))
    .max(100)
    .optional(),
});

export const closeBody = z.object({ date: isoDate, reason: text(3, 2000).optional() });

export const idParams = z.object({ id: slug });
export const partyParams = z.object({ id: slug, partyId: slug });
export const measureParams = z.object({ id: slug, measureId: slug });
export const PHASES = [
  'draft',
  'collecting-signatures',
  'signed',
  'active',
  'period-ended',
  'closed',
  'terminated',
] as const;
export const listQuery = pageQuery.extend({
  region: regionCode.optional(),
  status: z.enum(['draft', 'signed', 'closed']).optional(),
  phase: z.enum(PHASES).optional().describe('where the convention stands today'),
});
