/**
 * The optimiser alone on a batch run's own arcs, without a database: the same generated files as the
 * end-to-end run (bench/matching-e2e.ts `files`, same seed), folded by the service's deciders in
 * memory, turned into the run's arrays and scored into candidates by the service's code (two threads,
 * as the solving thread does), then solved. BENCH_ARCS_SCALE=1 (the default) is 1,000,000 seekers ×
 * 200,000 offers × 50 candidates: issue 16's "optimiser alone in ≤ 60 s". The bench's own random
 * instance (bench/matching.bench.ts) has few ties; these arcs are scores times regional multipliers,
 * full of ties, which is what a run solves. See bench/README.md.
 */
import { START } from '@tashghil/event-store';
import { checkAssignment, dualBound, greedyMatching, optimiseMatching } from '@tashghil/matching-engine';
import { offerDecider, seekerDecider } from '@tashghil/matching';
import type { ActiveSeeker, OpenOffer } from '../services/matching/src/matching-run/run-inputs';
import { solveRequest } from '../services/matching/src/matching-run/run-matching';
import { buildProblemSplit } from '../services/matching/src/matching-run/solve';
import { candidatesOffThread } from '../services/matching/src/matching-run/solve-thread';
import { decideAll, files } from './matching-e2e';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const count = (x: number): string => x.toLocaleString('en');

export const optimiserOnRunArcs = async (scale: number, out: (line: string) => void): Promise<string[]> => {
  const n = Math.round(1_000_000 * scale);
  const m = Math.round(200_000 * scale);
  const gen = files(20261205);
  let t = performance.now();
  const seekers = Array.from({ length: n }, (_, i) => decideAll(seekerDecider, gen.seeker(i)).state as ActiveSeeker);
  const offers = Array.from({ length: m }, (_, j) => decideAll(offerDecider, gen.offer(j)).state as OpenOffer);
  const request = solveRequest(
    { asOf: START, seekers, offers, placementRates: {} },
    { on: '2025-06-30', beta: 1, candidatesPerSeeker: 50 },
  );
  out(`arcs: ${count(n)} seekers and ${count(m)} offers folded in memory in ${seconds(performance.now() - t)}`);
  t = performance.now();
  const split = Math.floor(n / 2);
  const problem = await buildProblemSplit(request, split, candidatesOffThread(request, split, n));
  out(`arcs: candidates on two threads ${seconds(performance.now() - t)}, ${count(problem.arcOffer.length)} arcs`);
  t = performance.now();
  const best = optimiseMatching(problem);
  const optimiserMs = performance.now() - t;
  const { phases, pushes, relabels, priceUpdates, updatesSkipped, cycles } = best.stats;
  out(
    `arcs: optimiser ${seconds(optimiserMs)}, objective ${count(best.objective)}, placed ${count(best.placed)}; ${phases} phases, ${count(pushes)} pushes, ${count(relabels)} relabels, ${priceUpdates} price updates (${updatesSkipped} skipped), ${cycles} cycles cancelled`,
  );
  t = performance.now();
  const greedy = greedyMatching(problem);
  out(`arcs: greedy ${seconds(performance.now() - t)}, objective ${count(greedy.objective)}`);
  const bound = dualBound(problem, best.duals);
  const check = checkAssignment(problem, best.assignment);
  out(`arcs: LP dual bound ${count(bound)} ${bound === best.objective ? '= objective (optimal)' : '≠ objective'}`);
  out(`arcs: process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (getrusage, inputs included)`);
  return [
    ...check.violations.map((v) => `arcs: ${v}`),
    ...(check.objective !== best.objective ? [`arcs: the optimum recomputes to ${check.objective}`] : []),
    ...(bound !== best.objective ? [`arcs: the dual bound ${bound} does not prove ${best.objective}`] : []),
    ...(greedy.objective > best.objective ? ['arcs: greedy beats the optimum'] : []),
  ];
};
