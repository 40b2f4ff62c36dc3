import { REGION_CODES } from '@tashghil/contracts';
import {
  ABROAD,
  greedyMatching,
  NO_CAP,
  optimiseMatching,
  regionalWeight,
  type MatchingProblem,
} from '@tashghil/matching-engine';
import { candidatesFor, hashInputs, indexByMajor, type RunInputs } from './run-inputs';
import type { ScoreParts } from './scoring';

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

export interface RunProposal {
  readonly seekerId: string;
  readonly offerId: string;
  readonly score: number;
  readonly weight: number;
  readonly parts: ScoreParts;
  readonly reasons: readonly string[];
}

export interface RunOutcome {
  readonly inputsHash: string;
  readonly multipliers: Readonly<Record<string, number>>;
  readonly objective: number;
  readonly greedyObjective: number;
  readonly placed: number;
  readonly seekers: number;
  readonly offers: number;
  readonly arcs: number;
  readonly milliseconds: number;
  readonly proposals: readonly RunProposal[];
}

/** The engine's version goes into every run: tie-breaks among equal optima depend on its code. */
export const ENGINE = 'matching-engine/cost-scaling@1';

const caps = (byRegion: Readonly<Record<string, number>> | undefined): number[] | undefined =>
  byRegion ? REGION_CODES.map((r) => byRegion[r] ?? NO_CAP) : undefined;

/**
 * Scores every seeker against their candidate offers, weights each score by the seeker's region,
 * and asks the engine for the exact best assignment under the caps. A function of the inputs and
 * parameters alone: the same call gives the same proposals, which is what a replay checks.
 */
export const runMatching = (
  inputs: RunInputs,
  parameters: RunParameters,
  recordedMultipliers?: Readonly<Record<string, number>>,
): RunOutcome => {
  const started = performance.now();
  const regionIndex = new Map<string, number>(REGION_CODES.map((r, g) => [r, g]));
  // A replay uses the multipliers the run recorded: they come from a floating-point power whose
  // last bit another JavaScript engine might round differently.
  const multipliers = recordedMultipliers
    ? Int32Array.from(REGION_CODES, (r) => recordedMultipliers[r] ?? 100)
    : regionalWeight(
        REGION_CODES.map((r) => inputs.placementRates[r] ?? 0),
        parameters.beta,
      );
  const byMajor = indexByMajor(inputs.offers);
  const arcStart = new Int32Array(inputs.seekers.length + 1);
  const arcOffer: number[] = [];
  const arcWeight: number[] = [];
  const arcScore: Array<{ total: number; parts: ScoreParts; reasons: readonly string[] }> = [];
  inputs.seekers.forEach((s, i) => {
    const multiplier = multipliers[regionIndex.get(s.region) ?? 0] ?? 1;
    for (const c of candidatesFor(s, inputs.offers, byMajor, parameters.on, parameters.candidatesPerSeeker)) {
      arcOffer.push(c.offer);
      arcWeight.push(c.score.total * multiplier);
      arcScore.push(c.score);
    }
    arcStart[i + 1] = arcOffer.length;
  });
  const fromOrigin = caps(parameters.maxPlacedFromOrigin);
  const intoDest = caps(parameters.maxPlacedIntoDest);
  const problem: MatchingProblem = {
    groupCount: REGION_CODES.length,
    origin: Int32Array.from(inputs.seekers, (s) => regionIndex.get(s.region) ?? 0),
    capacity: Int32Array.from(inputs.offers, (o) => o.positions - o.filled),
    dest: Int32Array.from(inputs.offers, (o) => (o.abroadCountry ? ABROAD : (regionIndex.get(o.region) ?? 0))),
    arcStart,
    arcOffer: Int32Array.from(arcOffer),
    arcWeight: Int32Array.from(arcWeight),
    ...(fromOrigin ? { maxPlacedFromOrigin: fromOrigin } : {}),
    ...(intoDest ? { maxPlacedIntoDest: intoDest } : {}),
    ...(parameters.abroadCap !== undefined ? { abroadCap: parameters.abroadCap } : {}),
  };
  const best = optimiseMatching(problem);
  const greedy = greedyMatching(problem);
  const proposals: RunProposal[] = [];
  inputs.seekers.forEach((s, i) => {
    const j = best.assignment[i] ?? -1;
    if (j < 0) return;
    for (let a = arcStart[i] ?? 0; a < (arcStart[i + 1] ?? 0); a += 1) {
      const score = arcScore[a];
      const offer = inputs.offers[j];
      if (arcOffer[a] !== j || !score || !offer) continue;
      proposals.push({
        seekerId: s.seekerId,
        offerId: offer.offerId,
        score: score.total,
        weight: arcWeight[a] ?? 0,
        parts: score.parts,
        reasons: score.reasons,
      });
      break;
    }
  });
  return {
    inputsHash: hashInputs(inputs, parameters),
    multipliers: Object.fromEntries(REGION_CODES.map((r, g) => [r, multipliers[g] ?? 0])),
    objective: best.objective,
    greedyObjective: greedy.objective,
    placed: best.placed,
    seekers: inputs.seekers.length,
    offers: inputs.offers.length,
    arcs: arcOffer.length,
    milliseconds: Math.round(performance.now() - started),
    proposals,
  };
};
