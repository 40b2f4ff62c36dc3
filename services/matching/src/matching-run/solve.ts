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

/** The candidate arcs of seekers `from` .. `to - 1`: arcStart counts from 0 at `from`. */
export interface CandidateArcs {
  readonly arcStart: Int32Array;
  readonly arcOffer: Int32Array;
  readonly arcWeight: Int32Array;
}

/**
 * Candidates of seekers `from` .. `to - 1`, scored and weighted by each seeker's region, written into
 * `into` (allocated at the most arcs there can be: growing by copies would hold two copies at the
 * peak). Answers how many arcs it wrote.
 */
const fillCandidates = (
  request: SolveRequest,
  from: number,
  to: number,
  into: CandidateArcs,
  progress: (done: number) => void = () => {},
): number => {
  const { arrays: a, multipliers, candidatesPerSeeker: limit } = request;
  const scorer = new Scorer(a, indexOffers(a), limit);
  const { arcStart, arcOffer, arcWeight } = into;
  const offers = new Int32Array(limit);
  const scores = new Int32Array(limit);
  let arcs = 0;
  for (let i = from; i < to; i++) {
    const found = scorer.candidates(i, offers, scores, 0);
    const multiplier = multipliers[a.seekerOrigin[i] ?? 0] ?? 1;
    for (let c = 0; c < found; c++) {
      arcOffer[arcs] = offers[c] ?? 0;
      arcWeight[arcs] = (scores[c] ?? 0) * multiplier;
      arcs += 1;
    }
    arcStart[i - from + 1] = arcs;
    if ((i + 1 - from) % REPORT_EVERY === 0) progress(i + 1 - from);
  }
  return arcs;
};

const allocate = (request: SolveRequest, seekers: number): CandidateArcs => ({
  arcStart: new Int32Array(seekers + 1),
  arcOffer: new Int32Array(seekers * request.candidatesPerSeeker),
  arcWeight: new Int32Array(seekers * request.candidatesPerSeeker),
});

/** Seekers `from` .. `to - 1`'s candidate arcs, trimmed: what a helper thread sends back. */
export const candidateArcs = (request: SolveRequest, from: number, to: number): CandidateArcs => {
  const part = allocate(request, to - from);
  const arcs = fillCandidates(request, from, to, part);
  return { arcStart: part.arcStart, arcOffer: part.arcOffer.slice(0, arcs), arcWeight: part.arcWeight.slice(0, arcs) };
};

const problemOf = (request: SolveRequest, arcs: CandidateArcs, count: number): MatchingProblem => ({
  groupCount: request.groupCount,
  origin: request.arrays.seekerOrigin,
  capacity: request.arrays.capacity,
  dest: request.arrays.dest,
  arcStart: arcs.arcStart,
  arcOffer: arcs.arcOffer.subarray(0, count),
  arcWeight: arcs.arcWeight.subarray(0, count),
  ...(request.maxPlacedFromOrigin ? { maxPlacedFromOrigin: request.maxPlacedFromOrigin } : {}),
  ...(request.maxPlacedIntoDest ? { maxPlacedIntoDest: request.maxPlacedIntoDest } : {}),
  ...(request.abroadCap !== undefined ? { abroadCap: request.abroadCap } : {}),
});

/** Every seeker's candidates, scored and weighted by the seeker's region, as the engine's arcs (typed arrays). */
export const buildProblem = (request: SolveRequest, progress: Progress = () => {}): MatchingProblem => {
  const n = request.arrays.seekers;
  const arcs = allocate(request, n);
  const count = fillCandidates(request, 0, n, arcs, (done) => progress('candidates', done, n));
  progress('candidates', n, n);
  return problemOf(request, arcs, count);
};

/**
 * The same problem as buildProblem, with the seekers from `split` on computed elsewhere (`rest`, a
 * helper thread): this thread computes the first part meanwhile, then appends the rest's arcs. The
 * candidates of a seeker depend on nothing but the inputs, so the arcs are the same, in the same
 * order. Progress counts this thread's part at the pace of the whole.
 */
export const buildProblemSplit = async (
  request: SolveRequest,
  split: number,
  rest: Promise<CandidateArcs>,
  progress: Progress = () => {},
): Promise<MatchingProblem> => {
  const n = request.arrays.seekers;
  const arcs = allocate(request, n);
  const count = fillCandidates(request, 0, split, arcs, (done) =>
    progress('candidates', Math.floor((done * n) / Math.max(1, split) / 2), n),
  );
  const other = await rest;
  arcs.arcOffer.set(other.arcOffer, count);
  arcs.arcWeight.set(other.arcWeight, count);
  for (let k = 1; k <= n - split; k++) arcs.arcStart[split + k] = count + (other.arcStart[k] ?? 0);
  progress('candidates', n, n);
  return problemOf(request, arcs, count + other.arcOffer.length);
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
  const t = performance.now();
  const problem = buildProblem(request, progress);
  return solveProblem(request, problem, performance.now() - t, progress);
};

/** The optimum, the greedy baseline and the certificate of a problem whose candidates took `candidates` ms. */
export const solveProblem = (
  request: SolveRequest,
  problem: MatchingProblem,
  candidates: number,
  progress: Progress = () => {},
): SolveResult => {
  progress('solving', 0, 1);
  let t = performance.now();
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
