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
import { POINTS, skillKey } from './points';

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

/** What a score is made of, before it is put in words. */
interface Measured {
  readonly tier: DistanceTier;
  readonly proximity: keyof typeof POINTS.occupation;
  readonly shared: number;
  readonly wanted: number;
  readonly months: number;
  readonly parts: ScoreParts;
}

/**
 * The one scoring rule, without its reasons, for one offer on one day: undefined when the offer is
 * beyond how far the seeker will go. What depends on the offer alone (the skills asked, the
 * education required) is prepared once, and the months registered once per registration day.
 * Ranking a published offer's pool scores every seeker read to keep a few: at 1,800 seekers an
 * offer, writing six reasons for each, and splitting the two dates of each, took most of that
 * ranking (2026-12-05).
 */
const measurer = (o: OfferForScoring, on: string): ((s: SeekerForScoring) => Measured | undefined) => {
  const wanted = new Set(o.skills.map(skillKey));
  const required = EDUCATION_LEVELS.indexOf(o.requiredEducation);
  const monthsSince = new Map<string, number>();
  return (s) => {
    const tier = distanceTier(s, o);
    if (!MOBILITY_REACH[s.mobility].includes(tier)) return undefined;
    let proximity: keyof typeof POINTS.occupation = 'none';
    for (const c of s.occupations) {
      const p = occupationProximity(c, o.occupation);
      if (POINTS.occupation[p] > POINTS.occupation[proximity]) proximity = p;
    }
    let shared = 0;
    for (const x of s.skills) if (wanted.has(skillKey(x))) shared += 1;
    const gap = EDUCATION_LEVELS.indexOf(s.education) - required;
    let months = monthsSince.get(s.registeredOn);
    if (months === undefined) {
      months = monthsRegistered(s.registeredOn, on);
      monthsSince.set(s.registeredOn, months);
    }
    const longTerm = months >= POINTS.longTermMonths ? POINTS.priority.longTermRegistered : 0;
    const parts: ScoreParts = {
      occupation: POINTS.occupation[proximity],
      skills: wanted.size === 0 ? 0 : Math.floor((POINTS.skillsMax * shared) / wanted.size),
      education: gap >= 0 ? POINTS.education.meets : gap === -1 ? POINTS.education.oneBelow : POINTS.education.below,
      distance: POINTS.distance[tier],
      priority: longTerm + (s.disability ? POINTS.priority.disability : 0),
    };
    return { tier, proximity, shared, wanted: wanted.size, months, parts };
  };
};

const totalOf = (parts: ScoreParts): number =>
  parts.occupation + parts.skills + parts.education + parts.distance + parts.priority;

/**
 * scoreMatch's total alone, and its occupation points (0: no shared group), for many seekers and
 * one offer on one day; undefined where scoreMatch is.
 */
export const totalsFor = (
  o: OfferForScoring,
  on: string,
): ((s: SeekerForScoring) => { readonly total: number; readonly occupation: number } | undefined) => {
  const measure = measurer(o, on);
  return (s) => {
    const m = measure(s);
    return m && { total: totalOf(m.parts), occupation: m.parts.occupation };
  };
};

/** The one scoring function, with its reasons. Undefined when the offer is beyond how far the seeker will go. */
export const scoreMatch = (s: SeekerForScoring, o: OfferForScoring, on: string): Score | undefined => {
  const m = measurer(o, on)(s);
  if (!m) return undefined;
  const { tier, proximity, shared, wanted, months, parts } = m;
  const reasons = [
    `occupation ${o.occupation}: ${proximity === 'none' ? 'no shared group' : `same ${proximity} group`} (${parts.occupation})`,
    `skills: ${shared} of ${wanted} asked (${parts.skills})`,
    `education ${s.education} for ${o.requiredEducation} required (${parts.education})`,
    `distance: ${tier.replace('_', ' ')} (${parts.distance})`,
  ];
  const longTerm = months >= POINTS.longTermMonths ? POINTS.priority.longTermRegistered : 0;
  if (longTerm) reasons.push(`registered for ${months} months (${longTerm})`);
  if (s.disability) reasons.push(`priority for people with disabilities (${POINTS.priority.disability})`);
  return { total: totalOf(parts), tier, parts, reasons };
};
