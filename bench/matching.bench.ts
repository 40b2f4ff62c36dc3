/**
 * The matching optimiser at the target size (BENCH_SCALE=1: 100,000 seekers × 20,000 offers, 50
 * candidate offers each, 12 regions and abroad), set against the greedy baseline on the same
 * instance. Every figure comes with its own check: both assignments are re-verified from the problem
 * alone, and the optimum's LP prices must bound it exactly. Then, unless BENCH_PART=optimiser, the
 * run end to end through `POST /matching-runs` on the service over the PostgreSQL server
 * (bench/matching-e2e.ts, BENCH_E2E_SCALE, default 0.02: 20,000 seekers × 4,000 offers). BENCH_PART=e2e
 * runs that alone, so that its memory is its own. BENCH_PART=arcs solves a run's own arcs without a
 * database instead (bench/matching-arcs.ts, BENCH_ARCS_SCALE, default 1: national). See bench/README.md.
 */
import { availableParallelism, cpus } from 'node:os';
import {
  ABROAD,
  NO_CAP,
  checkAssignment,
  dualBound,
  greedyMatching,
  mulberry32,
  optimiseMatching,
  regionalWeight,
  type MatchingProblem,
} from '@tashghil/matching-engine';
import { optimiserOnRunArcs } from './matching-arcs';
import { endToEnd } from './matching-e2e';

const REGIONS = 12;
const CANDIDATES = 50;
/** Roughly each region's share of the population (2024 census), in MA-01..MA-12 order. */
const SEEKER_SHARE = [10.5, 6.8, 12.4, 13.5, 7.2, 20.0, 13.3, 4.8, 8.0, 1.3, 1.1, 0.4];
/** Offers lean further toward the economic centres than seekers do. */
const OFFER_SHARE = [12.0, 5.0, 10.0, 15.0, 5.0, 26.0, 11.0, 3.0, 8.0, 1.5, 2.0, 1.5];
const ABROAD_OFFER_SHARE = 0.05;
const OWN_REGION = 0.6;
const ABROAD_CANDIDATES = 0.1;
const BETA = 1;

