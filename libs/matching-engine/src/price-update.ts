import type { FlowNetwork } from './flow-network';

const FAR = 0x7fffffff;

/** Buffers for the global price update, allocated once per solve. */
export interface PriceUpdateWorkspace {
  readonly rank: Int32Array;
  readonly bucketHead: Int32Array;
  readonly next: Int32Array;
  readonly prev: Int32Array;
}

export const priceUpdateWorkspace = (nodeCount: number): PriceUpdateWorkspace => ({
  rank: new Int32Array(nodeCount),
  bucketHead: new Int32Array(nodeCount + 1),
  next: new Int32Array(nodeCount),
  prev: new Int32Array(nodeCount),
});

/**
 * Goldberg's global price update. d(v) is the length of a shortest residual path from v to a node in
 * deficit, where arc (v, w) has length floor(rc(v, w) / ε) + 1 (≥ 0 because rc ≥ -ε). Lowering every
 * price by ε·d(v) keeps the flow ε-optimal (d(v) ≤ d(w) + length is exactly rc' ≥ -ε) and turns each
 * shortest path into admissible arcs, so excess flows to deficits without one relabel per step.
 * The search stops once every node with excess is labelled: the rest get the current level L, which
 * is at most their true distance and at least every label given, and both bounds keep rc' ≥ -ε.
 * That bound is also why a label in a bucket not yet scanned may be cut to L.
 */
export const globalPriceUpdate = (
  net: FlowNetwork,
  price: Float64Array,
  excess: Int32Array,
  eps: number,
  ws: PriceUpdateWorkspace,
): void => {
  const { nodeCount: N, first, head, rescap, pairCap, cost, scale, liveStart, wideFrom } = net;
  const { rank, bucketHead, next, prev } = ws;
  const B = bucketHead.length;
  rank.fill(FAR);
  bucketHead.fill(-1);
  let pending = 0;
  let inBuckets = 0;
  const insert = (v: number, k: number): void => {
    const h = bucketHead[k] ?? -1;
    next[v] = h;
    prev[v] = -1;
    if (h >= 0) prev[h] = v;
    bucketHead[k] = v;
    rank[v] = k;
    inBuckets++;
  };
  const remove = (v: number): void => {
    const k = rank[v] ?? 0;
    const nx = next[v] ?? -1;
    const pv = prev[v] ?? -1;
    if (pv >= 0) next[pv] = nx;
    else bucketHead[k] = nx;
    if (nx >= 0) prev[nx] = pv;
    inBuckets--;
  };
  /** Labels the tail u of the residual arc u → v (the sister of v's arc a), v being at `level`. */
  const relax = (v: number, a: number, level: number): void => {
    const u = head[a] ?? 0;
    // Lengths are ≥ 0, so a node labelled at this level or below cannot improve (that covers every
    // node already scanned) and the division is skipped for most arcs.
    const ru = rank[u] ?? FAR;
    if (ru <= level) return;
    const k = level + Math.floor(((price[u] ?? 0) - (price[v] ?? 0) - (cost[a] ?? 0) * scale) / eps) + 1;
    if (k >= B || k >= ru) return;
    if (ru !== FAR) remove(u);
    insert(u, k);
  };
  for (let v = 0; v < N; v++) {
    const e = excess[v] ?? 0;
    if (e < 0) insert(v, 0);
    else if (e > 0) pending++;
  }
  if (pending === 0) return;

  let level = 0;
  scan: for (; level < B && inBuckets > 0; level++) {
    for (let v = bucketHead[level] ?? -1; v >= 0; v = bucketHead[level] ?? -1) {
      remove(v);
      if ((excess[v] ?? 0) > 0 && --pending === 0) break scan;
      // The arcs into v are the sisters of v's arcs that are not at full rescap: all its empty unit
      // arcs (before liveStart[v], see FlowNetwork) and those of its wider arcs that carry flow.
      for (let a = first[v] ?? 0, end = liveStart[v] ?? 0; a < end; a++) relax(v, a, level);
      for (let a = wideFrom[v] ?? 0, end = first[v + 1] ?? 0; a < end; a++) {
        if ((rescap[a] ?? 0) !== (pairCap[a] ?? 0)) relax(v, a, level);
      }
    }
  }
  // Scanned nodes have rank ≤ L; the others get L, see above.
  const L = Math.min(level, B);
  for (let v = 0; v < N; v++) {
    const d = Math.min(rank[v] ?? FAR, L);
    if (d > 0) price[v] = (price[v] ?? 0) - d * eps;
  }
};
