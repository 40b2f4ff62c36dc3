import type { RunArrays } from './run-arrays';
import { POINTS } from './points';

/*
 * Candidate offers from an index rather than a scan. A seeker's candidates are, as they always were,
 * the best `limit` offers by score (ties to the lower offer index) among those open to the seeker's
 * region, within the seeker's mobility, that share at least the major group of one of the seeker's
 * occupations. The index groups offers by (occupation group at each ISCO level, where they are);
 * each group has a bound no offer in it can beat. The groups are read from the highest bound down,
 * and the search stops as soon as the `limit`-th best found beats the next group's bound: no offer
 * left unread could enter. A seeker whose trade has many offers nearby reads a few dozen offers
 * instead of the tens of thousands of a major group.
 *
 * Each group is also kept split by skill: the offers of a group that want a given skill. A seeker reads
 * first the parts of a group that want one of the seeker's skills, whose bound counts the most skill
 * points, then the whole group, whose offers not yet read share no skill with the seeker and so score
 * none for skills: its bound is lower by POINTS.skillsMax. In a national run's files a seeker and an
 * offer share a skill about one time in fifteen, and most of a group's offers never need reading:
 * 50,000 seekers against 40,000 offers read 8.8 million list entries instead of 47.7 million, and
 * against a national run's 200,000 offers took 6.0–6.8 s instead of 19.0–21.4 s (bench/README.md,
 * 2026-12-07).
 */

/** Occupation points by the level of the group shared: unit (4 digits) first. */
const OCCUPATION = [
  POINTS.occupation.unit,
  POINTS.occupation.minor,
  POINTS.occupation['sub-major'],
  POINTS.occupation.major,
] as const;
/** Distance points by tier: same province, same region, other region, abroad. */
const DISTANCE = [
  POINTS.distance.same_province,
  POINTS.distance.same_region,
  POINTS.distance.other_region,
  POINTS.distance.abroad,
] as const;

/** Where an offer sits for the index: its province, its region, open to all regions, or abroad. */
const PLACE = { province: 0, region: 1, open: 2, abroad: 3 } as const;

/**
 * One number per (place, level, group prefix, and the region and province the place names): Map
 * lookups without strings. A place keeps only what it is about: a region group ignores the province,
 * an open or abroad group both, so the index and a seeker's search give the same key from their own.
 */
const keyOf = (place: number, level: number, prefix: number, region: number, province: number): number =>
  (((place * 4 + level) * 10_000 + prefix) * 4_096 + (place <= PLACE.region ? region : 0)) * 1_048_576 +
  (place === PLACE.province ? province : 0);

export interface OfferIndex {
  /** Each group's number, by its key. */
  readonly groups: ReadonlyMap<number, number>;
  /** The offers of each group, by its number. */
  readonly lists: readonly Int32Array[];
  /**
   * The offers of each group that want a skill, one part per (group, skill wanted there): group g's
   * parts are partFrom[g] .. partFrom[g + 1] - 1, in skill order; part p is the skill partSkill[p]
   * and the offers partOffers[partStart[p] .. partStart[p + 1] - 1].
   */
  readonly partFrom: Int32Array;
  readonly partSkill: Int32Array;
  readonly partStart: Int32Array;
  readonly partOffers: Int32Array;
}

/** The offers of each group, split by the skills they want (see OfferIndex). */
const skillParts = (a: RunArrays, lists: readonly Int32Array[]): Omit<OfferIndex, 'groups' | 'lists'> => {
  const partFrom = new Int32Array(lists.length + 1);
  const skills: number[] = [];
  const starts: number[] = [];
  const offers: number[] = [];
  const bySkill = new Map<number, number[]>();
  lists.forEach((list, g) => {
    bySkill.clear();
    for (const j of list) {
      for (let k = a.offerSkillStart[j] ?? 0, end = a.offerSkillStart[j + 1] ?? 0; k < end; k++) {
        const id = a.offerSkill[k] ?? 0;
        const wanting = bySkill.get(id);
        if (wanting) wanting.push(j);
        else bySkill.set(id, [j]);
      }
    }
    for (const id of [...bySkill.keys()].sort((x, y) => x - y)) {
      skills.push(id);
      starts.push(offers.length);
      for (const j of bySkill.get(id) ?? []) offers.push(j);
    }
    partFrom[g + 1] = skills.length;
  });
  starts.push(offers.length);
  return {
    partFrom,
    partSkill: Int32Array.from(skills),
    partStart: Int32Array.from(starts),
    partOffers: Int32Array.from(offers),
  };
};

export const indexOffers = (a: RunArrays): OfferIndex => {
  const groups = new Map<number, number>();
  const members: number[][] = [];
  const add = (key: number, j: number): void => {
    let g = groups.get(key);
    if (g === undefined) {
      g = members.length;
      groups.set(key, g);
      members.push([]);
    }
    members[g]?.push(j);
  };
  for (let j = 0; j < a.offers; j++) {
    for (let level = 0; level < 4; level++) {
      const prefix = a.offerOccupation[4 * j + level] ?? -1;
      if (prefix < 0) continue;
      if (a.offerAbroad[j]) {
        add(keyOf(PLACE.abroad, level, prefix, 0, 0), j);
        continue;
      }
      const region = a.offerRegion[j] ?? 0;
      const province = a.offerProvince[j] ?? 0;
      add(keyOf(PLACE.province, level, prefix, region, province), j);
      add(keyOf(PLACE.region, level, prefix, region, province), j);
      if (a.offerOpen[j]) add(keyOf(PLACE.open, level, prefix, region, province), j);
    }
  }
  const lists = members.map((js) => Int32Array.from(js));
  return { groups, lists, ...skillParts(a, lists) };
};