const scale = (): number => {
  const s = Number(process.env.BENCH_SCALE ?? '1');
  if (!Number.isFinite(s) || s <= 0)
    throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`);
  return s;
};

const pickShare = (shares: readonly number[], total: number, u: number): number => {
  let acc = 0;
  for (let g = 0; g < shares.length; g++) {
    acc += shares[g] ?? 0;
    if (u * total < acc) return g;
  }
  return shares.length - 1;
};

interface Instance {
  readonly problem: MatchingProblem;
  readonly multipliers: Int32Array;
}

const generate = (n: number, m: number, seed: number): Instance => {
  const rand = mulberry32(seed);
  const int = (k: number): number => Math.floor(rand() * k);
  const seekerTotal = SEEKER_SHARE.reduce((s, x) => s + x, 0);
  const offerTotal = OFFER_SHARE.reduce((s, x) => s + x, 0);
  // Drawn first, so that the multipliers are the same at every BENCH_SCALE.
  const rates = Array.from({ length: REGIONS }, () => 0.15 + 0.3 * rand());
  const multipliers = regionalWeight(rates, BETA);

  const origin = new Int32Array(n);
  for (let i = 0; i < n; i++) origin[i] = pickShare(SEEKER_SHARE, seekerTotal, rand());
  const capacity = new Int32Array(m);
  const dest = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    capacity[j] = 1 + int(10);
    dest[j] = rand() < ABROAD_OFFER_SHARE ? ABROAD : pickShare(OFFER_SHARE, offerTotal, rand());
  }
  const byDest: number[][] = Array.from({ length: REGIONS + 1 }, () => []);
  for (let j = 0; j < m; j++) byDest[(dest[j] ?? 0) === ABROAD ? REGIONS : (dest[j] ?? 0)]?.push(j);
  const pool = byDest.map((js) => Int32Array.from(js));

  const arcStart = new Int32Array(n + 1);
  const arcOffer = new Int32Array(n * CANDIDATES);
  const arcWeight = new Int32Array(n * CANDIDATES);
  const seen = new Int32Array(m).fill(-1);
  let a = 0;
  for (let i = 0; i < n; i++) {
    const o = origin[i] ?? 0;
    const mult = multipliers[o] ?? 100;
    for (let c = 0; c < CANDIDATES; c++) {
      for (let tries = 0; ; tries++) {
        const u = rand();
        const g = u < OWN_REGION ? o : u < 1 - ABROAD_CANDIDATES ? pickShare(OFFER_SHARE, offerTotal, rand()) : REGIONS;
        const js = pool[g] ?? new Int32Array(0);
        // Small pools (few abroad offers at a low scale) fall back to any offer.
        const j = js.length > 2 * CANDIDATES && tries < 20 ? (js[int(js.length)] ?? 0) : int(m);
        if (seen[j] === i) continue;
        seen[j] = i;
        arcOffer[a] = j;
        arcWeight[a] = (1 + int(1000)) * mult;
        a++;
        break;
      }
    }
    arcStart[i + 1] = a;
  }
  const seekersOf = new Int32Array(REGIONS);
  for (let i = 0; i < n; i++) seekersOf[origin[i] ?? 0] = (seekersOf[origin[i] ?? 0] ?? 0) + 1;
  const seatsIn = new Int32Array(REGIONS + 1);
  for (let j = 0; j < m; j++) {
    const g = (dest[j] ?? 0) === ABROAD ? REGIONS : (dest[j] ?? 0);
    seatsIn[g] = (seatsIn[g] ?? 0) + (capacity[j] ?? 0);
  }
  // Caps meant to bind: the largest region may fill at most 60 % of its seekers, Rabat-Salé-Kénitra
  // and Souss-Massa may receive half their seats' worth, and abroad 40 % of its seats.
  const maxPlacedFromOrigin = new Array<number>(REGIONS).fill(NO_CAP);
  maxPlacedFromOrigin[5] = Math.floor(0.6 * (seekersOf[5] ?? 0));
  const maxPlacedIntoDest = new Array<number>(REGIONS).fill(NO_CAP);
  maxPlacedIntoDest[3] = Math.floor(0.5 * (seatsIn[3] ?? 0));
  maxPlacedIntoDest[8] = Math.floor(0.5 * (seatsIn[8] ?? 0));
  const abroadCap = Math.floor(0.4 * (seatsIn[REGIONS] ?? 0));
  const problem = {
    groupCount: REGIONS,
    origin,
    capacity,
    dest,
    arcStart,
    arcOffer,
    arcWeight,
    maxPlacedFromOrigin,
    maxPlacedIntoDest,
    abroadCap,
  };
  return { problem, multipliers };
};

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const count = (x: number): string => x.toLocaleString('en-US');

let peakHeap = 0;
let peakRss = 0;
const sample = (): void => {
  const u = process.memoryUsage();
  peakHeap = Math.max(peakHeap, u.heapUsed);
  peakRss = Math.max(peakRss, u.rss);
};

const region = (g: number): string => `MA-${String(g + 1).padStart(2, '0')}`;

const capUse = (p: MatchingProblem, assignment: Int32Array): string => {
  const from = new Int32Array(REGIONS);
  const into = new Int32Array(REGIONS + 1);
  for (let i = 0; i < assignment.length; i++) {
    const j = assignment[i] ?? -1;
    if (j < 0) continue;
    from[p.origin[i] ?? 0] = (from[p.origin[i] ?? 0] ?? 0) + 1;
    const d = p.dest[j] ?? 0;
    const g = d === ABROAD ? REGIONS : d;
    into[g] = (into[g] ?? 0) + 1;
  }
  const parts: string[] = [];
  for (let g = 0; g < REGIONS; g++) {
    const o = p.maxPlacedFromOrigin?.[g] ?? NO_CAP;
    if (o !== NO_CAP) parts.push(`from ${region(g)} ${count(from[g] ?? 0)}/${count(o)}`);
    const d = p.maxPlacedIntoDest?.[g] ?? NO_CAP;
    if (d !== NO_CAP) parts.push(`into ${region(g)} ${count(into[g] ?? 0)}/${count(d)}`);
  }
  parts.push(`abroad ${count(into[REGIONS] ?? 0)}/${count(p.abroadCap ?? NO_CAP)}`);
  return parts.join(', ');
};

const main = (): void => {
  const s = scale();
  const n = Math.round(100_000 * s);
  const m = Math.round(20_000 * s);
  sample();
  let t = performance.now();
  const { problem, multipliers } = generate(n, m, 20261123);
  const buildMs = performance.now() - t;
  sample();
  const totalSeats = problem.capacity.reduce((x, c) => x + c, 0);
  console.log(
    `instance: ${count(n)} seekers × ${count(m)} offers (${count(totalSeats)} seats), ${count(problem.arcOffer.length)} arcs, ${REGIONS} regions + abroad, seed 20261123`,
  );
  console.log(`regional multipliers (beta ${BETA}): ${Array.from(multipliers).join(' ')}`);
  console.log(
    `build instance: ${seconds(buildMs)} (the optimiser time below includes validating it and building its flow network)`,
  );

  t = performance.now();
  const opt = optimiseMatching(problem);
  const optMs = performance.now() - t;
  sample();
  const optCheck = checkAssignment(problem, opt.assignment);
  const bound = dualBound(problem, opt.duals);
  sample();
  console.log(`optimiser: ${seconds(optMs)}, objective ${count(opt.objective)}, placed ${count(opt.placed)}`);
  const st = opt.stats;
  console.log(
    `  ${st.phases} phases, ${count(st.pushes)} pushes, ${count(st.relabels)} relabels, ${st.priceUpdates} price updates (${st.updatesSkipped} skipped), ${st.cycles} cycles cancelled`,
  );
  console.log(`  caps: ${capUse(problem, opt.assignment)}`);
  console.log(
    `  certificate: LP dual bound ${count(bound)} ${bound === opt.objective ? '= objective (optimal)' : '≠ objective'}`,
  );

  t = performance.now();
  const greedy = greedyMatching(problem);
  const greedyMs = performance.now() - t;
  sample();
  const greedyCheck = checkAssignment(problem, greedy.assignment);
  console.log(`greedy: ${seconds(greedyMs)}, objective ${count(greedy.objective)}, placed ${count(greedy.placed)}`);
  console.log(`  caps: ${capUse(problem, greedy.assignment)}`);
  console.log(`greedy / optimal = ${(greedy.objective / opt.objective).toFixed(5)}`);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    `memory: peak RSS ${mb(Math.max(maxRss, peakRss))} (getrusage), sampled RSS ${mb(peakRss)}, heapUsed ${mb(peakHeap)}`,
  );
  console.log(
    `nproc ${availableParallelism()} (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}, BENCH_SCALE=${s}`,
  );

  const problems = [
    ...optCheck.violations.map((v) => `optimum: ${v}`),
    ...greedyCheck.violations.map((v) => `greedy: ${v}`),
    ...(optCheck.objective !== opt.objective
      ? [`optimum reports ${opt.objective}, recomputed ${optCheck.objective}`]
      : []),
    ...(bound !== opt.objective ? [`dual bound ${bound} differs from the objective ${opt.objective}`] : []),
    ...(greedy.objective > opt.objective ? [`greedy ${greedy.objective} beats the optimum ${opt.objective}`] : []),
  ];
  if (problems.length > 0) throw new Error(problems.join('; '));
};

const part = process.env.BENCH_PART ?? 'both';

const run = async (): Promise<void> => {
  if (part === 'arcs') {
    const arcsScale = Number(process.env.BENCH_ARCS_SCALE ?? '1');
    if (!Number.isFinite(arcsScale) || arcsScale <= 0) throw new Error('BENCH_ARCS_SCALE must be a positive number');
    const problems = await optimiserOnRunArcs(arcsScale, (line) => console.log(line));
    if (problems.length > 0) throw new Error(problems.join('; '));
    return;
  }
  if (part !== 'e2e') main();
  if (part === 'optimiser') return;
  const e2eScale = Number(process.env.BENCH_E2E_SCALE ?? '0.02');
  if (!Number.isFinite(e2eScale) || e2eScale <= 0) throw new Error('BENCH_E2E_SCALE must be a positive number');
  const problems = await endToEnd(e2eScale, (line) => console.log(line));
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(`e2e: BENCH_E2E_SCALE=${e2eScale}, process peak RSS ${mb(maxRss)} (getrusage, loading included)`);
  if (problems.length > 0) throw new Error(problems.join('; '));
};

run().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`matching bench failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
