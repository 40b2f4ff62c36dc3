/*
 * The scoring's points alone, without the scoring's imports: the solving thread loads this file and
 * not the classification or the deciders.
 */
/**
 * Points per part, integers so that a run's objective is exact. Occupation weighs most: a
 * seeker is first placed in their trade; distance next, because the programmes pay for
 * mobility only where the seeker accepts it.
 */
export const POINTS = {
  occupation: { unit: 400, minor: 250, 'sub-major': 120, major: 50, none: 0 },
  skillsMax: 200,
  education: { meets: 100, oneBelow: 40, below: 0 },
  distance: { same_province: 150, same_region: 100, other_region: 50, abroad: 40 },
  priority: { longTermRegistered: 60, disability: 60 },
  /** The Guelmim-Oued Noun programme counts 24 months registered as long-term. */
  longTermMonths: 24,
} as const;

/** A skill as scoring compares it: skills match whatever their case (scoring.ts, q.seekers.skill_keys). */
export const skillKey = (skill: string): string => skill.toLowerCase();
