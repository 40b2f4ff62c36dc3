import { type FlowNetwork, push, pushRound } from './flow-network';
import { exactPotentials } from './exact-duals';
import { globalPriceUpdate, priceUpdateWorkspace } from './price-update';

export interface CirculationStats {
  readonly phases: number;
  readonly pushes: number;
  readonly relabels: number;
  readonly priceUpdates: number;
  /** Updates due but skipped, fewer than N >> UPDATE_SKIP_SHIFT nodes holding excess. */
  readonly updatesSkipped: number;
  /** Negative cycles cancelled by the proofs (CANCEL_LIMIT). */
  readonly cycles: number;
}

/** ε shrinks by this factor per phase; Goldberg's cs2 found 8–16 best, measured here too. */
const ALPHA = 12;
/**
 * ε₀ is the largest violation of the starting prices: on a matching, about the heaviest weight (see
 * optimise.ts startingPrices, which leave only the offers' arcs to their destinations violated).
 * Those prices already put each seeker at its best arc, and a first phase at ε₀ / ALPHA did not
 * pay for itself: starting at ε₀ / ALPHA² made one phase fewer and fewer relabels (35.5 million
 * against 41.7 on a national run's arcs), the optimiser 48.3 and 52.4 s against 58.5 and 59.5 s; on
 * a fifth of those arcs 5.05 and 5.28 s against 6.38 and 6.85 s. Starting at ε₀ / ALPHA³ was slower
 * on both (61.6 and 68.6 s; 6.29 and 7.46 s). Any ε is correct for a phase; only the path changes.
 */
const FIRST_STEP = ALPHA;
/**
 * A global price update after this many relabels per node. One update scans up to the whole graph,
 * and at a million seekers its reads miss the processor's caches: on a national run's arcs one per
 * 2N relabels made 17 updates and took 97–130 s in three runs, where one per N made 40 and took
 * 215 s (bench/README.md); on the bench's own instance 6.2 s against 6.7 s. One per 4N was slower
 * again, as were updates at the start of a phase.
 */
const UPDATE_EVERY = 2;
/**
 * ... unless fewer than N / 2^UPDATE_SKIP_SHIFT nodes hold excess then: the count of relabels starts
 * again without one. An update reads the arcs into nearly every node however few hold excess (on a
 * national run's arcs, 28 million arc reads and 2.1 s to label 31 nodes), and there the relabels it
 * would spare cost less than it does: 5 updates instead of 11 and 39.0 million relabels instead of
 * 31.4, the optimiser 65.5-73.5 s against 76.4-83.9 s in alternating runs (bench/README.md). On a
 * fifth of those arcs, whose arrays fit the caches, updates are cheap and skipping them was 8 %
 * slower (8.8-9.1 s against 8.1-8.4 s); on the bench's random instance 6 % faster. The test reads a
 * count, not a clock, so the result stays a function of the input.
 */
const UPDATE_SKIP_SHIFT = 9;
/**
 * Once ε is at most CERTIFY_FROM units of weight, each phase ends with an attempt to prove the flow
 * optimal: exact potentials (exactPotentials) within CERTIFY_SCANS node scans per node. Weights are
 * integers, and a run's are scores times regional multipliers of about 100, full of ties: its flow
 * is optimal long before ε reaches 1/scale. Measured on a national run's arcs (bench/README.md): the
 * proof came after phase 4 of 10 (ε about 4.7 units) in 7.5 scans per node, and the optimiser took
 * 103 s instead of 332. An attempt on a flow that is not yet optimal stops at the first negative
 * cycle it sees (exactPotentials), after a pass or two: 2.5 s on national arcs where spending the
 * budget took 12–14 s. The count is fixed, not a time, so that the flow returned, among tied optima,
 * does not depend on the machine's speed.
 */
const CERTIFY_FROM = 16;
const CERTIFY_SCANS = 12;
/**
 * A proof that meets a negative cycle pushes flow round it and goes on, up to this many times per
 * attempt, rather than giving up for another phase: on a national run's arcs the flow after phase 4
 * (ε about 4.7 units) was four cycles of 50 to 76 arcs short of optimal, and cancelling them there
 * (about 7 s in all) spared phase 5 and its proof (16 + 2.4 s). What is proved is the flow as it is
 * then, so the result stays exact; each cancelled cycle lowers the cost, so this cannot loop.
 */
const CANCEL_LIMIT = 64;
/** Every price stays an integer below this, so Float64 arithmetic on prices is exact. */
const PRICE_LIMIT = 2 ** 52;

