import highsLoader, { type Highs } from 'highs';
import { checkAssignment, dualBound } from './certificate';
import { greedyMatching } from './greedy';
import { toCplexLp } from './lp-format';
import type { MatchingProblem } from './matching.types';
import { optimiseMatching } from './optimise';
import { randomProblem } from './random-problem.spec-helper';

const INSTANCES = 150;

let highs: Highs;
beforeAll(async () => {
  highs = await highsLoader();
});

interface LpAnswer {
  readonly objective: number;
  readonly columns: ReadonlyArray<number>;
}

const solve = (p: MatchingProblem, integer: boolean): LpAnswer => {
  const r = highs.solve(toCplexLp(p, { integer }));
  if (r.Status !== 'Optimal') throw new Error(`HiGHS: ${r.Status}`);
  return {
    objective: r.ObjectiveValue,
    columns: Object.values(r.Columns).map((c) => ('Primal' in c ? c.Primal : Number.NaN)),
  };
};

const instances = Array.from({ length: INSTANCES }, (_, k) => ({ seed: 1000 + k, problem: randomProblem(1000 + k) }));

describe('the optimiser against HiGHS on random small instances', () => {
  const results = instances.map(({ seed, problem }) => ({
    seed,
    problem,
    opt: optimiseMatching(problem),
    greedy: greedyMatching(problem),
  }));

  it.each(results.map((r) => [r.seed, r] as const))(
    'seed %i: same optimum as the MIP and the LP relaxation, a feasible assignment, a tight certificate',
    (_seed, { problem, opt }) => {
      const mip = solve(problem, true);
      const lp = solve(problem, false);
      expect(opt.objective).toBe(Math.round(mip.objective));
      expect(Math.abs(mip.objective - opt.objective)).toBeLessThan(1e-6);
      // The LP relaxation is no better than the integer optimum: with nested caps its vertices are
      // integral, so the simplex answer is too.
      expect(Math.abs(lp.objective - opt.objective)).toBeLessThan(1e-6);
      for (const x of lp.columns) expect(Math.min(Math.abs(x), Math.abs(1 - x))).toBeLessThan(1e-9);
      const check = checkAssignment(problem, opt.assignment);
      expect(check.violations).toEqual([]);
      expect(check.objective).toBe(opt.objective);
      expect(check.placed).toBe(opt.placed);
      expect(dualBound(problem, opt.duals)).toBe(opt.objective);
    },
  );

  it('greedy is feasible and never better than the optimum, and strictly worse on some instances', () => {
    let worse = 0;
    for (const { problem, opt, greedy } of results) {
      expect(checkAssignment(problem, greedy.assignment)).toEqual({
        objective: greedy.objective,
        placed: greedy.placed,
        violations: [],
      });
      expect(greedy.objective).toBeLessThanOrEqual(opt.objective);
      if (greedy.objective < opt.objective) worse++;
    }
    expect(worse).toBeGreaterThan(INSTANCES / 10);
  });

  it('the caps bind on many instances, so the comparison exercises them', () => {
    const binding = results.filter(({ problem, opt }) => {
      const uncapped = optimiseMatching({
        ...problem,
        maxPlacedFromOrigin: undefined,
        maxPlacedIntoDest: undefined,
        abroadCap: undefined,
      });
      return uncapped.objective > opt.objective;
    });
    expect(binding.length).toBeGreaterThan(INSTANCES / 4);
  });
});
