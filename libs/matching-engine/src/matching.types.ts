/** `dest[j]` of an offer abroad. Its cap is `abroadCap`. */
export const ABROAD = -1;

/** A cap entry that limits nothing. A number, not `Infinity`, so that a recorded run stays valid JSON. */
export const NO_CAP = -1;

/**
 * One batch run. Seeker i's candidate arcs are `arcStart[i] .. arcStart[i + 1] - 1` in `arcOffer`
 * and `arcWeight` (CSR), so five million arcs take 40 MB and no objects.
 */
export interface MatchingProblem {
  /** Number of region groups G; seekers' origins and offers' destinations are 0..G-1. */
  readonly groupCount: number;
  /** Origin group of each seeker, 0..G-1. Its length is the number of seekers n. */
  readonly origin: Int32Array;
  /** Seats of each offer, ≥ 1. Its length is the number of offers m. */
  readonly capacity: Int32Array;
  /** Destination group of each offer: 0..G-1, or ABROAD. */
  readonly dest: Int32Array;
  /** Length n + 1, non-decreasing, from 0 to the number of arcs. */
  readonly arcStart: Int32Array;
  /** Offer of each arc. Were a seeker to list an offer twice, only the heavier arc could matter. */
  readonly arcOffer: Int32Array;
  /** Full score of each arc, an integer ≥ 0. Arcs of weight 0 are never chosen. */
  readonly arcWeight: Int32Array;
  /** Per origin group (length G): most seekers of that group placed, or NO_CAP. */
  readonly maxPlacedFromOrigin?: ArrayLike<number>;
  /** Per destination group (length G): most placements into offers of that group, or NO_CAP. */
  readonly maxPlacedIntoDest?: ArrayLike<number>;
  /** Most placements into offers abroad, all origins together. */
  readonly abroadCap?: number;
}

/**
 * Prices that prove the assignment optimal (LP duality). For any assignment x,
 *   Σ w·x ≤ Σ_j capacity[j]·offerPrice[j] + Σ_g cap·originPrice[g] + Σ_g cap·destPrice[g] + abroadCap·abroadPrice
 *          + Σ_i max(0, max over i's arcs of w − offerPrice[j] − originPrice[origin i] − destPrice[dest j]),
 * and the optimiser's duals make this bound equal to its objective. `dualBound` computes it.
 * Prices of uncapped groups are 0.
 */
export interface MatchingDuals {
  readonly offerPrice: Float64Array;
  readonly originPrice: Float64Array;
  readonly destPrice: Float64Array;
  readonly abroadPrice: number;
}

export interface MatchingStats {
  readonly algorithm: 'cost-scaling' | 'greedy';
  /** Scaling phases (refine calls) for the optimiser; 1 for greedy. */
  readonly phases: number;
  readonly pushes: number;
  readonly relabels: number;
  readonly priceUpdates: number;
  /** Global price updates due but not run, few nodes holding excess then (0 for greedy). */
  readonly updatesSkipped: number;
  /** Negative cycles cancelled while proving the flow optimal. */
  readonly cycles: number;
  /** Arcs kept after dropping weight-0 arcs. */
  readonly arcs: number;
  readonly milliseconds: number;
}

export interface MatchingResult {
  /** Offer of each seeker, or -1. */
  readonly assignment: Int32Array;
  /** Σ weight of the chosen arcs, an exact integer. */
  readonly objective: number;
  readonly placed: number;
  readonly stats: MatchingStats;
}

export interface OptimalMatchingResult extends MatchingResult {
  readonly duals: MatchingDuals;
}

/**
 * The problem breaks a value rule. Like every domain error of the platform it carries a stable code;
 * this library defines its own because it depends on nothing.
 */
export class MatchingInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
