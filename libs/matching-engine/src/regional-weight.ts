import { MatchingInputError } from './matching.types';

/** A multiplier of 100 leaves a score as it is: percent resolution, integer arithmetic. */
export const NEUTRAL_MULTIPLIER = 100;
/** 100 times neutral: enough for any policy, and 1000 points × this stays far inside Int32. */
export const MAX_MULTIPLIER = 10_000;

/**
 * Integer multipliers, one per region, for the scores of seekers from that region:
 *
 *   multiplier[g] = clamp(round(100 · ((1 - rate[g]) / (1 - mean rate)) ^ beta), 1, MAX_MULTIPLIER)
 *
 * Why this shape:
 * - 1 - rate[g] is the share of the region's seekers still waiting. Dividing by the average share
 *   makes an average region neutral (100), a weaker one above and a stronger one below, whatever the
 *   national level of placement is this year.
 * - beta sets how strongly: 0 turns the preference off, 1 makes it proportional to unmet need.
 * - A multiplier per origin scales all of a seeker's scores alike, so it never changes which offer
 *   suits a seeker best; it only decides who wins a seat that seekers from several regions want.
 * - Integers, because the optimiser is exact only on integer weights and a replayed run must give the
 *   same numbers on any machine; 1 % steps are finer than any policy distinction.
 * - At least 1, so that a region which placed everyone still has its seekers' scores count, and a
 *   tie never hides a real preference.
 * The mean is unweighted: each region counts once, as in the programme's regional targets.
 * `**` on floats may differ in the last bit between engines, so a run records the multipliers it
 * used, not the rates, and a replay reads them back.
 */
export const regionalWeight = (placementRates: ArrayLike<number>, beta: number): Int32Array => {
  if (!Number.isFinite(beta) || beta < 0 || beta > 8)
    throw new MatchingInputError('BETA_RANGE', `beta must be from 0 to 8, got ${beta}`);
  const G = placementRates.length;
  if (G === 0) throw new MatchingInputError('RATES_EMPTY', 'placementRates needs one rate per region');
  let sum = 0;
  for (let g = 0; g < G; g++) {
    const r = placementRates[g] ?? Number.NaN;
    if (!Number.isFinite(r) || r < 0 || r > 1)
      throw new MatchingInputError('RATE_RANGE', `placementRates[${g}] is ${r}, expected 0..1`);
    sum += r;
  }
  const waitingMean = 1 - sum / G;
  const out = new Int32Array(G);
  for (let g = 0; g < G; g++) {
    const waiting = 1 - (placementRates[g] ?? 0);
    // Every region placed everyone: nobody is weaker, so all stay neutral.
    const ratio = waitingMean <= 0 ? 1 : waiting / waitingMean;
    out[g] = Math.min(MAX_MULTIPLIER, Math.max(1, Math.round(NEUTRAL_MULTIPLIER * ratio ** beta)));
  }
  return out;
};
