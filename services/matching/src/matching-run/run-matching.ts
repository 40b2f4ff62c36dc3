import { REGION_CODES } from '@tashghil/contracts';
import { NO_CAP, regionalWeight } from '@tashghil/matching-engine';
import { toRunArrays } from './run-arrays';
import { hashInputs, type RunInputs } from './run-inputs';
import { solveRun, type SolveRequest, type SolveResult } from './solve';

export interface RunParameters {
  /** The day scores are computed for (months registered, ages). */
  readonly on: string;
  /** How strongly seekers from regions with weaker placement rates are favoured (0 = not at all). */
  readonly beta: number;
  readonly candidatesPerSeeker: number;
  readonly maxPlacedFromOrigin?: Readonly<Record<string, number>>;
  readonly maxPlacedIntoDest?: Readonly<Record<string, number>>;
  readonly abroadCap?: number;
}

/** One assignment of a run: the score's parts and reasons are worked out for the placement only, not per arc. */
export interface RunProposal {
  readonly seekerId: string;
  readonly offerId: string;
  readonly score: number;
  readonly weight: number;
}

/** The optimum's proof: the LP dual bound of its prices equals its objective. */
export interface RunCertificate {
  readonly dualBound: number;
  readonly optimal: boolean;
}

export interface RunOutcome {
  readonly inputsHash: string;
  readonly multipliers: Readonly<Record<string, number>>;
  readonly objective: number;
  readonly greedyObjective: number;
  readonly certificate: RunCertificate;
  readonly placed: number;
  readonly seekers: number;
  readonly offers: number;
  readonly arcs: number;
  readonly milliseconds: number;
  readonly proposals: readonly RunProposal[];
}

/**
 * The engine's version goes into every run: tie-breaks among equal optima depend on its code and on
 * the order of each seeker's arcs (best score first, then offer order), which the indexed candidates
 * keep. @2 (2026-12-05): the solver stops at the first scaling phase whose flow it proves optimal
 * (libs/matching-engine cost-scaling.ts), which may be another optimum among ties than @1's; a run
 * recorded by @1 replays to the same objective, and its replay names both versions. @3 (2026-12-06):
 * the solver numbers seekers and offers by their candidates, reads only residual arcs and updates
 * prices half as often (libs/matching-engine flow-network.ts, cost-scaling.ts): the same optimum value,
 * maybe another among ties. @4 (2026-12-06): a proof that meets a negative cycle cancels it and goes
 * on (exact-duals.ts), so the solver may stop a phase earlier: the same value, maybe another optimum.
 * @5 (2026-12-06): no global price update while few nodes hold excess (cost-scaling.ts), which changes
 * the path the solver takes: the same value, maybe another optimum among ties. @6 (2026-12-07): a node
 * that a push makes active is discharged next rather than last (cost-scaling.ts): another path, the
 * same value, maybe another optimum among ties. @7 (2026-12-07): the first phase starts at a finer ε
 * (FIRST_STEP, cost-scaling.ts): one phase fewer, the same value, maybe another optimum among ties.
 */
export const ENGINE = 'matching-engine/cost-scaling@7';

const caps = (byRegion: Readonly<Record<string, number>> | undefined): number[] | undefined =>
  byRegion ? REGION_CODES.map((r) => byRegion[r] ?? NO_CAP) : undefined;

/**
 * The solving thread's request: the inputs as arrays, each region's multiplier and the caps. A replay
 * uses the multipliers the run recorded: they come from a floating-point power whose last bit another
 * JavaScript engine might round differently.
 */
export const solveRequest = (
  inputs: RunInputs,
  parameters: RunParameters,
  recordedMultipliers?: Readonly<Record<string, number>>,
): SolveRequest => {
  const multipliers = recordedMultipliers
    ? Int32Array.from(REGION_CODES, (r) => recordedMultipliers[r] ?? 100)
    : regionalWeight(
        REGION_CODES.map((r) => inputs.placementRates[r] ?? 0),
        parameters.beta,
      );
  const fromOrigin = caps(parameters.maxPlacedFromOrigin);
  const intoDest = caps(parameters.maxPlacedIntoDest);
  return {
    arrays: toRunArrays(inputs, parameters.on),
    multipliers,
    candidatesPerSeeker: parameters.candidatesPerSeeker,
    groupCount: REGION_CODES.length,
    ...(fromOrigin ? { maxPlacedFromOrigin: fromOrigin } : {}),
    ...(intoDest ? { maxPlacedIntoDest: intoDest } : {}),
    ...(parameters.abroadCap !== undefined ? { abroadCap: parameters.abroadCap } : {}),
  };
};

export const multipliersOf = (request: SolveRequest): Readonly<Record<string, number>> =>
  Object.fromEntries(REGION_CODES.map((r, g) => [r, request.multipliers[g] ?? 0]));

/** Each seeker's assignment as a proposal, in seeker order. */
export const proposalsOf = (inputs: RunInputs, solved: SolveResult): RunProposal[] => {
  const proposals: RunProposal[] = [];
  inputs.seekers.forEach((s, i) => {
    const offer = inputs.offers[solved.assignment[i] ?? -1];
    if (!offer) return;
    proposals.push({
      seekerId: s.seekerId,
      offerId: offer.offerId,
      score: solved.score[i] ?? 0,
      weight: solved.weight[i] ?? 0,
    });
  });
  return proposals;
};

/** What a solved run reports, its proposals aside. */
export const summaryOf = (
  inputs: RunInputs,
  solved: SolveResult,
  inputsHash: string,
  multipliers: Readonly<Record<string, number>>,
  milliseconds: number,
): Omit<RunOutcome, 'proposals'> => ({
  inputsHash,
  multipliers,
  objective: solved.objective,
  greedyObjective: solved.greedyObjective,
  certificate: { dualBound: solved.dualBound, optimal: solved.dualBound === solved.objective },
  placed: solved.placed,
  seekers: inputs.seekers.length,
  offers: inputs.offers.length,
  arcs: solved.arcs,
  milliseconds,
});

/**
 * Scores every seeker against their candidate offers, weights each score by the seeker's region,
 * and asks the engine for the exact best assignment under the caps, on this thread. A function of
 * the inputs and parameters alone: the same call gives the same proposals, which is what a replay
 * checks. A job runs the same steps with the solving on a worker thread (run-job.ts).
 */
export const runMatching = (
  inputs: RunInputs,
  parameters: RunParameters,
  recordedMultipliers?: Readonly<Record<string, number>>,
): RunOutcome => {
  const started = performance.now();
  const request = solveRequest(inputs, parameters, recordedMultipliers);
  const multipliers = multipliersOf(request);
  const solved = solveRun(request);
  return {
    ...summaryOf(inputs, solved, hashInputs(inputs, parameters), multipliers, 0),
    milliseconds: Math.round(performance.now() - started),
    proposals: proposalsOf(inputs, solved),
  };
};
