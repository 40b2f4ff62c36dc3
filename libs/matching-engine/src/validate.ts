import { ABROAD, MatchingInputError, NO_CAP, type MatchingProblem } from './matching.types';

// Flows, excesses and capacities live in Int32Array; keeping n and the arc count well below 2^31
// leaves room for a hub's excess, which sums several of its arcs.
const MAX_COUNT = 1 << 26;

const fail = (code: string, message: string): never => {
  throw new MatchingInputError(code, message);
};

const isCap = (c: number): boolean => c === NO_CAP || (Number.isInteger(c) && c >= 0);

const checkCaps = (name: string, caps: ArrayLike<number> | undefined, groupCount: number): void => {
  if (caps === undefined) return;
  if (caps.length !== groupCount)
    fail('CAPS_LENGTH', `${name} has ${caps.length} entries, expected one per group (${groupCount})`);
  for (let g = 0; g < caps.length; g++) {
    const c = caps[g] ?? NO_CAP;
    if (!isCap(c)) fail('CAP_INVALID', `${name}[${g}] is ${c}: a cap is an integer ≥ 0, or NO_CAP`);
  }
};

/** Throws a MatchingInputError naming the first broken rule; returns the largest arc weight. */
export const validateProblem = (p: MatchingProblem): number => {
  const { groupCount: G, origin, capacity, dest, arcStart, arcOffer, arcWeight } = p;
  const n = origin.length;
  const m = capacity.length;
  if (!Number.isInteger(G) || G < 1 || G > 1000)
    fail('GROUP_COUNT', `groupCount must be an integer from 1 to 1000, got ${G}`);
  if (n > MAX_COUNT || m > MAX_COUNT || arcOffer.length > MAX_COUNT * 4)
    fail('TOO_LARGE', `at most ${MAX_COUNT} seekers or offers`);
  if (dest.length !== m) fail('DEST_LENGTH', `dest has ${dest.length} entries for ${m} offers`);
  if (arcStart.length !== n + 1)
    fail('ARC_START_LENGTH', `arcStart has ${arcStart.length} entries, expected n + 1 = ${n + 1}`);
  if (arcWeight.length !== arcOffer.length) fail('ARC_LENGTHS', 'arcOffer and arcWeight differ in length');
  if (arcStart[0] !== 0 || arcStart[n] !== arcOffer.length)
    fail('ARC_START_BOUNDS', 'arcStart must run from 0 to the number of arcs');
  for (let i = 0; i < n; i++) {
    const o = origin[i] ?? -1;
    if (o < 0 || o >= G) fail('ORIGIN_RANGE', `origin[${i}] is ${o}, expected 0..${G - 1}`);
    if ((arcStart[i + 1] ?? 0) < (arcStart[i] ?? 0)) fail('ARC_START_ORDER', `arcStart decreases at seeker ${i}`);
  }
  for (let j = 0; j < m; j++) {
    const c = capacity[j] ?? 0;
    const d = dest[j] ?? -2;
    if (c < 1) fail('CAPACITY_RANGE', `capacity[${j}] is ${c}, expected ≥ 1`);
    if (d !== ABROAD && (d < 0 || d >= G)) fail('DEST_RANGE', `dest[${j}] is ${d}, expected 0..${G - 1} or ABROAD`);
  }
  let maxWeight = 0;
  for (let a = 0; a < arcOffer.length; a++) {
    const j = arcOffer[a] ?? -1;
    const w = arcWeight[a] ?? -1;
    if (j < 0 || j >= m) fail('ARC_OFFER_RANGE', `arcOffer[${a}] is ${j}, expected 0..${m - 1}`);
    if (w < 0) fail('ARC_WEIGHT_RANGE', `arcWeight[${a}] is ${w}, expected ≥ 0`);
    if (w > maxWeight) maxWeight = w;
  }
  checkCaps('maxPlacedFromOrigin', p.maxPlacedFromOrigin, G);
  checkCaps('maxPlacedIntoDest', p.maxPlacedIntoDest, G);
  if (p.abroadCap !== undefined && !isCap(p.abroadCap))
    fail('CAP_INVALID', `abroadCap is ${p.abroadCap}: an integer ≥ 0, or NO_CAP`);
  // The optimiser multiplies weights by its node count (about n + m) and its prices move by a few
  // times the largest product; a margin of 2^12 under 2^53 keeps all of it exact in Float64.
  if (maxWeight * (n + m + 2 * G + 3) * 4096 > Number.MAX_SAFE_INTEGER) {
    fail('WEIGHTS_TOO_LARGE', `max weight × (seekers + offers) must stay below 2^41, got ${maxWeight} × ${n + m}`);
  }
  return maxWeight;
};
