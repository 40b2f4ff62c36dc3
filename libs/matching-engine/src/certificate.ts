import { ABROAD, MatchingInputError, NO_CAP, type MatchingDuals, type MatchingProblem } from './matching.types';

export interface AssignmentCheck {
  /** Σ weight of the chosen arcs (the heavier one if a seeker lists an offer twice). */
  readonly objective: number;
  readonly placed: number;
  /** Broken constraints in words, at most MAX_VIOLATIONS of them; empty when the assignment is feasible. */
  readonly violations: readonly string[];
}

const MAX_VIOLATIONS = 20;

const overCap = (name: string, count: ArrayLike<number>, caps: ArrayLike<number> | undefined, out: string[]): void => {
  if (caps === undefined) return;
  for (let g = 0; g < count.length; g++) {
    const cap = caps[g] ?? NO_CAP;
    const c = count[g] ?? 0;
    if (cap !== NO_CAP && c > cap) out.push(`${name}[${g}]: ${c} placed, cap ${cap}`);
  }
};

/**
 * Recomputes an assignment's objective from the problem alone and lists every constraint it breaks,
 * so an auditor need not trust the code that produced it.
 */
export const checkAssignment = (p: MatchingProblem, assignment: Int32Array): AssignmentCheck => {
  const { groupCount: G, origin, capacity, dest, arcStart, arcOffer, arcWeight } = p;
  const n = origin.length;
  const m = capacity.length;
  const violations: string[] = [];
  if (assignment.length !== n)
    return { objective: 0, placed: 0, violations: [`assignment has ${assignment.length} entries for ${n} seekers`] };
  const load = new Int32Array(m);
  const fromOrigin = new Int32Array(G);
  const intoDest = new Int32Array(G);
  let abroad = 0;
  let objective = 0;
  let placed = 0;
  for (let i = 0; i < n; i++) {
    const j = assignment[i] ?? -1;
    if (j === -1) continue;
    let weight = -1;
    for (let a = arcStart[i] ?? 0, end = arcStart[i + 1] ?? 0; a < end; a++) {
      if (arcOffer[a] === j) weight = Math.max(weight, arcWeight[a] ?? 0);
    }
    if (weight < 0) {
      violations.push(`seeker ${i} is assigned offer ${j}, which is not among its candidates`);
      continue;
    }
    objective += weight;
    placed++;
    load[j] = (load[j] ?? 0) + 1;
    const o = origin[i] ?? 0;
    fromOrigin[o] = (fromOrigin[o] ?? 0) + 1;
    const d = dest[j] ?? ABROAD;
    if (d === ABROAD) abroad++;
    else intoDest[d] = (intoDest[d] ?? 0) + 1;
  }
  for (let j = 0; j < m; j++) {
    if ((load[j] ?? 0) > (capacity[j] ?? 0))
      violations.push(`offer ${j}: ${load[j] ?? 0} placed, capacity ${capacity[j] ?? 0}`);
  }
  overCap('maxPlacedFromOrigin', fromOrigin, p.maxPlacedFromOrigin, violations);
  overCap('maxPlacedIntoDest', intoDest, p.maxPlacedIntoDest, violations);
  if (p.abroadCap !== undefined && p.abroadCap !== NO_CAP && abroad > p.abroadCap)
    violations.push(`abroad: ${abroad} placed, cap ${p.abroadCap}`);
  const shown =
    violations.length > MAX_VIOLATIONS
      ? [...violations.slice(0, MAX_VIOLATIONS), `… and ${violations.length - MAX_VIOLATIONS} more`]
      : violations;
  return { objective, placed, violations: shown };
};

const checkPrices = (name: string, prices: ArrayLike<number>, length: number): void => {
  if (prices.length !== length)
    throw new MatchingInputError('DUALS_INVALID', `${name} has ${prices.length} entries, expected ${length}`);
  for (let k = 0; k < prices.length; k++) {
    const v = prices[k] ?? -1;
    if (!Number.isFinite(v) || v < 0)
      throw new MatchingInputError('DUALS_INVALID', `${name}[${k}] is ${v}; prices are finite and ≥ 0`);
  }
};

/**
 * The LP dual bound of the given prices: no assignment of the problem scores more (weak duality,
 * whatever the prices, as long as they are ≥ 0). When it equals an assignment's objective, that
 * assignment is optimal. A group without a cap must have price 0, since its cap is unbounded.
 */
export const dualBound = (p: MatchingProblem, duals: MatchingDuals): number => {
  const { groupCount: G, origin, capacity, dest, arcStart, arcOffer, arcWeight } = p;
  const { offerPrice, originPrice, destPrice, abroadPrice } = duals;
  checkPrices('offerPrice', offerPrice, capacity.length);
  checkPrices('originPrice', originPrice, G);
  checkPrices('destPrice', destPrice, G);
  checkPrices('abroadPrice', [abroadPrice], 1);
  const capTerm = (name: string, cap: number, price: number): number => {
    if (price === 0) return 0;
    if (cap === NO_CAP) throw new MatchingInputError('DUALS_INVALID', `${name} has price ${price} but no cap`);
    return cap * price;
  };
  let bound = 0;
  for (let j = 0; j < capacity.length; j++) bound += (capacity[j] ?? 0) * (offerPrice[j] ?? 0);
  for (let g = 0; g < G; g++) {
    bound += capTerm(`origin ${g}`, p.maxPlacedFromOrigin?.[g] ?? NO_CAP, originPrice[g] ?? 0);
    bound += capTerm(`dest ${g}`, p.maxPlacedIntoDest?.[g] ?? NO_CAP, destPrice[g] ?? 0);
  }
  bound += capTerm('abroad', p.abroadCap ?? NO_CAP, abroadPrice);
  for (let i = 0; i < origin.length; i++) {
    const r = originPrice[origin[i] ?? 0] ?? 0;
    let best = 0;
    for (let a = arcStart[i] ?? 0, end = arcStart[i + 1] ?? 0; a < end; a++) {
      const j = arcOffer[a] ?? 0;
      const d = dest[j] ?? ABROAD;
      const q = d === ABROAD ? abroadPrice : (destPrice[d] ?? 0);
      const slack = (arcWeight[a] ?? 0) - (offerPrice[j] ?? 0) - r - q;
      if (slack > best) best = slack;
    }
    bound += best;
  }
  return bound;
};
