import { sha256Hex } from '@tashghil/event-store';
import { scoreMatch } from '../matching-run/scoring';
import type { Offer } from '../offer/offer.decider';
import { ageOn, monthsRegistered, type Seeker } from '../seeker/seeker.decider';
import type { Categories, Proposal } from './placement.decider';

/** A placement's id, the same for the same seeker, offer and run: proposing again finds it. */
export const placementIdFor = (seekerId: string, offerId: string, runId = 'manual'): string =>
  `pl-${sha256Hex(`${runId}|${seekerId}|${offerId}`).slice(0, 16)}`;

const DIPLOMA_LEVELS = new Set(['baccalaureate', 'vocational', 'bac_plus_2', 'licence', 'master', 'doctorate']);

/** The seeker's categories on a day, as the committees count beneficiaries: no identity. */
export const categoriesOf = (s: Exclude<Seeker, { status: 'none' }>, on: string): Categories => {
  const age = ageOn(s.birthDate, on);
  const months = monthsRegistered(s.registeredOn, on);
  return {
    gender: s.gender,
    ageBand: age < 25 ? 'under_25' : age < 35 ? '25_34' : age < 55 ? '35_54' : '55_plus',
    disability: s.disability,
    hasDiploma: s.diploma !== undefined || DIPLOMA_LEVELS.has(s.education),
    area: s.area,
    monthsRegistered: months,
    longTermUnemployed: months >= 24,
    pandemicJobLoss: s.pandemicJobLoss,
  };
};

/** A proposal from the two files as they stand: the score, its parts and its reasons; none beyond the seeker's reach. */
export const proposalFor = (
  seeker: Exclude<Seeker, { status: 'none' }>,
  offer: Exclude<Offer, { status: 'none' }>,
  on: string,
  runId?: string,
): Proposal | undefined => {
  const score = scoreMatch(seeker, offer, on);
  if (!score) return undefined;
  return {
    placementId: placementIdFor(seeker.seekerId, offer.offerId, runId),
    ...(runId ? { runId } : {}),
    seekerId: seeker.seekerId,
    offerId: offer.offerId,
    score: score.total,
    parts: score.parts,
    reasons: score.reasons,
    origin: { region: seeker.region, province: seeker.province },
    destination: {
      region: offer.region,
      province: offer.province,
      ...(offer.abroadCountry ? { abroadCountry: offer.abroadCountry } : {}),
    },
    employer: { kind: offer.employer.kind, id: offer.employer.id, sector: offer.employer.sector },
    occupation: offer.occupation,
    categories: categoriesOf(seeker, on),
  };
};
