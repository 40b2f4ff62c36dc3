import { REGION_CODES } from '@tashghil/contracts';
import { ABROAD } from '@tashghil/matching-engine';
import { occupation } from '../occupation/isco-08';
import { EDUCATION_LEVELS, MOBILITY, monthsRegistered } from '../seeker/seeker.decider';
import type { RunInputs } from './run-inputs';
import { POINTS, skillKey } from './points';

/**
 * A run's inputs as typed arrays: what scoring and the optimiser read, and nothing else. It crosses
 * to the solving thread without copying (its buffers are transferred), and a million seekers take
 * tens of megabytes instead of a million objects. Strings (provinces, skills) become interned ids,
 * so that comparing them stays what `scoreMatch` compares.
 */
export interface RunArrays {
  readonly seekers: number;
  readonly offers: number;
  /** Region of each seeker and offer as an id: 0..11 for REGION_CODES, above for any other string. */
  readonly seekerRegion: Int32Array;
  /** Origin group of each seeker for the optimiser (an unknown region counts as the first, as it always has). */
  readonly seekerOrigin: Int32Array;
  readonly seekerProvince: Int32Array;
  /** Index in MOBILITY: how far the seeker goes is exactly the distance tiers 0..mobility. */
  readonly seekerMobility: Int32Array;
  readonly seekerEducation: Int32Array;
  /** Priority points on the run's day (long-term registration, disability): the same for every offer. */
  readonly seekerPriority: Int32Array;
  /** Occupations of seeker i: `seekerOccupation[4k .. 4k+3]` for k in occupationStart[i] .. occupationStart[i+1]. */
  readonly occupationStart: Int32Array;
  readonly seekerOccupation: Int32Array;
  /** Skills of seeker i, lower-cased ids, repeats kept (a repeated skill counts twice, as in scoreMatch). */
  readonly seekerSkillStart: Int32Array;
  readonly seekerSkill: Int32Array;
  readonly offerRegion: Int32Array;
  readonly offerProvince: Int32Array;
  readonly offerAbroad: Uint8Array;
  readonly offerOpen: Uint8Array;
  /** The offer's occupation as four group prefixes (unit, minor, sub-major, major), -1 where it has none. */
  readonly offerOccupation: Int32Array;
  readonly offerEducation: Int32Array;
  /** Distinct lower-cased skill ids the offer asks. */
  readonly offerSkillStart: Int32Array;
  readonly offerSkill: Int32Array;
  readonly capacity: Int32Array;
  /** Destination group for the optimiser: a region index, or ABROAD. */
  readonly dest: Int32Array;
  readonly skillCount: number;
}

/**
 * An ISCO-08 code as its four group prefixes, finest first: 7231 → [7231, 723, 72, 7]. A code of a
 * broader level has -1 for the finer ones; an unknown code shares no group with anything, as in
 * `occupationProximity`.
 */
export const occupationPrefixes = (code: string): [number, number, number, number] => {
  const known = occupation(code) !== undefined && /^[0-9]{1,4}$/.test(code);
  const at = (digits: number): number => (known && code.length >= digits ? Number(code.slice(0, digits)) : -1);
  return [at(4), at(3), at(2), at(1)];
};

class Interner {
  private readonly ids = new Map<string, number>();
  constructor(private next = 0) {}
  id(key: string): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.next;
    this.next += 1;
    this.ids.set(key, id);
    return id;
  }
  get size(): number {
    return this.next;
  }
}

const REGION_INDEX = new Map<string, number>(REGION_CODES.map((r, g) => [r, g]));

export const toRunArrays = (inputs: RunInputs, on: string): RunArrays => {
  const { seekers, offers } = inputs;
  const regions = new Interner(REGION_CODES.length);
  const regionId = (r: string): number => REGION_INDEX.get(r) ?? regions.id(r);
  const provinces = new Interner();
  const skills = new Interner();
  const n = seekers.length;
  const m = offers.length;
  const seekerRegion = new Int32Array(n);
  const seekerOrigin = new Int32Array(n);
  const seekerProvince = new Int32Array(n);
  const seekerMobility = new Int32Array(n);
  const seekerEducation = new Int32Array(n);
  const seekerPriority = new Int32Array(n);
  const occupationStart = new Int32Array(n + 1);
  const seekerSkillStart = new Int32Array(n + 1);
  const occupationCodes: number[] = [];
  const seekerSkill: number[] = [];
  seekers.forEach((s, i) => {
    seekerRegion[i] = regionId(s.region);
    seekerOrigin[i] = REGION_INDEX.get(s.region) ?? 0;
    seekerProvince[i] = provinces.id(s.province);
    seekerMobility[i] = MOBILITY.indexOf(s.mobility);
    seekerEducation[i] = EDUCATION_LEVELS.indexOf(s.education);
    const longTerm =
      monthsRegistered(s.registeredOn, on) >= POINTS.longTermMonths ? POINTS.priority.longTermRegistered : 0;
    seekerPriority[i] = longTerm + (s.disability ? POINTS.priority.disability : 0);
    for (const code of s.occupations) occupationCodes.push(...occupationPrefixes(code));
    occupationStart[i + 1] = occupationCodes.length / 4;
    for (const skill of s.skills) seekerSkill.push(skills.id(skillKey(skill)));
    seekerSkillStart[i + 1] = seekerSkill.length;
  });
  const offerRegion = new Int32Array(m);
  const offerProvince = new Int32Array(m);
  const offerAbroad = new Uint8Array(m);
  const offerOpen = new Uint8Array(m);
  const offerOccupation = new Int32Array(4 * m);
  const offerEducation = new Int32Array(m);
  const offerSkillStart = new Int32Array(m + 1);
  const offerSkill: number[] = [];
  const capacity = new Int32Array(m);
  const dest = new Int32Array(m);
  offers.forEach((o, j) => {
    offerRegion[j] = regionId(o.region);
    offerProvince[j] = provinces.id(o.province);
    offerAbroad[j] = o.abroadCountry ? 1 : 0;
    offerOpen[j] = o.openToOtherRegions || o.abroadCountry ? 1 : 0;
    offerOccupation.set(occupationPrefixes(o.occupation), 4 * j);
    offerEducation[j] = EDUCATION_LEVELS.indexOf(o.requiredEducation);
    for (const id of new Set(o.skills.map((x) => skills.id(skillKey(x))))) offerSkill.push(id);
    offerSkillStart[j + 1] = offerSkill.length;
    capacity[j] = o.positions - o.filled;
    dest[j] = o.abroadCountry ? ABROAD : (REGION_INDEX.get(o.region) ?? 0);
  });
  return {
    seekers: n,
    offers: m,
    seekerRegion,
    seekerOrigin,
    seekerProvince,
    seekerMobility,
    seekerEducation,
    seekerPriority,
    occupationStart,
    seekerOccupation: Int32Array.from(occupationCodes),
    seekerSkillStart,
    seekerSkill: Int32Array.from(seekerSkill),
    offerRegion,
    offerProvince,
    offerAbroad,
    offerOpen,
    offerOccupation,
    offerEducation,
    offerSkillStart,
    offerSkill: Int32Array.from(offerSkill),
    capacity,
    dest,
    skillCount: skills.size,
  };
};

/** The buffers to hand over to another thread with the arrays. */
export const buffersOf = (arrays: RunArrays): ArrayBuffer[] =>
  Object.values(arrays).flatMap((v) => (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer ? [v.buffer] : []));
