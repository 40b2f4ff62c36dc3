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

/** One number per (place, level, group prefix, region, province): Map lookups without strings. */
const keyOf = (place: number, level: number, prefix: number, region: number, province: number): number =>
  (((place * 4 + level) * 10_000 + prefix) * 4_096 + region) * 1_048_576 + province;

export interface OfferIndex {
  readonly lists: ReadonlyMap<number, Int32Array>;
}

export const indexOffers = (a: RunArrays): OfferIndex => {
  const lists = new Map<number, number[]>();
  const add = (key: number, j: number): void => {
    const list = lists.get(key);
    if (list) list.push(j);
    else lists.set(key, [j]);
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
      add(keyOf(PLACE.province, level, prefix, region, a.offerProvince[j] ?? 0), j);
      add(keyOf(PLACE.region, level, prefix, region, 0), j);
      if (a.offerOpen[j]) add(keyOf(PLACE.open, level, prefix, 0, 0), j);
    }
  }
  return { lists: new Map([...lists].map(([k, js]) => [k, Int32Array.from(js)])) };
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

interface Bucket {
  readonly key: number;
  readonly bound: number;
}

/** Candidates of one seeker at a time, reusing its buffers: no allocation per seeker beyond the bucket list. */
export class Scorer {
  private readonly skillCount: Int32Array;
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
    for (let k = skillsFrom; k < skillsTo; k++) {
      const id = a.seekerSkill[k] ?? 0;
      this.skillCount[id] = (this.skillCount[id] ?? 0) + 1;
      repeats = Math.max(repeats, this.skillCount[id] ?? 0);
    }
    const buckets = this.buckets(i, repeats);
    for (let b = 0; b < buckets.length; b++) {
      const bucket = buckets[b] as Bucket;
      const list = this.index.lists.get(bucket.key);
      if (list) this.scan(i, list);
      const next = buckets[b + 1];
      if (!next || (this.size === this.limit && Math.floor((this.heap[0] ?? 0) / OFFER_SPAN) > next.bound)) break;
    }
    for (let k = skillsFrom; k < skillsTo; k++) this.skillCount[a.seekerSkill[k] ?? 0] = 0;
    const found = Array.from(this.heap.subarray(0, this.size)).sort((x, y) => y - x);
    found.forEach((packed, c) => {
      offerOut[at + c] = OFFER_SPAN - 1 - (packed % OFFER_SPAN);
      scoreOut[at + c] = Math.floor(packed / OFFER_SPAN);
    });
    return found.length;
  }

  /**
   * The index groups seeker i may draw from, highest bound first. A skill the seeker lists twice
   * counts twice in `scoreMatch`, so the skills part is at most its maximum times the most repeats.
   */
  private buckets(i: number, repeats: number): Bucket[] {
    const { a } = this;
    const mobility = a.seekerMobility[i] ?? -1;
    const region = a.seekerRegion[i] ?? 0;
    const province = a.seekerProvince[i] ?? 0;
    const priority = (a.seekerPriority[i] ?? 0) + POINTS.skillsMax * repeats + POINTS.education.meets;
    const buckets: Bucket[] = [];
    for (let k = a.occupationStart[i] ?? 0, end = a.occupationStart[i + 1] ?? 0; k < end; k++) {
      for (let level = 0; level < 4; level++) {
        const prefix = a.seekerOccupation[4 * k + level] ?? -1;
        if (prefix < 0) continue;
        const points = (OCCUPATION[level] ?? 0) + priority;
        buckets.push({ key: keyOf(PLACE.province, level, prefix, region, province), bound: points + DISTANCE[0] });
        if (mobility >= 1)
          buckets.push({ key: keyOf(PLACE.region, level, prefix, region, 0), bound: points + DISTANCE[1] });
        if (mobility >= 2) buckets.push({ key: keyOf(PLACE.open, level, prefix, 0, 0), bound: points + DISTANCE[2] });
        if (mobility >= 3) buckets.push({ key: keyOf(PLACE.abroad, level, prefix, 0, 0), bound: points + DISTANCE[3] });
      }
    }
    return buckets.sort((x, y) => y.bound - x.bound);
  }

  private scan(i: number, list: Int32Array): void {
    const { heap, seen, limit } = this;
    for (let c = 0; c < list.length; c++) {
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
