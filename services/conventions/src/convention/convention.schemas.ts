import { isoDate, regionCode, slug, trimmedText } from '@tashghil/contracts';
import { pageQuery } from '@tashghil/service-kit';
import { z } from 'zod';
import { PARTY_ROLES, PROGRAMME_LINES } from './convention.model';

/**
 * What the HTTP API accepts. Amounts may be negative here on purpose: the decider refuses them with
 * NEGATIVE_AMOUNT naming the field, one rule in one place.
 */
const period = z.object({ start: isoDate, end: isoDate });

export const target = z.object({
  total: z.number().int(),
  byYear: z.record(z.string().regex(/^\d{4}$/, 'years are written YYYY'), z.number().int()).optional(),
});
export const budget = z.object({ stateCentimes: z.number().int(), regionCentimes: z.number().int() });

export const draftBody = z.object({
  conventionId: slug,
  region: regionCode,
  title: trimmedText(300, 3),
  period,
  legalBasis: z.array(trimmedText(300, 2)).max(20).optional(),
});

export const editBody = z
  .object({
    title: trimmedText(300, 3).optional(),
    period: period.optional(),
    legalBasis: z.array(trimmedText(300, 2)).max(20).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one of title, period, legalBasis');

export const partyBody = z.object({
  partyId: slug,
  name: trimmedText(200, 2),
  role: z.enum(PARTY_ROLES),
  mustSign: z.boolean().optional(),
});

const measureFields = {
  programmeLine: z.enum(PROGRAMME_LINES),
  label: trimmedText(300, 2).optional(),
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
  signatory: trimmedText(200, 2),
  date: isoDate,
  place: trimmedText(200, 2),
});

export const amendBody = z.object({
  effectiveDate: isoDate,
  reason: trimmedText(2000, 3),
  period: z.object({ start: isoDate.optional(), end: isoDate.optional() }).optional(),
  measures: z
    .array(z.object({ measureId: slug, target: target.optional(), budget: budget.optional() }))
    .max(100)
    .optional(),
});

export const closeBody = z.object({ date: isoDate, reason: trimmedText(2000, 3).optional() });

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
