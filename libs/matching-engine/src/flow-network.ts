import { ABROAD, NO_CAP, type MatchingProblem } from './matching.types';

/**
 * Residual graph in CSR form: node v's arcs are first[v] .. first[v + 1] - 1, and every arc has its
 * reverse at sister[a]. A forward arc starts with its capacity and its reverse with 0, so flow on an
 * arc is the reverse's rescap. Costs are the caller's integers (Int32, half the memory of Float64 at
 * a hundred million arcs); prices are in units of 1/scale of them (see cost-scaling.ts).
 *
 * Almost every arc of a matching has capacity 1 (seeker → offer, origin → seeker), and in each such pair
 * exactly one side is residual. Each node's block keeps its arcs in three runs, so that a scan reads
 * only the arcs it needs: the unit arcs with rescap 0 from first[v], the unit arcs with rescap 1 from
 * liveStart[v], then the arcs of other capacities (any rescap) from wideFrom[v] to the block's end.
 * A push on a unit arc moves it and its sister across their nodes' boundaries (pushUnit), so that
 * an offer, which has a few hundred candidate seekers but holds only its seats' worth of them, reads a
 * few arcs when it relabels instead of all of them (on a tenth of a national run: 436 million arc
 * reads in 2.1 million relabels of offers). Which arc sits where depends only on the input and the
 * algorithm, so the result stays deterministic.
 */
export interface FlowNetwork {
  readonly nodeCount: number;
  readonly first: Int32Array;
  readonly head: Int32Array;
  readonly sister: Int32Array;
  readonly rescap: Int32Array;
  /**
   * rescap[a] + rescap[sister[a]], fixed: a scan reads the reverse's rescap without touching it
   * (the price update runs 25 % slower reading rescap[sister[a]] instead, measured).
   */
  readonly pairCap: Int32Array;
  readonly cost: Int32Array;
  readonly scale: number;
  /** Start of v's residual unit arcs: first[v] .. liveStart[v] - 1 have rescap 0, the unit arcs after it 1. */
  readonly liveStart: Int32Array;
  /** Where v's arcs of other capacities start, up to first[v + 1]. Fixed. */
  readonly wideFrom: Int32Array;
}

/** Exchanges the arcs at positions x and y of one node's block, keeping every sister link true. */
const swapArcs = (net: FlowNetwork, x: number, y: number): void => {
  const { head, sister, rescap, pairCap, cost } = net;
  const hx = head[x] ?? 0;
  head[x] = head[y] ?? 0;
  head[y] = hx;
  const rx = rescap[x] ?? 0;
  rescap[x] = rescap[y] ?? 0;
  rescap[y] = rx;
  const px = pairCap[x] ?? 0;
  pairCap[x] = pairCap[y] ?? 0;
  pairCap[y] = px;
  const cx = cost[x] ?? 0;
  cost[x] = cost[y] ?? 0;
  cost[y] = cx;
  const sx = sister[x] ?? 0;
  const sy = sister[y] ?? 0;
  sister[x] = sy;
  sister[y] = sx;
  sister[sy] = x;
  sister[sx] = y;
};

/**
 * Pushes the one unit of the residual unit arc at position a of v's block. The arc leaves v's live
 * run at its front: it changes places with the arc at liveStart[v], which a scan of v in progress
 * has already passed over, so the scan goes on at a + 1 and still reads every other arc in its order.
 * The sister joins the front of its node's live run, where a scan in progress over that node has
 * passed too; it is not admissible (its reduced cost is the opposite of a's), so no scan misses it.
 */
export const pushUnit = (net: FlowNetwork, v: number, a: number): void => {
  const { head, sister, rescap, liveStart } = net;
  const w = head[a] ?? 0;
  const s = sister[a] ?? 0;
  rescap[a] = 0;
  rescap[s] = 1;
  const back = (liveStart[w] ?? 0) - 1;
  liveStart[w] = back;
  if (s !== back) swapArcs(net, s, back);
  const front = liveStart[v] ?? 0;
  liveStart[v] = front + 1;
  if (a !== front) swapArcs(net, a, front);
};

