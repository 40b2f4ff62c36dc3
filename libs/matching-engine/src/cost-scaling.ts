import type { FlowNetwork } from './flow-network';
import { globalPriceUpdate, priceUpdateWorkspace } from './price-update';

export interface CirculationStats {
  readonly phases: number;
  readonly pushes: number;
  readonly relabels: number;
  readonly priceUpdates: number;
}

/** ε shrinks by this factor per phase; Goldberg's cs2 found 8–16 best, measured here too. */
const ALPHA = Number(process.env.ME_ALPHA ?? 12);
/** A global price update after this many relabels per node. */
const UPDATE_EVERY = Number(process.env.ME_UPD ?? 0.5);
/** Every price stays an integer below this, so Float64 arithmetic on prices is exact. */
const PRICE_LIMIT = 2 ** 52;

/**
 * Minimum-cost circulation by cost scaling with push–relabel (Goldberg and Tarjan; heuristics from
 * Goldberg's cs2: global price updates and push look-ahead). It changes `net.rescap` into an optimal
 * flow and returns the node prices, with rc(v, w) = cost + price[v] - price[w] ≥ -1 on every residual
 * arc. Costs come multiplied by scale > nodeCount, so that bound is below 1/nodeCount in the
 * caller's units; a negative cycle would cost less than 0 and more than -1 there, and costs are
 * integers, so there is none: the flow is exactly optimal. Everything is integer-valued in Float64,
 * hence deterministic and exact.
 */
