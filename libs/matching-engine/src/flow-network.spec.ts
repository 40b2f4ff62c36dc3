import { minCostCirculation } from './cost-scaling';
import { buildMatchingNetwork, type MatchingNetwork, pushUnit } from './flow-network';
import { problemOf, randomProblem } from './random-problem.spec-helper';

/** Every way the network's layout can be broken, in words; empty when it holds. */
const layoutFaults = (net: MatchingNetwork): string[] => {
  const { nodeCount: N, first, head, sister, rescap, pairCap, liveStart, wideFrom } = net;
  const faults: string[] = [];
  for (let v = 0; v < N; v++) {
    const from = first[v] ?? 0;
    const live = liveStart[v] ?? 0;
    const wide = wideFrom[v] ?? 0;
    const end = first[v + 1] ?? 0;
    if (!(from <= live && live <= wide && wide <= end)) faults.push(`node ${v}: runs out of order`);
    for (let a = from; a < end; a++) {
      const s = sister[a] ?? 0;
      if (sister[s] !== a) faults.push(`arc ${a}: its sister's sister is ${sister[s]}`);
      if (head[s] !== v) faults.push(`arc ${a}: its sister does not come back to node ${v}`);
      if ((rescap[a] ?? 0) + (rescap[s] ?? 0) !== pairCap[a]) faults.push(`arc ${a}: rescaps do not add up`);
      const unit = pairCap[a] === 1;
      if (a < live && !(unit && rescap[a] === 0)) faults.push(`arc ${a}: in node ${v}'s empty run`);
      if (a >= live && a < wide && !(unit && rescap[a] === 1)) faults.push(`arc ${a}: in node ${v}'s live run`);
      if (a >= wide && unit) faults.push(`arc ${a}: a unit arc among node ${v}'s wide ones`);
    }
  }
  return faults;
};

describe('the matching network', () => {
  it('keeps each block as empty unit arcs, then residual unit arcs, then wider arcs, as it is built', () => {
    for (let seed = 1; seed <= 40; seed++) expect(layoutFaults(buildMatchingNetwork(randomProblem(seed)))).toEqual([]);
  });

  it('keeps that layout and every sister link through a whole solve', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const net = buildMatchingNetwork(randomProblem(seed));
      minCostCirculation(net);
      expect(layoutFaults(net)).toEqual([]);
    }
  });

  it("moves a pushed unit arc to its node's empty run and its sister to the live run of the other end", () => {
    const net = buildMatchingNetwork(
      problemOf(
        1,
        [
          {
            origin: 0,
            arcs: [
              [0, 5],
              [1, 4],
            ],
          },
        ],
        [
          { capacity: 1, dest: 0 },
          { capacity: 1, dest: 0 },
        ],
      ),
    );
    const v = net.seekerNode[0] ?? 0;
    const live = net.liveStart[v] ?? 0;
    const toFirstOffer = live + [live, live + 1].findIndex((a) => net.head[a] === net.offerNode[0]);
    const w = net.head[toFirstOffer] ?? 0;
    const liveOfW = net.liveStart[w] ?? 0;
    pushUnit(net, v, toFirstOffer);
    expect(net.liveStart[v]).toBe(live + 1);
    expect(net.head[live]).toBe(w);
    expect(net.rescap[live]).toBe(0);
    expect(net.liveStart[w]).toBe(liveOfW - 1);
    expect(net.head[liveOfW - 1]).toBe(v);
    expect(net.rescap[liveOfW - 1]).toBe(1);
    expect(layoutFaults(net)).toEqual([]);
  });

  it('numbers seekers by their first candidate and offers as those seekers first name them, one node each', () => {
    // Seeker 0 names offer 2 first, seeker 1 offer 0, seeker 2 offer 2 again: seekers 1, 0, 2; offers 0, 1, 2 → 0, 2, 1.
    const net = buildMatchingNetwork(
      problemOf(
        1,
        [
          {
            origin: 0,
            arcs: [
              [2, 3],
              [1, 1],
            ],
          },
          { origin: 0, arcs: [[0, 2]] },
          { origin: 0, arcs: [[2, 1]] },
        ],
        [
          { capacity: 1, dest: 0 },
          { capacity: 1, dest: 0 },
          { capacity: 1, dest: 0 },
        ],
      ),
    );
    expect(Array.from(net.seekerNode, (v) => v - net.seekerBase)).toEqual([1, 0, 2]);
    expect(Array.from(net.offerNode, (v) => v - net.offerBase)).toEqual([0, 2, 1]);
    expect(Array.from(net.offerAt)).toEqual([0, 2, 1]);
  });
});