/**
 * Minimum-cost circulation by cost scaling with push–relabel (Goldberg and Tarjan; heuristics from
 * Goldberg's cs2: global price updates and push look-ahead). It changes `net.rescap` into an optimal
 * flow and returns the node prices and exact integer potentials (see exactPotentials) that prove it.
 * Prices count in 1/scale of a cost unit, scale > nodeCount: at ε = 1 every residual arc has
 * rc(v, w) = cost·scale + price[v] - price[w] ≥ -1, below 1/nodeCount in cost units, so a negative
 * cycle would cost less than 0 and more than -1, and costs are integers: there is none. The
 * potentials usually prove the flow optimal phases before that (CERTIFY_FROM). Everything is
 * integer-valued in Float64, hence deterministic and exact.
 */
export const minCostCirculation = (
  net: FlowNetwork,
  initialPrice?: Float64Array,
): { price: Float64Array; potentials: Float64Array; stats: CirculationStats } => {
  const { nodeCount: N, first, head, rescap, cost, scale, liveStart, wideFrom } = net;
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
  let updatesSkipped = 0;
  let phases = 0;
  let cycles = 0;
  let eps = 0;
  for (let v = 0; v < N; v++) {
    const pv = price[v] ?? 0;
    for (let a = liveStart[v] ?? 0, end = first[v + 1] ?? 0; a < end; a++) {
      if ((rescap[a] ?? 0) > 0) eps = Math.max(eps, (price[head[a] ?? 0] ?? 0) - pv - (cost[a] ?? 0) * scale);
    }
  }

  /** At the back: a phase starts with its active nodes in node order. */
  const enqueue = (v: number): void => {
    let t = qHead + qLen;
    if (t >= N) t -= N;
    queue[t] = v;
    qLen++;
  };
  /**
   * At the front: a node that a push has just made active is discharged next, while its arcs, which
   * the look-ahead has just read, are still in the processor's caches. Put at the back, a seeker
   * pushed out of an offer waited behind up to a million others and its fifty arcs were read from
   * memory twice. On a national run's arcs: 2.7 million more relabels, yet the optimiser 54.7-55.8 s
   * against 65.5 s (bench/README.md); on a fifth of them 6.1-6.3 s against 7.7-7.9 s.
   */
  const enqueueNext = (v: number): void => {
    qHead = qHead === 0 ? N - 1 : qHead - 1;
    queue[qHead] = v;
    qLen++;
  };

  /**
   * Lowers price[v] as far as ε-optimality allows; false when v has no residual arc at all. Here and
   * in hasAdmissible the unit arcs of the live run are read without their rescap, which is 1 there
   * (FlowNetwork): a seeker's arcs are all unit arcs, and not reading a third array for each of them
   * took a national run's optimiser from 70.1-72.2 s to 60.6-66.0 s.
   */
  const relabel = (v: number): boolean => {
    let best = -Infinity;
    const from = liveStart[v] ?? 0;
    const wide = wideFrom[v] ?? 0;
    for (let a = from; a < wide; a++) {
      const t = (price[head[a] ?? 0] ?? 0) - (cost[a] ?? 0) * scale;
      if (t > best) best = t;
    }
    for (let a = wide, end = first[v + 1] ?? 0; a < end; a++) {
      if ((rescap[a] ?? 0) === 0) continue;
      const t = (price[head[a] ?? 0] ?? 0) - (cost[a] ?? 0) * scale;
      if (t > best) best = t;
    }
    if (best === -Infinity) return false;
    price[v] = best - eps;
    current[v] = from;
    relabels++;
    return true;
  };

  /** Advances current[w] to an admissible arc; false when w has none left. */
  const hasAdmissible = (w: number): boolean => {
    const pw = price[w] ?? 0;
    const wide = wideFrom[w] ?? 0;
    let a = current[w] ?? 0;
    for (; a < wide; a++) {
      if ((cost[a] ?? 0) * scale + pw - (price[head[a] ?? 0] ?? 0) < 0) {
        current[w] = a;
        return true;
      }
    }
    for (const end = first[w + 1] ?? 0; a < end; a++) {
      if ((rescap[a] ?? 0) > 0 && (cost[a] ?? 0) * scale + pw - (price[head[a] ?? 0] ?? 0) < 0) {
        current[w] = a;
        return true;
      }
    }
    return false;
  };

  /**
   * Pushes v's excess along admissible arcs, relabelling v when it runs out. Only v's residual arcs
   * are read (from liveStart[v]); a unit arc pushed leaves them (pushUnit) and the scan goes on.
   */
  const discharge = (v: number): void => {
    let ex = excess[v] ?? 0;
    const end = first[v + 1] ?? 0;
    const wide = wideFrom[v] ?? 0;
    let a = current[v] ?? 0;
    for (;;) {
      const pv = price[v] ?? 0;
      for (; a < end; a++) {
        const r = rescap[a] ?? 0;
        if (r === 0) continue;
        const w = head[a] ?? 0;
        if ((cost[a] ?? 0) * scale + pv - (price[w] ?? 0) >= 0) continue;
        // Look-ahead: flow pushed into a node with nowhere to go would only come back.
        if (
          (excess[w] ?? 0) >= 0 &&
          !hasAdmissible(w) &&
          relabel(w) &&
          (cost[a] ?? 0) * scale + pv - (price[w] ?? 0) >= 0
        )
          continue;
        const delta = ex < r ? ex : r;
        const ew = excess[w] ?? 0;
        excess[w] = ew + delta;
        if (ew <= 0 && ew + delta > 0) enqueueNext(w);
        pushes++;
        ex -= delta;
        push(net, v, a, delta);
        // A unit arc pushed has left v's residual arcs (its place holds one already read); a
        // wider one may still carry more.
        if (ex === 0) {
          if (a < wide) a++;
          break;
        }
      }
      if (ex === 0) break;
      // v received its excess along some arc, whose reverse is residual: a failure here is a bug.
      if (!relabel(v)) throw new Error(`node ${v} holds excess but has no residual arc`);
      a = liveStart[v] ?? 0;
    }
    current[v] = a;
    excess[v] = 0;
  };

  const update = (): void => {
    globalPriceUpdate(net, price, excess, eps, ws);
    current.set(liveStart);
    priceUpdates++;
  };

  const refine = (): void => {
    for (let v = 0; v < N; v++) {
      const pv = price[v] ?? 0;
      for (let a = liveStart[v] ?? 0, end = first[v + 1] ?? 0; a < end; a++) {
        const r = rescap[a] ?? 0;
        if (r === 0) continue;
        const w = head[a] ?? 0;
        if ((cost[a] ?? 0) * scale + pv - (price[w] ?? 0) >= 0) continue;
        excess[v] = (excess[v] ?? 0) - r;
        excess[w] = (excess[w] ?? 0) + r;
        push(net, v, a, r);
      }
    }
    qHead = 0;
    qLen = 0;
    for (let v = 0; v < N; v++) if ((excess[v] ?? 0) > 0) enqueue(v);
    current.set(liveStart);
    let lastUpdate = relabels;
    while (qLen > 0) {
      const v = queue[qHead] ?? 0;
      qHead = qHead + 1 === N ? 0 : qHead + 1;
      qLen--;
      discharge(v);
      if (relabels - lastUpdate > UPDATE_EVERY * N) {
        if (qLen >= N >> UPDATE_SKIP_SHIFT) update();
        else updatesSkipped++;
        lastUpdate = relabels;
      }
    }
  };

  let potentials: Float64Array | undefined;
  // The first phase runs at ε₀ / ALPHA² rather than ε₀ / ALPHA (see FIRST_STEP).
  let step = ALPHA * FIRST_STEP;
  while (eps > 1) {
    eps = Math.max(1, Math.floor(eps / step));
    step = ALPHA;
    refine();
    phases++;
    // Prices only fall, by a few times the largest cost in all; this never fires at the sizes the
    // validation admits, but if it did, exactness would be lost silently, so it is checked.
    for (let v = 0; v < N; v++) {
      if (Math.abs(price[v] ?? 0) >= PRICE_LIMIT)
        throw new RangeError('matching prices left the exact integer range of Float64');
    }
    if (eps > 1 && eps <= CERTIFY_FROM * net.scale) {
      let cancelled = 0;
      potentials = exactPotentials(net, price, CERTIFY_SCANS * N, (cycle) => {
        if (cancelled === CANCEL_LIMIT) return false;
        pushRound(net, cycle);
        cancelled++;
        return true;
      });
      cycles += cancelled;
      if (potentials) break;
    }
  }
  potentials ??= exactPotentials(net, price) as Float64Array;
  return { price, potentials, stats: { phases, pushes, relabels, priceUpdates, updatesSkipped, cycles } };
};
