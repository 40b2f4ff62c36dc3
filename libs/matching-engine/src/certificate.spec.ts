import { checkAssignment, dualBound } from './certificate';
import { ABROAD, MatchingInputError, NO_CAP } from './matching.types';
import { optimiseMatching } from './optimise';
import { problemOf, randomProblem } from './random-problem.spec-helper';

const p = problemOf(
  2,
  [
    {
      origin: 0,
      arcs: [
        [0, 10],
        [1, 9],
      ],
    },
    {
      origin: 1,
      arcs: [
        [0, 8],
        [2, 3],
      ],
    },
  ],
  [
    { capacity: 1, dest: 0 },
    { capacity: 1, dest: 1 },
    { capacity: 2, dest: ABROAD },
  ],
  { maxPlacedFromOrigin: [1, NO_CAP], maxPlacedIntoDest: [NO_CAP, 1], abroadCap: 1 },
);

describe('checkAssignment recomputes an assignment from the problem alone', () => {
  it('accepts a feasible one and sums its weights', () => {
    expect(checkAssignment(p, Int32Array.of(1, 0))).toEqual({ objective: 17, placed: 2, violations: [] });
  });

  it('names every broken rule', () => {
    const twoInRegion0 = problemOf(
      1,
      [
        { origin: 0, arcs: [[0, 1]] },
        { origin: 0, arcs: [[0, 1]] },
      ],
      [{ capacity: 1, dest: 0 }],
      { maxPlacedFromOrigin: [1], maxPlacedIntoDest: [1] },
    );
    expect(checkAssignment(twoInRegion0, Int32Array.of(0, 0)).violations).toEqual([
      'offer 0: 2 placed, capacity 1',
      'maxPlacedFromOrigin[0]: 2 placed, cap 1',
      'maxPlacedIntoDest[0]: 2 placed, cap 1',
    ]);
    expect(checkAssignment(p, Int32Array.of(2, 2)).violations).toEqual([
      'seeker 0 is assigned offer 2, which is not among its candidates',
    ]);
    expect(checkAssignment(p, Int32Array.of(-1)).violations).toEqual(['assignment has 1 entries for 2 seekers']);
  });
});

describe('dualBound', () => {
  it('of the optimiser’s prices equals its objective, which proves it optimal', () => {
    const r = optimiseMatching(p);
    expect(r.objective).toBe(17);
    expect(dualBound(p, r.duals)).toBe(17);
  });

  it('bounds every assignment whatever the prices, so no price can make a worse assignment look optimal', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const q = randomProblem(seed);
      const { objective, duals } = optimiseMatching(q);
      const zero = {
        offerPrice: new Float64Array(q.capacity.length),
        originPrice: new Float64Array(q.groupCount),
        destPrice: new Float64Array(q.groupCount),
        abroadPrice: 0,
      };
      expect(dualBound(q, zero)).toBeGreaterThanOrEqual(objective);
      const raised = { ...duals, offerPrice: duals.offerPrice.map((x) => x + 1) };
      expect(dualBound(q, raised)).toBeGreaterThanOrEqual(objective);
    }
  });

  it('refuses negative prices, and prices on groups without a cap', () => {
    const r = optimiseMatching(p);
    const code = (f: () => unknown): string => {
      try {
        f();
        return 'accepted';
      } catch (e) {
        return e instanceof MatchingInputError ? e.code : String(e);
      }
    };
    expect(code(() => dualBound(p, { ...r.duals, offerPrice: Float64Array.of(-1, 0, 0) }))).toBe('DUALS_INVALID');
    expect(code(() => dualBound(p, { ...r.duals, destPrice: Float64Array.of(1, 0) }))).toBe('DUALS_INVALID');
  });
});