export const minCostCirculation = (net: FlowNetwork, initialPrice?: Float64Array): { price: Float64Array; stats: CirculationStats } => {
  const { nodeCount: N, first, head, sister, rescap, cost } = net;
  const price = initialPrice ?? new Float64Array(N);
  const excess = new Int32Array(N);
  const current = new Int32Array(N);
  const queue = new Int32Array(N);
  const ws = priceUpdateWorkspace(N);
  let qHead = 0;
  let qLen = 0;
  let pushes = 0;
  let relabels = 0;
  let priceUpdates = 0;
  let phases = 0;
  let eps = 0;
  for (let v = 0; v < N; v++) {
    const pv = price[v] ?? 0;
    for (let a = first[v] ?? 0, end = first[v + 1] ?? 0; a < end; a++) {
      if ((rescap[a] ?? 0) > 0) eps = Math.max(eps, (price[head[a] ?? 0] ?? 0) - pv - (cost[a] ?? 0));
    }
  }

  const enqueue = (v: number): void => {
    if (qLen >= N) throw new Error('queue overflow');
    let t = qHead + qLen;
    if (t >= N) t -= N;
    queue[t] = v;
    qLen++;
  };

  /** Lowers price[v] as far as ε-optimality allows; false when v has no residual arc at all. */
  const relabel = (v: number): boolean => {
    let best = -Infinity;
    for (let a = first[v] ?? 0, end = first[v + 1] ?? 0; a < end; a++) {
      if ((rescap[a] ?? 0) === 0) continue;
      const t = (price[head[a] ?? 0] ?? 0) - (cost[a] ?? 0);
      if (t > best) best = t;
    }
    if (best === -Infinity) return false;
    const p = best - eps;
    if (p < -PRICE_LIMIT) throw new RangeError('matching prices left the exact integer range of Float64');
    price[v] = p;
    current[v] = first[v] ?? 0;
    relabels++;
    return true;
  };

  /** Advances current[w] to an admissible arc; false when w has none left. */
  const hasAdmissible = (w: number): boolean => {
    const pw = price[w] ?? 0;
    for (let a = current[w] ?? 0, end = first[w + 1] ?? 0; a < end; a++) {
      if ((rescap[a] ?? 0) > 0 && (cost[a] ?? 0) + pw - (price[head[a] ?? 0] ?? 0) < 0) {
        current[w] = a;
        return true;
      }
    }
    return false;
  };

  const discharge = (v: number): void => {
    let ex = excess[v] ?? 0;
    const end = first[v + 1] ?? 0;
    let a = current[v] ?? 0;
    for (;;) {
      const pv = price[v] ?? 0;
      for (; a < end; a++) {
        const r = rescap[a] ?? 0;
        if (r === 0) continue;
        const w = head[a] ?? 0;
        if ((cost[a] ?? 0) + pv - (price[w] ?? 0) >= 0) continue;
        // Look-ahead: flow pushed into a node with nowhere to go would only come back.
        if ((excess[w] ?? 0) >= 0 && !hasAdmissible(w) && relabel(w) && (cost[a] ?? 0) + pv - (price[w] ?? 0) >= 0) continue;
        const delta = ex < r ? ex : r;
        rescap[a] = r - delta;
        const s = sister[a] ?? 0;
        rescap[s] = (rescap[s] ?? 0) + delta;
        const ew = excess[w] ?? 0;
        excess[w] = ew + delta;
        if (ew <= 0 && ew + delta > 0) enqueue(w);
        pushes++;
        ex -= delta;
        if (ex === 0) break;
      }
      if (ex === 0) break;
      relabel(v);
      a = first[v] ?? 0;
    }
    current[v] = a;
    excess[v] = 0;
  };

  let updMs = 0;
  const update = (): void => {
    const tu = performance.now();
    globalPriceUpdate(net, price, excess, eps, ws);
    updMs += performance.now() - tu;
    current.set(first.subarray(0, N));
    priceUpdates++;
  };

  const refine = (): void => {
    for (let v = 0; v < N; v++) {
      const pv = price[v] ?? 0;
      for (let a = first[v] ?? 0, end = first[v + 1] ?? 0; a < end; a++) {
        const r = rescap[a] ?? 0;
        if (r === 0) continue;
        const w = head[a] ?? 0;
        if ((cost[a] ?? 0) + pv - (price[w] ?? 0) >= 0) continue;
        rescap[a] = 0;
        const s = sister[a] ?? 0;
        rescap[s] = (rescap[s] ?? 0) + r;
        excess[v] = (excess[v] ?? 0) - r;
        excess[w] = (excess[w] ?? 0) + r;
      }
    }
    qHead = 0;
    qLen = 0;
    for (let v = 0; v < N; v++) if ((excess[v] ?? 0) > 0) enqueue(v);
    current.set(first.subarray(0, N));
    if (process.env.ME_NOINIT !== '1') update();
    let lastUpdate = relabels;
    while (qLen > 0) {
      const v = queue[qHead] ?? 0;
      qHead = qHead + 1 === N ? 0 : qHead + 1;
      qLen--;
      discharge(v);
      if (relabels - lastUpdate > UPDATE_EVERY * N) {
        update();
        lastUpdate = relabels;
      }
    }
  };

  while (eps > 1) {
    eps = Math.max(1, Math.floor(eps / ALPHA));
    const t0 = performance.now(); const r0 = relabels, p0 = pushes, u0 = priceUpdates;
    refine();
    if (process.env.ME_DEBUG) { let bad = 0; for (let v = 0; v < N; v++) if (excess[v] !== 0) bad++; let neg = 0; for (let v = 0; v < N; v++) for (let a = first[v] ?? 0; a < (first[v + 1] ?? 0); a++) if ((rescap[a] ?? 0) > 0 && (cost[a] ?? 0) + (price[v] ?? 0) - (price[head[a] ?? 0] ?? 0) < -eps) neg++; console.log('bad', bad, 'neg', neg, [...excess].map((e, v) => [v, e]).filter(([, e]) => e !== 0).slice(0, 5), 'qLen', qLen); }
    phases++;
    if (process.env.ME_DEBUG) console.log(`eps ${eps} ms ${(performance.now() - t0).toFixed(0)} relabels ${relabels - r0} pushes ${pushes - p0} updates ${priceUpdates - u0} updMs ${updMs.toFixed(0)}`); updMs = 0;
  }
  return { price, stats: { phases, pushes, relabels, priceUpdates } };
};
