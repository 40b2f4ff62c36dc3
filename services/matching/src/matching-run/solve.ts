import {
  dualBound,
  greedyMatching,
  optimiseMatching,
  type MatchingProblem,
  type OptimalMatchingResult,
} from '@tashghil/matching-engine';
import { indexOffers, Scorer } from './candidates';
import type { RunArrays } from './run-arrays';

/** What the solving thread needs besides the inputs: the caps as the engine takes them. */
export interface SolveRequest {
  readonly arrays: RunArrays;
  readonly multipliers: Int32Array;
  readonly candidatesPerSeeker: number;
  readonly groupCount: number;
  readonly maxPlacedFromOrigin?: readonly number[];
  readonly maxPlacedIntoDest?: readonly number[];
  readonly abroadCap?: number;
}

/** Per seeker: the offer proposed (-1 for none), its score and its weighted score. */
export interface SolveResult {
  readonly assignment: Int32Array;
  readonly score: Int32Array;
  readonly weight: Int32Array;
  readonly objective: number;
  readonly greedyObjective: number;
  /** The LP dual bound of the optimiser's prices: equal to the objective, it proves the optimum. */
  readonly dualBound: number;
  readonly placed: number;
  readonly arcs: number;
  readonly milliseconds: { readonly candidates: number; readonly optimiser: number; readonly greedy: number };
}

export type SolvePhase = 'candidates' | 'solving';
export type Progress = (phase: SolvePhase, done: number, total: number) => void;

/** How many seekers between two progress reports. */
const REPORT_EVERY = 20_000;

/** Every seeker's candidates, scored and weighted by the seeker's region, as the engine's arcs (typed arrays). */
export const buildProblem = (request: SolveRequest, progress: Progress = () => {}): MatchingProblem => {
  const { arrays: a, multipliers, candidatesPerSeeker: limit } = request;
  const scorer = new Scorer(a, indexOffers(a), limit);
  // Allocated once at the most arcs there can be: growing by copies would hold two copies at the peak.
  const arcOffer = new Int32Array(a.seekers * limit);
  const arcWeight = new Int32Array(a.seekers * limit);
  const arcStart = new Int32Array(a.seekers + 1);
  const offers = new Int32Array(limit);
  const scores = new Int32Array(limit);
  let arcs = 0;
  for (let i = 0; i < a.seekers; i++) {
    const found = scorer.candidates(i, offers, scores, 0);
    const multiplier = multipliers[a.seekerOrigin[i] ?? 0] ?? 1;
    for (let c = 0; c < found; c++) {
      arcOffer[arcs] = offers[c] ?? 0;
      arcWeight[arcs] = (scores[c] ?? 0) * multiplier;
      arcs += 1;
    }
    arcStart[i + 1] = arcs;
    if ((i + 1) % REPORT_EVERY === 0) progress('candidates', i + 1, a.seekers);
  }
  progress('candidates', a.seekers, a.seekers);
  return {
    groupCount: request.groupCount,
    origin: a.seekerOrigin,
    capacity: a.capacity,
    dest: a.dest,
    arcStart,
    arcOffer: arcOffer.subarray(0, arcs),
    arcWeight: arcWeight.subarray(0, arcs),
    ...(request.maxPlacedFromOrigin ? { maxPlacedFromOrigin: request.maxPlacedFromOrigin } : {}),
    ...(request.maxPlacedIntoDest ? { maxPlacedIntoDest: request.maxPlacedIntoDest } : {}),
    ...(request.abroadCap !== undefined ? { abroadCap: request.abroadCap } : {}),
  };
};

/** The weight and score of the arc each seeker was assigned. */
const chosenArcs = (p: MatchingProblem, best: OptimalMatchingResult, multipliers: Int32Array) => {
  const n = p.origin.length;
  const score = new Int32Array(n);
  const weight = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = best.assignment[i] ?? -1;
    if (j < 0) continue;
    for (let a = p.arcStart[i] ?? 0, end = p.arcStart[i + 1] ?? 0; a < end; a++) {
      if (p.arcOffer[a] !== j) continue;
      weight[i] = p.arcWeight[a] ?? 0;
      score[i] = (p.arcWeight[a] ?? 0) / (multipliers[p.origin[i] ?? 0] ?? 1);
      break;
    }
  }
  return { score, weight };
};

/**
 * Candidates, the exact optimum, the greedy baseline and the optimum's certificate: all the CPU work of
 * a run, on typed arrays, so that it can run on a thread of its own.
 */
export const solveRun = (request: SolveRequest, progress: Progress = () => {}): SolveResult => {
  let t = performance.now();
  const problem = buildProblem(request, progress);
  const candidates = performance.now() - t;
  progress('solving', 0, 1);
  t = performance.now();
  const best = optimiseMatching(problem);
  const optimiser = performance.now() - t;
  t = performance.now();
  const greedy = greedyMatching(problem);
  const greedyMs = performance.now() - t;
  const bound = dualBound(problem, best.duals);
  progress('solving', 1, 1);
  return {
    assignment: best.assignment,
    ...chosenArcs(problem, best, request.multipliers),
    objective: best.objective,
    greedyObjective: greedy.objective,
    dualBound: bound,
    placed: best.placed,
    arcs: problem.arcOffer.length,
    milliseconds: {
      candidates: Math.round(candidates),
      optimiser: Math.round(optimiser),
      greedy: Math.round(greedyMs),
    },
  };
};
