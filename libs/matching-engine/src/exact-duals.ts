import type { FlowNetwork, MatchingNetwork } from './flow-network';
import type { MatchingDuals } from './matching.types';

/**
 * Integer potentials π with cost(v, w) + π(v) - π(w) ≥ 0 on every residual arc of an optimal flow,
 * in the caller's (unscaled) units. The scaled prices are at most ε/scale short of that; rounding
 * them down and correcting with label-correcting shortest paths (which only lower π, and end because
 * an optimal flow has no negative cycle) gives exact ones in a few passes.
 *
 * Such potentials exist only when the flow is optimal, so finding them proves it. With `budget`
 * (node scans allowed), it answers undefined once the budget is spent or a negative cycle is found:
 * the flow is not (or may not be) optimal, and the caller refines further. Without one, a flow that
 * is not optimal throws.
 *
 * A negative cycle shows early in the arcs that last lowered each label (`parent`): whenever they
 * close a cycle, its cost is negative (along each such arc π(w) ≥ π(v) + cost, as π(v) only fell
 * since; and where the cycle closed, the label lowered last made it strict). They are checked
 * every N / CHECKS_PER_PASS scans, in O(N), so an attempt on a flow that is not yet optimal stops
 * within a pass instead of spending its budget: on a national run's arcs, 2.5 s where spending it
 * took 12–14 s. With `cancel`, the cycle goes to the caller (tail node and arc position of each of
 * its arcs, in turn), which may push flow round it and answer true: the search then goes on over
 * the new residual graph, from the labels it has, which are still upper bounds.
 */
export const exactPotentials = (
  net: FlowNetwork,
  price: Float64Array,
  budget = Number.POSITIVE_INFINITY,
  cancel?: (cycle: number[]) => boolean,
): Float64Array | undefined => {
  const { nodeCount: N, first, head, rescap, cost, scale, liveStart } = net;
  const pi = new Float64Array(N);
  for (let v = 0; v < N; v++) pi[v] = Math.floor((price[v] ?? 0) / scale);
  const queue = new Int32Array(N);
  const queued = new Uint8Array(N).fill(1);
  const relaxed = new Int32Array(N);
  const parent = new Int32Array(N).fill(-1);
  const parentArc = new Int32Array(N).fill(-1);
  const seen = new Float64Array(N);
  for (let v = 0; v < N; v++) queue[v] = v;
  let qHead = 0;
  let qLen = N;
  let scans = 0;
  const check = Math.max(1, Math.floor(N / CHECKS_PER_PASS));
  const enqueue = (x: number): void => {
    if (queued[x] !== 0) return;
    queued[x] = 1;
    let t = qHead + qLen;
    if (t >= N) t -= N;
    queue[t] = x;
    qLen++;
  };
  const notOptimal = (): undefined => {
    if (budget !== Number.POSITIVE_INFINITY) return undefined;
    throw new Error('matching flow is not optimal: a negative cycle remains');
  };
  while (qLen > 0) {
    if (++scans > budget) return undefined;
    const onCycle = scans % check === 0 ? nodeOnParentCycle(parent, seen, scans / check) : -1;
    if (onCycle >= 0) {
      const cycle = cycleThrough(onCycle, parent, parentArc);
      if (!cancel?.(cycle)) return notOptimal();
      // The caller pushed flow round the cycle: its arcs left the residual graph and their reverses
      // joined it, and arcs moved within their blocks (pushUnit), so every link goes (a link names
      // an arc by its place). The labels are still upper bounds; the cycle's nodes, tails of the
      // new arcs, are scanned again, and the count of corrections starts over.
      parent.fill(-1);
      relaxed.fill(0);
      for (let i = 0; i < cycle.length; i += 2) enqueue(cycle[i] ?? 0);
    }
    const v = queue[qHead] ?? 0;
    qHead = qHead + 1 === N ? 0 : qHead + 1;
    qLen--;
    queued[v] = 0;
    const pv = pi[v] ?? 0;
    for (let a = liveStart[v] ?? 0, end = first[v + 1] ?? 0; a < end; a++) {
      if ((rescap[a] ?? 0) === 0) continue;
      const w = head[a] ?? 0;
      const bound = pv + (cost[a] ?? 0);
      if (bound >= (pi[w] ?? 0)) continue;
      pi[w] = bound;
      parent[w] = v;
      parentArc[w] = a;
      const count = (relaxed[w] ?? 0) + 1;
      relaxed[w] = count;
      // More corrections than nodes means a negative cycle: the flow was not optimal.
      if (count > N) return notOptimal();
      enqueue(w);
    }
  }
  return pi;
};

/**
 * Parent links are checked for a cycle this many times a pass of N scans. On a national run's arcs,
 * where the proof after phase 4 met four cycles one after another, once a pass made it 8.5–8.7 s,
 * four times 6.6 s, sixteen times 7.0 s (bench/README.md).
 */
const CHECKS_PER_PASS = 4;

/**
 * A node on a cycle of the parent links, or -1 when they close none: each node is walked up towards
 * a root, marked with the walk's own stamp, and a walk that meets its own stamp has gone round.
 * `seen` holds stamps of earlier checks, all below `round * N`; each node is walked over once per
 * check.
 */
const nodeOnParentCycle = (parent: Int32Array, seen: Float64Array, round: number): number => {
  const N = parent.length;
  const base = round * N;
  for (let v = 0; v < N; v++) {
    if ((seen[v] ?? 0) > base) continue;
    const stamp = base + v + 1;
    let u = v;
    while (u >= 0 && (seen[u] ?? 0) <= base) {
      seen[u] = stamp;
      u = parent[u] ?? -1;
    }
    if (u >= 0 && seen[u] === stamp) return u;
  }
  return -1;
};

/** Whether the parent links close a cycle (see nodeOnParentCycle). */
export const parentCycle = (parent: Int32Array, seen: Float64Array, round: number): boolean =>
  nodeOnParentCycle(parent, seen, round) >= 0;

/**
 * The cycle of the parent links through node u, as its arcs in order: tail node, then the arc's
 * position in the tail's block, for each. The links run backwards (from each node to the tail of
 * the arc into it), so they are read from u and laid out the other way round.
 */
const cycleThrough = (u: number, parent: Int32Array, parentArc: Int32Array): number[] => {
  const arcs: number[] = [];
  let x = u;
  do {
    arcs.push(parentArc[x] ?? 0, parent[x] ?? 0);
    x = parent[x] ?? 0;
  } while (x !== u);
  return arcs.reverse();
};

/** Reads the LP prices of the matching's constraints off the potentials (see MatchingDuals). */
export const matchingDuals = (
  net: MatchingNetwork,
  pi: Float64Array,
  groupCount: number,
  dest: Int32Array,
): MatchingDuals => {
  const G = groupCount;
  const m = dest.length;
  const z = pi[0] ?? 0;
  const originPrice = new Float64Array(G);
  for (let g = 0; g < G; g++) originPrice[g] = Math.max(0, (pi[1 + g] ?? 0) - z);
  const destPrice = new Float64Array(G);
  for (let g = 0; g < G; g++) destPrice[g] = Math.max(0, z - (pi[net.destBase + g] ?? 0));
  const abroadPrice = Math.max(0, z - (pi[net.destBase + G] ?? 0));
  const offerPrice = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const d = dest[j] ?? -1;
    const dn = net.destBase + (d < 0 ? G : d);
    offerPrice[j] = Math.max(0, (pi[dn] ?? 0) - (pi[net.offerNode[j] ?? 0] ?? 0));
  }
  return { offerPrice, originPrice, destPrice, abroadPrice };
};
