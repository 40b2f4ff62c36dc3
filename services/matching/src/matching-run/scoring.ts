import { occupationProximity } from '../occupation/isco-08';
import { EDUCATION_LEVELS, monthsRegistered, type EducationLevel, type Mobility } from '../seeker/seeker.decider';

export type DistanceTier = 'same_province' | 'same_region' | 'other_region' | 'abroad';

export interface SeekerForScoring {
  readonly region: string;
  readonly province: string;
  readonly occupations: readonly string[];
  readonly skills: readonly string[];
  readonly education: EducationLevel;
  readonly mobility: Mobility;
  readonly registeredOn: string;
  readonly disability: boolean;
}

export interface OfferForScoring {
  readonly region: string;
  readonly province: string;
  readonly abroadCountry?: string;
  readonly occupation: string;
  readonly skills: readonly string[];
  readonly requiredEducation: EducationLevel;
}

export interface ScoreParts {
  readonly occupation: number;
  readonly skills: number;
  readonly education: number;
  readonly distance: number;
  readonly priority: number;
}

export interface Score {
  readonly total: number;
  readonly tier: DistanceTier;
  readonly parts: ScoreParts;
  /** Why each part has its value, in words an officer can read back to the seeker. */
  readonly reasons: readonly string[];
}

export { POINTS } from './points';
import { POINTS } from './points';

const MOBILITY_REACH: Readonly<Record<Mobility, readonly DistanceTier[]>> = {
  own_province: ['same_province'],
  own_region: ['same_province', 'same_region'],
  any_region: ['same_province', 'same_region', 'other_region'],
  abroad: ['same_province', 'same_region', 'other_region', 'abroad'],
};

export const distanceTier = (
  s: Pick<SeekerForScoring, 'region' | 'province'>,
  o: Pick<OfferForScoring, 'region' | 'province' | 'abroadCountry'>,
): DistanceTier => {
  if (o.abroadCountry) return 'abroad';
  if (o.region !== s.region) return 'other_region';
  return o.province === s.province ? 'same_province' : 'same_region';
};

/** The one scoring function. Undefined when the offer is beyond how far the seeker will go. */
export const scoreMatch = (s: SeekerForScoring, o: OfferForScoring, on: string): Score | undefined => {
  const tier = distanceTier(s, o);
  if (!MOBILITY_REACH[s.mobility].includes(tier)) return undefined;
  const reasons: string[] = [];

  const proximity = s.occupations
    .map((c) => occupationProximity(c, o.occupation))
    .reduce<keyof typeof POINTS.occupation>(
      (best, p) => (POINTS.occupation[p] > POINTS.occupation[best] ? p : best),
      'none',
    );
  const occupation = POINTS.occupation[proximity];
  reasons.push(
    `occupation ${o.occupation}: ${proximity === 'none' ? 'no shared group' : `same ${proximity} group`} (${occupation})`,
  );

  const wanted = new Set(o.skills.map((x) => x.toLowerCase()));
  const shared = s.skills.filter((x) => wanted.has(x.toLowerCase())).length;
  const skills = wanted.size === 0 ? 0 : Math.floor((POINTS.skillsMax * shared) / wanted.size);
  reasons.push(`skills: ${shared} of ${wanted.size} asked (${skills})`);

  const gap = EDUCATION_LEVELS.indexOf(s.education) - EDUCATION_LEVELS.indexOf(o.requiredEducation);
  const education = gap >= 0 ? POINTS.education.meets : gap === -1 ? POINTS.education.oneBelow : POINTS.education.below;
  reasons.push(`education ${s.education} for ${o.requiredEducation} required (${education})`);

  const distance = POINTS.distance[tier];
  reasons.push(`distance: ${tier.replace('_', ' ')} (${distance})`);

  const months = monthsRegistered(s.registeredOn, on);
  const longTerm = months >= POINTS.longTermMonths ? POINTS.priority.longTermRegistered : 0;
  const disability = s.disability ? POINTS.priority.disability : 0;
  if (longTerm) reasons.push(`registered for ${months} months (${longTerm})`);
  if (disability) reasons.push(`priority for people with disabilities (${disability})`);

  const parts: ScoreParts = { occupation, skills, education, distance, priority: longTerm + disability };
  return { total: occupation + skills + education + distance + parts.priority, tier, parts, reasons };
};
