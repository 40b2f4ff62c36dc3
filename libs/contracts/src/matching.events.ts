import { z } from 'zod';
import { positiveJobCount } from './limits';
import { isoDate } from './conventions.events';
import { regionCode as region } from './regions';
import { TOPICS } from './topics';

const scoreParts = z.object({
  occupation: z.number().int(),
  skills: z.number().int(),
  education: z.number().int(),
  distance: z.number().int(),
  priority: z.number().int(),
});

/**
 * A hire, for subsidies (grant files) and reporting (beneficiaries, flows). The seeker is named only
 * by their pseudonymous id; their categories are what the programmes' rules and the committees'
 * reports need, and nothing that identifies them.
 */
export const seekerHiredV1 = z.object({
  placementId: z.string(),
  on: isoDate,
  seekerId: z.string(),
  offerId: z.string(),
  employer: z.object({ kind: z.string(), id: z.string(), sector: z.string() }),
  occupation: z.string().regex(/^\d{4}$/),
  origin: z.object({ region, province: z.string() }),
  destination: z.object({ region, province: z.string(), abroadCountry: z.string().optional() }),
  flow: z.enum(['own_region', 'other_region', 'abroad']),
  contractType: z.string(),
  startDate: isoDate,
  contractMonths: z.number().int().positive(),
  monthlyWageCentimes: z.number().int().positive(),
  categories: z.object({
    gender: z.enum(['female', 'male']),
    ageBand: z.enum(['under_25', '25_34', '35_54', '55_plus']),
    disability: z.boolean(),
    hasDiploma: z.boolean(),
    area: z.enum(['rural', 'urban']),
    monthsRegistered: z.number().int().nonnegative(),
    longTermUnemployed: z.boolean(),
    pandemicJobLoss: z.boolean(),
  }),
});
export type SeekerHiredV1 = z.infer<typeof seekerHiredV1>;

export const offerPublishedV1 = z.object({
  offerId: z.string(),
  on: isoDate,
  by: z.string(),
  region,
  occupation: z.string().regex(/^\d{4}$/),
  positions: positiveJobCount,
  mass: z.boolean(),
  opensToOtherRegionsOn: isoDate,
});
export type OfferPublishedV1 = z.infer<typeof offerPublishedV1>;

export const offerOpenedToOtherRegionsV1 = z.object({
  offerId: z.string(),
  on: isoDate,
  by: z.string(),
  region,
  reason: z.enum(['mass_offer', 'unfilled']),
});

export const placementProposedV1 = z.object({
  placementId: z.string(),
  on: isoDate,
  runId: z.string().optional(),
  seekerId: z.string(),
  offerId: z.string(),
  score: z.number().int().nonnegative(),
  parts: scoreParts,
  reasons: z.array(z.string()),
});

export const MATCHING_CONTRACTS = {
  SeekerHired: { topic: TOPICS.matching, versions: { 1: seekerHiredV1 } },
  OfferPublished: { topic: TOPICS.matching, versions: { 1: offerPublishedV1 } },
  OfferOpenedToOtherRegions: { topic: TOPICS.matching, versions: { 1: offerOpenedToOtherRegionsV1 } },
  PlacementProposed: { topic: TOPICS.matching, versions: { 1: placementProposedV1 } },
} as const;
