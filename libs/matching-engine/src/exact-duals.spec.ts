import { minCostCirculation } from './cost-scaling';
import { exactPotentials, parentCycle } from './exact-duals';
import { buildMatchingNetwork, type FlowNetwork, pushRound } from './flow-network';
import { problemOf, randomProblem } from './random-problem.spec-helper';

/** The residual arcs whose reduced cost under `pi` is negative: none, for potentials that prove a flow optimal. */
const negativeArcs = (net: FlowNetwork, pi: Float64Array): number => {
  let count = 0;
  for (let v = 0; v < net.nodeCount; v++) {
    for (let a = net.first[v] ?? 0; a < (net.first[v + 1] ?? 0); a++) {
      if ((net.rescap[a] ?? 0) > 0 && (net.cost[a] ?? 0) + (pi[v] ?? 0) - (pi[net.head[a] ?? 0] ?? 0) < 0) count++;
    }
  }
  return count;
};

describe('exactPotentials', () => {
  // One seeker, one offer of weight 5: the empty flow leaves the cycle Z → origin → seeker → offer → dest → Z at -5.
  const profitable = () => problemOf(1, [{ origin: 0, arcs: [[0, 5]] }], [{ capacity: 1, dest: 0 }]);

  it('answers undefined within a budget, and throws without one, when the flow still has a negative cycle', () => {
    const net = buildMatchingNetwork(profitable());
    const zero = new Float64Array(net.nodeCount);
    expect(exactPotentials(net, zero, 40 * net.nodeCount)).toBeUndefined();
    expect(() => exactPotentials(net, zero)).toThrow('not optimal');
  });

  it('answers undefined when the budget runs out before the labels settle', () => {
    const net = buildMatchingNetwork(profitable());
    const { price } = minCostCirculation(net);
    expect(exactPotentials(net, price, 1)).toBeUndefined();
    expect(exactPotentials(net, price)).toBeDefined();
  });

  it.each([11, 12, 13, 14, 15, 16, 17, 18])(
    'gives potentials with no negative reduced cost on an optimal flow (random problem %i)',
    (seed) => {
      const net = buildMatchingNetwork(randomProblem(seed));
      const { price, potentials } = minCostCirculation(net);
      expect(negativeArcs(net, potentials)).toBe(0);
      expect(negativeArcs(net, exactPotentials(net, price) as Float64Array)).toBe(0);
    },
  );
});

/** The weight the flow places: the costs of the seeker → offer arcs that carry flow, negated. */
const placedWeight = (net: FlowNetwork): number => {
  let total = 0;
  for (let a = 0; a < net.head.length; a++) {
    if ((net.cost[a] ?? 0) < 0 && net.rescap[a] === 0) total -= net.cost[a] ?? 0;
  }
  return total;
};

describe('exactPotentials cancelling the negative cycles it meets', () => {
  it('hands over a closed cycle of residual arcs, and proves the flow once flow went round it', () => {
    const net = buildMatchingNetwork(problemOf(1, [{ origin: 0, arcs: [[0, 5]] }], [{ capacity: 1, dest: 0 }]));
    const cycles: number[][] = [];
    const pi = exactPotentials(net, new Float64Array(net.nodeCount), 40 * net.nodeCount, (cycle) => {
      // Each arc is residual and starts where the one before it ends.
      for (let i = 0; i < cycle.length; i += 2) {
        const arc = cycle[i + 1] ?? 0;
        expect(net.rescap[arc]).toBeGreaterThan(0);
        const next = cycle[(i + 2) % cycle.length] ?? 0;
        expect(net.head[arc]).toBe(next);
      }
      cycles.push(cycle);
      pushRound(net, cycle);
      return true;
    });
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(10);
    expect(pi).toBeDefined();
    expect(negativeArcs(net, pi as Float64Array)).toBe(0);
    expect(placedWeight(net)).toBe(5);
  });

  it('answers undefined when the caller declines to cancel', () => {
    const net = buildMatchingNetwork(problemOf(1, [{ origin: 0, arcs: [[0, 5]] }], [{ capacity: 1, dest: 0 }]));
    expect(exactPotentials(net, new Float64Array(net.nodeCount), 40 * net.nodeCount, () => false)).toBeUndefined();
    expect(placedWeight(net)).toBe(0);
  });

  it.each([11, 12, 13, 14, 15, 16, 17, 18])(
    'reaches the optimum by cancelling alone, from the empty flow (random problem %i)',
    (seed) => {
      const solved = buildMatchingNetwork(randomProblem(seed));
      minCostCirculation(solved);
      const net = buildMatchingNetwork(randomProblem(seed));
      let cancelled = 0;
      const pi = exactPotentials(net, new Float64Array(net.nodeCount), Number.POSITIVE_INFINITY, (cycle) => {
        pushRound(net, cycle);
        cancelled++;
        return true;
      });
      expect(cancelled).toBeGreaterThan(0);
      expect(negativeArcs(net, pi as Float64Array)).toBe(0);
      expect(placedWeight(net)).toBe(placedWeight(solved));
    },
  );
});

describe('parentCycle', () => {
  it('finds a cycle among parent links, and none in a forest, check after check on the same stamps', () => {
    const seen = new Float64Array(6);
    // 0 ← 1 ← 2, 3 ← 4, 5 a root: a forest.
    const forest = Int32Array.from([-1, 0, 1, -1, 3, -1]);
    expect(parentCycle(forest, seen, 1)).toBe(false);
    // 1 → 2 → 3 → 1, with 0 and 4 hanging off it.
    const cycle = Int32Array.from([1, 2, 3, 1, 3, -1]);
    expect(parentCycle(cycle, seen, 2)).toBe(true);
    expect(parentCycle(forest, seen, 3)).toBe(false);
    // A node that is its own parent is a cycle too.
    expect(parentCycle(Int32Array.from([-1, 1, -1, -1, -1, -1]), seen, 4)).toBe(true);
  });
});
