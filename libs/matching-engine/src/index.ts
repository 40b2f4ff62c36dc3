/**
 * Assigns job seekers to job offers for a batch run: the exact optimum (`optimiseMatching`), a greedy
 * baseline (`greedyMatching`), checks an auditor can run on any recorded result (`checkAssignment`,
 * `dualBound`), and the regional multiplier (`regionalWeight`). Pure functions on typed arrays: no I/O.
 *
 * Which caps it can take, and why. The optimum is exact because every constraint is a capacity in
 * one flow network, Z → origin group → seeker → offer → destination group → Z, whose LP has integral
 * vertices. That works only while, on each side, any two capped sets are disjoint or one contains
 * the other (they nest): seeker ⊂ origin region, offer ⊂ destination region (or abroad). A national
 * total, or abroad split by country, would still nest. These do not:
 * - caps that depend on both ends of a placement, such as "at most K seekers of region g placed
 *   outside g" or "at most K seekers of region g sent abroad": they count arcs, not nodes, and in
 *   general the LP then has fractional optima above the best assignment;
 * - two crossing families on one side, such as caps per region and caps per sector on the same offers.
 * Such rules need an integer programme, or a recast as nested caps (for example a destination cap
 * on abroad offers for all regions together).
 */
export { ABROAD, NO_CAP, MatchingInputError } from './matching.types';
export type {
  MatchingDuals,
  MatchingProblem,
  MatchingResult,
  MatchingStats,
  OptimalMatchingResult,
} from './matching.types';
export { optimiseMatching } from './optimise';
export { greedyMatching } from './greedy';
export { checkAssignment, dualBound, type AssignmentCheck } from './certificate';
export { MAX_MULTIPLIER, NEUTRAL_MULTIPLIER, regionalWeight } from './regional-weight';
export { toCplexLp } from './lp-format';
export { mulberry32 } from './seeded-random';
