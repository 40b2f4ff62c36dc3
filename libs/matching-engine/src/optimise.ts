import { minCostCirculation } from './cost-scaling';
import { matchingDuals } from './exact-duals';
import { buildMatchingNetwork, type MatchingNetwork } from './flow-network';
import type { MatchingProblem, OptimalMatchingResult } from './matching.types';
import { validateProblem } from './validate';

const readAssignment = (
  net: MatchingNetwork,
  n: number,
): { assignment: Int32Array; objective: number; placed: number } => {
  const { first, head, rescap, cost, offerBase, destBase, seekerNode, offerAt } = net;
  const assignment = new Int32Array(n).fill(-1);
  let objective = 0;
  let placed = 0;
  for (let i = 0; i < n; i++) {
    const v = seekerNode[i] ?? 0;
    for (let a = first[v] ?? 0, end = first[v + 1] ?? 0; a < end; a++) {
      const w = head[a] ?? 0;
      // A forward seeker → offer arc with no residual capacity carries the seeker's one unit.
      if (w < offerBase || w >= destBase || (rescap[a] ?? 1) !== 0) continue;
      assignment[i] = offerAt[w - offerBase] ?? -1;
      objective -= cost[a] ?? 0;
      placed++;
      break;
    }
  }
  return { assignment, objective, placed };
};

/**
 * Prices under which no seeker → offer arc is worth pushing yet: each seeker is priced at its best
 * arc and every hub at the best arc overall, so only offer → destination arcs start negative. The
 * first phase then routes one unit per seat from the hubs to seekers, rather than saturating all
 * five million arcs and sending 49 of every seeker's 50 units back (five times fewer pushes,
 * measured). Any starting prices are correct; the solver reads its first ε off them.
 */
const startingPrices = (net: MatchingNetwork, p: MatchingProblem): Float64Array => {
  const { first, head, cost, scale, seekerBase, offerBase, destBase, nodeCount } = net;
  const n = p.origin.length;
  const price = new Float64Array(nodeCount);
  let top = 0;
  for (let i = 0; i < n; i++) {
    const v = seekerBase + i;
    let best = 0;
    for (let a = first[v] ?? 0, end = first[v + 1] ?? 0; a < end; a++) {
      const w = head[a] ?? 0;
      if (w >= offerBase && w < destBase) best = Math.max(best, -(cost[a] ?? 0) * scale);
    }
    price[v] = best;
    top = Math.max(top, best);
  }
  for (let v = 0; v < seekerBase; v++) price[v] = top;
  for (let v = destBase; v < nodeCount; v++) price[v] = top;
  return price;
};

/**
 * The assignment of greatest total weight under offer capacities and the origin, destination and
 * abroad caps, exactly, with LP prices that prove it (see MatchingDuals and dualBound).
 *
 * Why exact: the problem is a min-cost circulation Z → origin[g] → seeker → offer → dest[g] → Z in
 * which every cap is an arc capacity. A network's constraint matrix is totally unimodular, so its LP
 * optimum is integral and equals the best assignment; cost scaling finds an optimal flow exactly
 * (see cost-scaling.ts), and the duals returned are checked by dualBound in one pass over the arcs.
 * That needs each side's caps to nest (every seeker has one origin, every offer one destination);
 * index.ts says which caps would not.
 *
 * Determinism: the result is a function of the input arrays alone, their order included. Among
 * assignments tied at the optimum, which one is returned depends on the order of arcs and on this
 * code, so a recorded run must record the engine version with its inputs.
 */
export const optimiseMatching = (p: MatchingProblem): OptimalMatchingResult => {
  const started = performance.now();
  validateProblem(p);
  const net = buildMatchingNetwork(p);
  const { potentials, stats } = minCostCirculation(net, startingPrices(net, p));
  const { assignment, objective, placed } = readAssignment(net, p.origin.length);
  const duals = matchingDuals(net, potentials, p.groupCount, p.dest);
  return {
    assignment,
    objective,
    placed,
    duals,
    stats: { algorithm: 'cost-scaling', ...stats, arcs: net.keptCount, milliseconds: performance.now() - started },
  };
};