/**
 * Pushes `delta` units along v's residual arc at position a: a unit arc by pushUnit (it and its
 * sister change runs), a wider one in place.
 */
export const push = (net: FlowNetwork, v: number, a: number, delta: number): void => {
  if (a < (net.wideFrom[v] ?? 0)) {
    pushUnit(net, v, a);
    return;
  }
  const { sister, rescap } = net;
  rescap[a] = (rescap[a] ?? 0) - delta;
  const s = sister[a] ?? 0;
  rescap[s] = (rescap[s] ?? 0) + delta;
};

/**
 * Pushes the most flow its arcs allow round a cycle given as tail node and arc position of each arc,
 * in turn (exactPotentials finds such cycles). No arc still to push moves while the others are
 * pushed: pushUnit moves, in the tail's block, the arc at the front of its live run, never one the
 * cycle has yet to leave that node by (it leaves each node once), and in the head's block empty
 * arcs only.
 */
export const pushRound = (net: FlowNetwork, cycle: readonly number[]): void => {
  let delta = Number.POSITIVE_INFINITY;
  for (let i = 1; i < cycle.length; i += 2) delta = Math.min(delta, net.rescap[cycle[i] ?? 0] ?? 0);
  for (let i = 0; i < cycle.length; i += 2) push(net, cycle[i] ?? 0, cycle[i + 1] ?? 0, delta);
};

/**
 * Where the matching's nodes sit: one hub Z that is both source and sink (the return arc of a
 * circulation, of cost 0 and unbounded, would only tie their prices together), then
 * Z → origin[g] → seeker → offer → dest[g] → Z. Dest group G is abroad.
 */
export interface MatchingNetwork extends FlowNetwork {
  readonly seekerBase: number;
  readonly offerBase: number;
  readonly destBase: number;
  /** Seeker → offer arcs left after dropping those of weight 0. */
  readonly keptCount: number;
  /** The node of seeker i (seekerNode[i]) and of offer j (offerNode[j]), in the order of nodeOrder. */
  readonly seekerNode: Int32Array;
  readonly offerNode: Int32Array;
  /** The offer at node offerBase + k. */
  readonly offerAt: Int32Array;
}

/**
 * Numbers seekers and offers so that those that share candidates sit near each other: seekers by
 * their first candidate (a run's heaviest: seekers of one trade and place share it and most of their
 * list), ties in input order; offers in the order they first appear in those seekers' lists. The
 * solver reads a node's neighbours' prices all the time, and at a million seekers in input order
 * most of those reads miss the processor's caches: on a national run's arcs, profiled, a global price
 * update took 2.0 s in this order against 2.8 s in input order (bench/README.md). Counting sort:
 * linear, and a function of the input alone.
 */
const nodeOrder = (p: MatchingProblem): { seekerRank: Int32Array; seekerAt: Int32Array; offerRank: Int32Array } => {
  const { arcStart, arcOffer, arcWeight } = p;
  const n = p.origin.length;
  const m = p.capacity.length;
  const key = new Int32Array(n);
  const count = new Int32Array(m + 2);
  for (let i = 0; i < n; i++) {
    let k = m;
    for (let a = arcStart[i] ?? 0, end = arcStart[i + 1] ?? 0; a < end; a++) {
      if ((arcWeight[a] ?? 0) > 0) {
        k = arcOffer[a] ?? 0;
        break;
      }
    }
    key[i] = k;
    count[k + 1] = (count[k + 1] ?? 0) + 1;
  }
  for (let k = 0; k <= m; k++) count[k + 1] = (count[k + 1] ?? 0) + (count[k] ?? 0);
  const seekerRank = new Int32Array(n);
  const inOrder = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = key[i] ?? 0;
    const r = count[k] ?? 0;
    count[k] = r + 1;
    seekerRank[i] = r;
    inOrder[r] = i;
  }
  const offerRank = new Int32Array(m).fill(-1);
  let next = 0;
  for (let r = 0; r < n; r++) {
    const i = inOrder[r] ?? 0;
    for (let a = arcStart[i] ?? 0, end = arcStart[i + 1] ?? 0; a < end; a++) {
      const j = arcOffer[a] ?? 0;
      if ((arcWeight[a] ?? 0) > 0 && offerRank[j] === -1) offerRank[j] = next++;
    }
  }
  for (let j = 0; j < m; j++) if (offerRank[j] === -1) offerRank[j] = next++;
  return { seekerRank, seekerAt: inOrder, offerRank };
};