/** The finest group level (0 = unit .. 3 = major) seeker i shares with offer j, or -1. */
const sharedLevel = (a: RunArrays, i: number, j: number): number => {
  let best = 4;
  for (let k = a.occupationStart[i] ?? 0, end = a.occupationStart[i + 1] ?? 0; k < end; k++) {
    for (let level = 0; level < best; level++) {
      const p = a.seekerOccupation[4 * k + level] ?? -1;
      if (p >= 0 && p === a.offerOccupation[4 * j + level]) {
        best = level;
        break;
      }
    }
  }
  return best === 4 ? -1 : best;
};

/**
 * The score of seeker i for offer j, the same integer as `scoreMatch(...).total`, or -1 when the
 * offer is beyond the seeker's reach or shares no occupation group. `skillCount` holds seeker i's
 * skills counted by id (see `Scorer`).
 */
const score = (a: RunArrays, i: number, j: number, skillCount: Int32Array): number => {
  const tier = a.offerAbroad[j]
    ? 3
    : a.offerRegion[j] !== a.seekerRegion[i]
      ? 2
      : a.offerProvince[j] === a.seekerProvince[i]
        ? 0
        : 1;
  if (tier > (a.seekerMobility[i] ?? -1)) return -1;
  if (tier === 2 && !a.offerOpen[j]) return -1;
  const level = sharedLevel(a, i, j);
  if (level < 0) return -1;
  const from = a.offerSkillStart[j] ?? 0;
  const wanted = (a.offerSkillStart[j + 1] ?? 0) - from;
  let shared = 0;
  for (let k = from; k < from + wanted; k++) shared += skillCount[a.offerSkill[k] ?? 0] ?? 0;
  const skills = wanted === 0 ? 0 : Math.floor((POINTS.skillsMax * shared) / wanted);
  const gap = (a.seekerEducation[i] ?? 0) - (a.offerEducation[j] ?? 0);
  const education = gap >= 0 ? POINTS.education.meets : gap === -1 ? POINTS.education.oneBelow : 0;
  return (OCCUPATION[level] ?? 0) + skills + education + (DISTANCE[tier] ?? 0) + (a.seekerPriority[i] ?? 0);
};

/** Packs (score, offer) so that a larger number is a better candidate: higher score, then lower offer. */
const OFFER_SPAN = 2 ** 22;
const pack = (s: number, j: number): number => s * OFFER_SPAN + (OFFER_SPAN - 1 - j);

/** A kind of list a seeker reads: a group's level and place, and whether the part of it wanting a skill. */
interface Kind {
  readonly level: number;
  readonly place: number;
  readonly skilled: boolean;
  /** The most points an offer read there can give, less the seeker's own (priority, education met). */
  readonly points: number;
}

/**
 * The 32 kinds in the order of their bounds, highest first, for a seeker whose skills can give at
 * most `skillPoints`: reading lists in this order needs no sort per seeker. Kept per skillPoints.
 */
const KINDS = new Map<number, readonly Kind[]>();
const kindsFor = (skillPoints: number): readonly Kind[] => {
  const known = KINDS.get(skillPoints);
  if (known) return known;
  const kinds: Kind[] = [];
  for (let level = 0; level < 4; level++) {
    for (let place = 0; place < 4; place++) {
      for (const skilled of [true, false]) {
        const points = (OCCUPATION[level] ?? 0) + (DISTANCE[place] ?? 0) + (skilled ? skillPoints : 0);
        kinds.push({ level, place, skilled, points });
      }
    }
  }
  kinds.sort((x, y) => y.points - x.points);
  KINDS.set(skillPoints, kinds);
  return kinds;
};

/** Candidates of one seeker at a time, reusing its buffers: no allocation per seeker beyond its sorted result. */
export class Scorer {
  private readonly skillCount: Int32Array;
  /** The seeker's skills, each once, in the order listed. */
  private readonly distinct: Int32Array;
  private readonly seen: Int32Array;
  private readonly heap: Float64Array;
  private size = 0;

  constructor(
    private readonly a: RunArrays,
    private readonly index: OfferIndex,
    private readonly limit: number,
  ) {
    if (a.offers >= OFFER_SPAN) throw new Error(`at most ${OFFER_SPAN - 1} offers per run`);
    this.skillCount = new Int32Array(Math.max(1, a.skillCount));
    this.distinct = new Int32Array(Math.max(1, a.skillCount));
    this.seen = new Int32Array(a.offers).fill(-1);
    this.heap = new Float64Array(limit);
  }

