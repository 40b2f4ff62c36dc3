import { ABROAD, NO_CAP, type MatchingProblem } from './matching.types';

/**
 * Residual graph in CSR form: node v's arcs are first[v] .. first[v + 1] - 1, and every arc has its
 * reverse at sister[a]. A forward arc starts with its capacity and its reverse with 0, so flow on an
 * arc is the reverse's rescap. Costs are the caller's integers (Int32, half the memory of Float64 at
 * a hundred million arcs); prices are in units of 1/scale of them (see cost-scaling.ts).
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
}

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
}

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
  const destNode = (j: number): number => {
    const d = dest[j] ?? ABROAD;
    return destBase + (d === ABROAD ? G : d);
  };

  const degree = new Int32Array(nodeCount + 1);
  const offerIn = new Int32Array(m);
  const originSize = new Int32Array(G);
  let keptCount = 0;
  for (let i = 0; i < n; i++) {
    const o = origin[i] ?? 0;
    originSize[o] = (originSize[o] ?? 0) + 1;
    let kept = 0;
    for (let a = arcStart[i] ?? 0, end = arcStart[i + 1] ?? 0; a < end; a++) {
      if ((arcWeight[a] ?? 0) <= 0) continue;
      const j = arcOffer[a] ?? 0;
      offerIn[j] = (offerIn[j] ?? 0) + 1;
      kept++;
    }
    keptCount += kept;
    degree[seekerBase + i] = kept + 1;
  }
  const offerCap = new Int32Array(m);
  const destMostFlow = new Float64Array(G + 1);
  for (let j = 0; j < m; j++) {
    const inDeg = offerIn[j] ?? 0;
    offerCap[j] = bounded(capacity[j] ?? 1, inDeg);
    degree[offerBase + j] = inDeg + 1;
    const g = destNode(j) - destBase;
    destMostFlow[g] = (destMostFlow[g] ?? 0) + Math.min(capacity[j] ?? 1, inDeg);
    degree[destNode(j)] = (degree[destNode(j)] ?? 0) + 1;
  }
  degree[0] = 2 * G + 1;
  for (let g = 0; g < G; g++) degree[1 + g] = (originSize[g] ?? 0) + 1;
  for (let g = 0; g <= G; g++) degree[destBase + g] = (degree[destBase + g] ?? 0) + 1;

  const first = new Int32Array(nodeCount + 1);
  for (let v = 0; v < nodeCount; v++) first[v + 1] = (first[v] ?? 0) + (degree[v] ?? 0);
  const arcCount = first[nodeCount] ?? 0;
  const head = new Int32Array(arcCount);
  const sister = new Int32Array(arcCount);
  const rescap = new Int32Array(arcCount);
  const pairCap = new Int32Array(arcCount);
  const cost = new Int32Array(arcCount);
  const fill = first.slice(0, nodeCount);
  const scale = nodeCount + 1;

  const addArc = (u: number, v: number, cap: number, c: number): number => {
    const a = fill[u] ?? 0;
    const b = fill[v] ?? 0;
    fill[u] = a + 1;
    fill[v] = b + 1;
    head[a] = v;
    head[b] = u;
    sister[a] = b;
    sister[b] = a;
    rescap[a] = cap;
    pairCap[a] = cap;
    pairCap[b] = cap;
    cost[a] = c;
    cost[b] = -c;
    return a;
  };

  const capOrigin = p.maxPlacedFromOrigin;
  for (let g = 0; g < G; g++) addArc(0, 1 + g, bounded(capOf(capOrigin, g), originSize[g] ?? 0), 0);
  for (let g = 0; g <= G; g++) {
    const cap = g === G ? (p.abroadCap ?? NO_CAP) : capOf(p.maxPlacedIntoDest, g);
    addArc(destBase + g, 0, bounded(cap, Math.min(n, destMostFlow[g] ?? 0)), 0);
  }
  for (let i = 0; i < n; i++) addArc(1 + (origin[i] ?? 0), seekerBase + i, 1, 0);
  for (let j = 0; j < m; j++) addArc(offerBase + j, destNode(j), offerCap[j] ?? 1, 0);
  for (let i = 0; i < n; i++) {
    for (let a = arcStart[i] ?? 0, end = arcStart[i + 1] ?? 0; a < end; a++) {
      const w = arcWeight[a] ?? 0;
      if (w <= 0) continue;
      addArc(seekerBase + i, offerBase + (arcOffer[a] ?? 0), 1, -w);
    }
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
    seekerBase,
    offerBase,
    destBase,
    keptCount,
  };
};