const capOf = (caps: ArrayLike<number> | undefined, g: number): number => caps?.[g] ?? NO_CAP;

/**
 * An arc whose cap exceeds any flow it could carry is never saturated, so its dual price is 0 and
 * the certificate does not need the cap; this keeps every capacity in Int32 range.
 */
const bounded = (cap: number, mostFlow: number): number => (cap === NO_CAP || cap > mostFlow ? mostFlow + 1 : cap);

export const buildMatchingNetwork = (p: MatchingProblem): MatchingNetwork => {
  const { groupCount: G, origin, capacity, dest, arcStart, arcOffer, arcWeight } = p;
  const n = origin.length;
  const m = capacity.length;
  const seekerBase = 1 + G;
  const offerBase = seekerBase + n;
  const destBase = offerBase + m;
  const nodeCount = destBase + G + 1;
  const { seekerRank, seekerAt, offerRank } = nodeOrder(p);
  const seekerNode = seekerRank.map((r) => seekerBase + r);
  const offerNode = offerRank.map((r) => offerBase + r);
  const offerAt = new Int32Array(m);
  for (let j = 0; j < m; j++) offerAt[offerRank[j] ?? 0] = j;
  const destNode = (j: number): number => {
    const d = dest[j] ?? ABROAD;
    return destBase + (d === ABROAD ? G : d);
  };

  // Candidates kept (weight > 0) into each offer and out of each seeker.
  const offerIn = new Int32Array(m);
  const seekerOut = new Int32Array(n);
  const originSize = new Int32Array(G);
  let keptCount = 0;
  for (let i = 0; i < n; i++) {
    const o = origin[i] ?? 0;
    originSize[o] = (originSize[o] ?? 0) + 1;
    const before = keptCount;
    for (let a = arcStart[i] ?? 0, end = arcStart[i + 1] ?? 0; a < end; a++) {
      if ((arcWeight[a] ?? 0) <= 0) continue;
      const j = arcOffer[a] ?? 0;
      offerIn[j] = (offerIn[j] ?? 0) + 1;
      keptCount++;
    }
    seekerOut[i] = keptCount - before;
  }
  const offerCap = new Int32Array(m);
  const destMostFlow = new Float64Array(G + 1);
  for (let j = 0; j < m; j++) {
    const inDeg = offerIn[j] ?? 0;
    offerCap[j] = bounded(capacity[j] ?? 1, inDeg);
    const g = destNode(j) - destBase;
    destMostFlow[g] = (destMostFlow[g] ?? 0) + Math.min(capacity[j] ?? 1, inDeg);
  }

  /**
   * Every arc but the seekers' candidates (a few per seeker and offer), in one fixed order: counted
   * by the first pass, placed by the second, before the candidates, which are counted and placed by
   * loops of their own (at national size, 50 million arcs through a callback cost a second a pass).
   */
  const eachOtherArc = (emit: (u: number, v: number, cap: number, c: number) => void): void => {
    const capOrigin = p.maxPlacedFromOrigin;
    for (let g = 0; g < G; g++) emit(0, 1 + g, bounded(capOf(capOrigin, g), originSize[g] ?? 0), 0);
    for (let g = 0; g <= G; g++) {
      const cap = g === G ? (p.abroadCap ?? NO_CAP) : capOf(p.maxPlacedIntoDest, g);
      emit(destBase + g, 0, bounded(cap, Math.min(n, destMostFlow[g] ?? 0)), 0);
    }
    // In node order, so that each block lists its neighbours in node order too.
    for (let r = 0; r < n; r++) {
      const i = seekerAt[r] ?? 0;
      emit(1 + (origin[i] ?? 0), seekerBase + r, 1, 0);
    }
    for (let k = 0; k < m; k++) emit(offerBase + k, destNode(offerAt[k] ?? 0), offerCap[offerAt[k] ?? 0] ?? 1, 0);
  };

  // Per node: unit arcs that start empty (reverse), unit arcs that start residual (forward), others.
  const dead = new Int32Array(nodeCount);
  const live = new Int32Array(nodeCount);
  const wide = new Int32Array(nodeCount);
  eachOtherArc((u, v, cap) => {
    if (cap === 1) {
      live[u] = (live[u] ?? 0) + 1;
      dead[v] = (dead[v] ?? 0) + 1;
    } else {
      wide[u] = (wide[u] ?? 0) + 1;
      wide[v] = (wide[v] ?? 0) + 1;
    }
  });
  // The candidates, unit arcs all: a seeker's residual ones, an offer's empty ones.
  for (let i = 0; i < n; i++) {
    const v = seekerNode[i] ?? 0;
    live[v] = (live[v] ?? 0) + (seekerOut[i] ?? 0);
  }
  for (let j = 0; j < m; j++) {
    const v = offerNode[j] ?? 0;
    dead[v] = (dead[v] ?? 0) + (offerIn[j] ?? 0);
  }
  const first = new Int32Array(nodeCount + 1);
  const liveStart = new Int32Array(nodeCount);
  const wideFrom = new Int32Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) {
    liveStart[v] = (first[v] ?? 0) + (dead[v] ?? 0);
    wideFrom[v] = (liveStart[v] ?? 0) + (live[v] ?? 0);
    first[v + 1] = (wideFrom[v] ?? 0) + (wide[v] ?? 0);
  }
  const arcCount = first[nodeCount] ?? 0;
  const head = new Int32Array(arcCount);
  const sister = new Int32Array(arcCount);
  const rescap = new Int32Array(arcCount);
  const pairCap = new Int32Array(arcCount);
  const cost = new Int32Array(arcCount);
  const scale = nodeCount + 1;
  // Fill pointers of each block's three runs.
  const deadFill = first.slice(0, nodeCount);
  const liveFill = liveStart.slice();
  const wideFill = wideFrom.slice();
  eachOtherArc((u, v, cap, c) => {
    let a: number;
    let b: number;
    if (cap === 1) {
      a = liveFill[u] ?? 0;
      liveFill[u] = a + 1;
      b = deadFill[v] ?? 0;
      deadFill[v] = b + 1;
    } else {
      a = wideFill[u] ?? 0;
      wideFill[u] = a + 1;
      b = wideFill[v] ?? 0;
      wideFill[v] = b + 1;
    }
    head[a] = v;
    head[b] = u;
    sister[a] = b;
    sister[b] = a;
    rescap[a] = cap;
    pairCap[a] = cap;
    pairCap[b] = cap;
    cost[a] = c;
    cost[b] = -c;
  });
  // The candidates after every other arc, seekers in node order, each seeker's in input order.
  for (let r = 0; r < n; r++) {
    const i = seekerAt[r] ?? 0;
    const v = seekerBase + r;
    let a = liveFill[v] ?? 0;
    for (let x = arcStart[i] ?? 0, end = arcStart[i + 1] ?? 0; x < end; x++) {
      const w = arcWeight[x] ?? 0;
      if (w <= 0) continue;
      const u = offerNode[arcOffer[x] ?? 0] ?? 0;
      const b = deadFill[u] ?? 0;
      deadFill[u] = b + 1;
      head[a] = u;
      head[b] = v;
      sister[a] = b;
      sister[b] = a;
      rescap[a] = 1;
      pairCap[a] = 1;
      pairCap[b] = 1;
      cost[a] = -w;
      cost[b] = w;
      a++;
    }
    liveFill[v] = a;
  }
  return {
    nodeCount,
    first,
    head,
    sister,
    rescap,
    pairCap,
    cost,
    scale,
    liveStart,
    wideFrom,
    seekerBase,
    offerBase,
    destBase,
    keptCount,
    seekerNode,
    offerNode,
    offerAt,
  };
};