  /** Seeker i's candidates, best first: (offer, score) pairs written from `at` into the two arrays; answers how many. */
  candidates(i: number, offerOut: Int32Array, scoreOut: Int32Array, at: number): number {
    const { a } = this;
    this.size = 0;
    const skillsFrom = a.seekerSkillStart[i] ?? 0;
    const skillsTo = a.seekerSkillStart[i + 1] ?? 0;
    let repeats = 1;
    let distinct = 0;
    for (let k = skillsFrom; k < skillsTo; k++) {
      const id = a.seekerSkill[k] ?? 0;
      const count = (this.skillCount[id] ?? 0) + 1;
      this.skillCount[id] = count;
      if (count === 1) this.distinct[distinct++] = id;
      repeats = Math.max(repeats, count);
    }
    this.search(i, repeats, distinct);
    for (let k = skillsFrom; k < skillsTo; k++) this.skillCount[a.seekerSkill[k] ?? 0] = 0;
    const found = Array.from(this.heap.subarray(0, this.size)).sort((x, y) => y - x);
    found.forEach((packed, c) => {
      offerOut[at + c] = OFFER_SPAN - 1 - (packed % OFFER_SPAN);
      scoreOut[at + c] = Math.floor(packed / OFFER_SPAN);
    });
    return found.length;
  }

  /**
   * Reads the lists seeker i may draw from, highest bound first, until the `limit`-th best found beats
   * the next list's bound: for each group, the parts that want one of the seeker's skills, and the
   * whole group. A skill the seeker lists twice counts twice in `scoreMatch`, so the skills part is at
   * most its maximum times the most repeats; an offer of the whole group not read in those parts (read
   * first, their bound being higher) shares no skill with the seeker and scores none for skills.
   */
  private search(i: number, repeats: number, distinct: number): void {
    const { a, limit } = this;
    const { groups, lists, partStart, partOffers } = this.index;
    const mobility = a.seekerMobility[i] ?? -1;
    const region = a.seekerRegion[i] ?? 0;
    const province = a.seekerProvince[i] ?? 0;
    const own = (a.seekerPriority[i] ?? 0) + POINTS.education.meets;
    const occupationsFrom = a.occupationStart[i] ?? 0;
    const occupationsTo = a.occupationStart[i + 1] ?? 0;
    for (const { level, place, skilled, points } of kindsFor(POINTS.skillsMax * repeats)) {
      if (place > mobility) continue;
      // Nothing left to read can beat the worst of a full list.
      if (this.size === limit && Math.floor((this.heap[0] ?? 0) / OFFER_SPAN) > points + own) return;
      for (let k = occupationsFrom; k < occupationsTo; k++) {
        const prefix = a.seekerOccupation[4 * k + level] ?? -1;
        if (prefix < 0) continue;
        const g = groups.get(keyOf(place, level, prefix, region, province));
        if (g === undefined) continue;
        if (!skilled) {
          const whole = lists[g];
          if (whole) this.scan(i, whole, 0, whole.length);
          continue;
        }
        // The part of each of the seeker's skills (a skill listed twice read once).
        for (let s = 0; s < distinct; s++) {
          const p = this.partOf(g, this.distinct[s] ?? 0);
          if (p >= 0) this.scan(i, partOffers, partStart[p] ?? 0, partStart[p + 1] ?? 0);
        }
      }
    }
  }

  /** The part of group g whose offers want the skill, found by bisection; -1 when none does. */
  private partOf(g: number, skill: number): number {
    const { partFrom, partSkill } = this.index;
    const end = partFrom[g + 1] ?? 0;
    let lo = partFrom[g] ?? 0;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((partSkill[mid] ?? 0) < skill) lo = mid + 1;
      else hi = mid;
    }
    return lo < end && partSkill[lo] === skill ? lo : -1;
  }

  private scan(i: number, list: Int32Array, from: number, to: number): void {
    const { heap, seen, limit } = this;
    for (let c = from; c < to; c++) {
      const j = list[c] ?? 0;
      if (seen[j] === i) continue;
      seen[j] = i;
      const s = score(this.a, i, j, this.skillCount);
      if (s <= 0) continue;
      const packed = pack(s, j);
      if (this.size < limit) {
        heap[this.size] = packed;
        this.size += 1;
        this.siftUp(this.size - 1);
      } else if (packed > (heap[0] ?? 0)) {
        heap[0] = packed;
        this.siftDown(0);
      }
    }
  }

  private siftUp(at: number): void {
    const { heap } = this;
    let k = at;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if ((heap[parent] ?? 0) <= (heap[k] ?? 0)) return;
      [heap[parent], heap[k]] = [heap[k] ?? 0, heap[parent] ?? 0];
      k = parent;
    }
  }

  private siftDown(at: number): void {
    const { heap, size } = this;
    let k = at;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let least = k;
      if (l < size && (heap[l] ?? 0) < (heap[least] ?? 0)) least = l;
      if (r < size && (heap[r] ?? 0) < (heap[least] ?? 0)) least = r;
      if (least === k) return;
      [heap[least], heap[k]] = [heap[k] ?? 0, heap[least] ?? 0];
      k = least;
    }
  }
}
