import { ABROAD, NO_CAP, type MatchingProblem } from './matching.types';
import { mulberry32 } from './seeded-random';

export { mulberry32 };

/**
 * 5–30 seekers, 2–10 offers, 2–4 regions and abroad; weights 0–30 so that ties and weight-0 arcs are
 * common; each cap present half the time and drawn at or below what could flow, so it often binds.
 */
/** The problem of these seekers and offers with the arcs listed, seeker by seeker. */
const withArcs = (
  nodes: Pick<MatchingProblem, 'groupCount' | 'origin' | 'capacity' | 'dest'>,
  arcStart: Int32Array,
  offers: readonly number[],
  weights: readonly number[],
): MatchingProblem => ({ ...nodes, arcStart, arcOffer: Int32Array.from(offers), arcWeight: Int32Array.from(weights) });

export const randomProblem = (seed: number): MatchingProblem => {
  const rand = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const n = int(5, 30);
  const m = int(2, 10);
  const G = int(2, 4);
  const density = 0.2 + 0.6 * rand();
  const origin = Int32Array.from({ length: n }, () => int(0, G - 1));
  const capacity = Int32Array.from({ length: m }, () => int(1, 4));
  const dest = Int32Array.from({ length: m }, () => (rand() < 0.2 ? ABROAD : int(0, G - 1)));
  const arcStart = new Int32Array(n + 1);
  const offers: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (rand() >= density) continue;
      offers.push(j);
      weights.push(rand() < 0.1 ? 0 : int(1, 30));
    }
    arcStart[i + 1] = offers.length;
  }
  const seekersIn = new Array<number>(G).fill(0);
  origin.forEach((g) => (seekersIn[g] = (seekersIn[g] ?? 0) + 1));
  const seatsIn = new Array<number>(G + 1).fill(0);
  dest.forEach((d, j) => (seatsIn[d === ABROAD ? G : d] = (seatsIn[d === ABROAD ? G : d] ?? 0) + (capacity[j] ?? 0)));
  const cap = (most: number): number => (rand() < 0.5 ? NO_CAP : int(0, Math.max(0, Math.ceil(most * 0.8))));
  return {
    ...withArcs({ groupCount: G, origin, capacity, dest }, arcStart, offers, weights),
    maxPlacedFromOrigin: seekersIn.map(cap),
    maxPlacedIntoDest: seatsIn.slice(0, G).map(cap),
    abroadCap: cap(seatsIn[G] ?? 0),
  };
};

export interface HandSeeker {
  readonly origin: number;
  readonly arcs: ReadonlyArray<readonly [offer: number, weight: number]>;
}
export interface HandOffer {
  readonly capacity: number;
  readonly dest: number;
}

/** A problem written out by hand, seeker by seeker, for cases a reader can check in their head. */
export const problemOf = (
  groupCount: number,
  seekers: readonly HandSeeker[],
  offers: readonly HandOffer[],
  caps: Pick<MatchingProblem, 'maxPlacedFromOrigin' | 'maxPlacedIntoDest' | 'abroadCap'> = {},
): MatchingProblem => {
  const arcStart = new Int32Array(seekers.length + 1);
  seekers.forEach((s, i) => (arcStart[i + 1] = (arcStart[i] ?? 0) + s.arcs.length));
  return {
    groupCount,
    origin: Int32Array.from(seekers.map((s) => s.origin)),
    capacity: Int32Array.from(offers.map((o) => o.capacity)),
    dest: Int32Array.from(offers.map((o) => o.dest)),
    arcStart,
    arcOffer: Int32Array.from(seekers.flatMap((s) => s.arcs.map(([j]) => j))),
    arcWeight: Int32Array.from(seekers.flatMap((s) => s.arcs.map(([, w]) => w))),
    ...caps,
  };
};

/**
 * A problem of some thousands of seekers, each with k distinct candidate offers of tied weights
 * (multiples of 100, as a run's scores times multipliers are): large enough for the solver's
 * heuristics that wait on counts of relabels to fire, small enough for a unit test.
 */
export const largerProblem = (seed: number, n: number, m: number, k: number): MatchingProblem => {
  const rand = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const G = 12;
  const origin = Int32Array.from({ length: n }, () => int(0, G - 1));
  const capacity = Int32Array.from({ length: m }, () => int(1, 3));
  const dest = Int32Array.from({ length: m }, () => (rand() < 0.1 ? ABROAD : int(0, G - 1)));
  const arcStart = new Int32Array(n + 1);
  const offers: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const chosen = new Set<number>();
    while (chosen.size < k) chosen.add(int(0, m - 1));
    for (const j of chosen) {
      offers.push(j);
      weights.push(100 * int(10, 40));
    }
    arcStart[i + 1] = offers.length;
  }
  return withArcs({ groupCount: G, origin, capacity, dest }, arcStart, offers, weights);
};
