import { ValidationError } from '@tashghil/event-store';
import data from './isco-08.data.json';

/*
 * ISCO-08 (ILO, 2008), all four levels, vendored as data so that a run replays against the
 * classification it was scored with.
 * - Codes and English titles: the ILO "ISCO-08 EN Structure and definitions" table (as carried
 *   by Ben Jann's Stata `crosswalk` labels, labels_isco08), put in sentence case; four evident
 *   misspellings of that table are corrected ("Aministrators", "Aents", "Aalespersons",
 *   "AssociatePprofessionals").
 * - French: the CITP-08 wording used by the Swiss statistical office (CH-ISCO-19, 4-digit level),
 *   re-aligned on ISCO-08 where the Swiss version departs from it (e.g. 2513 "Médiamaticiens"
 *   becomes "Concepteurs de sites Internet et de multimédia").
 * - Arabic: our own translation, for every code at every level, in the wording of Moroccan
 *   administration (ouvriers « عمال », « مستخدمو » for clerks, « غير المصنفين في موضع آخر » for
 *   "not elsewhere classified"), so that no screen falls back to French or to a bare code.
 */

export type IscoLevel = 'major' | 'sub-major' | 'minor' | 'unit';

export interface OccupationLabels {
  readonly en: string;
  readonly fr: string;
  readonly ar: string;
}

export interface Occupation extends OccupationLabels {
  readonly code: string;
}

/** How close two occupations are: the finest ISCO-08 group they share. */
export type OccupationProximity = 'unit' | 'minor' | 'sub-major' | 'major' | 'none';

/** A code's level is its number of digits; that is how ISCO-08 is built (7 > 72 > 723 > 7231). */
const LEVEL_BY_LENGTH: Readonly<Record<number, IscoLevel>> = { 1: 'major', 2: 'sub-major', 3: 'minor', 4: 'unit' };

/** Every ISCO-08 code at every level, parents before children (plain string order does that). */
export const ISCO_08: readonly Occupation[] = Object.freeze(data.map((o): Occupation => Object.freeze({ ...o })));

const BY_CODE: ReadonlyMap<string, Occupation> = new Map(ISCO_08.map((o) => [o.code, o]));

/**
 * The 436 unit groups, the only codes a seeker or an offer may carry: the broader groups are
 * for reporting and for scoring near misses, not for registering a trade.
 */
export const UNIT_GROUP_CODES: readonly string[] = Object.freeze(
  ISCO_08.map((o) => o.code).filter((c) => c.length === 4),
);

const UNIT_GROUPS: ReadonlySet<string> = new Set(UNIT_GROUP_CODES);

export const isIscoUnitGroup = (code: string): boolean => UNIT_GROUPS.has(code);

export const occupation = (code: string): Occupation | undefined => BY_CODE.get(code);

export const levelOf = (code: string): IscoLevel | undefined =>
  BY_CODE.has(code) ? LEVEL_BY_LENGTH[code.length] : undefined;

/**
 * Labels to show for a code. Codes are validated where they enter (seeker and offer commands),
 * so an unknown one here is a bad request rather than something to render blank.
 */
export const labels = (code: string): OccupationLabels => {
  const o = BY_CODE.get(code);
  if (o === undefined) throw new ValidationError('ISCO_CODE_UNKNOWN', `${JSON.stringify(code)} is not an ISCO-08 code`);
  return { en: o.en, fr: o.fr, ar: o.ar };
};

/** The group with `digits` digits that contains `code` (the code itself at its own level). */
const ancestor = (code: string, digits: number): string | undefined =>
  BY_CODE.has(code) && code.length >= digits ? code.slice(0, digits) : undefined;

export const majorOf = (code: string): string | undefined => ancestor(code, 1);
export const subMajorOf = (code: string): string | undefined => ancestor(code, 2);
export const minorOf = (code: string): string | undefined => ancestor(code, 3);

const PROXIMITY_BY_DIGITS: readonly (readonly [number, OccupationProximity])[] = [
  [4, 'unit'],
  [3, 'minor'],
  [2, 'sub-major'],
  [1, 'major'],
];

/**
 * The finest group both codes belong to. Unknown codes share nothing, so a typo can never earn
 * points. Works for codes of any level: 72 and 7231 share their sub-major group.
 */
export const occupationProximity = (a: string, b: string): OccupationProximity => {
  if (!BY_CODE.has(a) || !BY_CODE.has(b)) return 'none';
  for (const [digits, proximity] of PROXIMITY_BY_DIGITS) {
    const ga = ancestor(a, digits);
    if (ga !== undefined && ga === ancestor(b, digits)) return proximity;
  }
  return 'none';
};
