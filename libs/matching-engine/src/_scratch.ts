import { ABROAD, NO_CAP, optimiseMatching, greedyMatching, checkAssignment, dualBound } from './index';
import { mulberry32 } from './random-problem.spec-helper';
const variant = process.env.V ?? 'base';
const n = Number(process.env.N ?? 100000), m = Number(process.env.M ?? 20000), K = 50, G = 12;
const rand = mulberry32(7); const int = (k: number) => Math.floor(rand() * k);
const origin = Int32Array.from({ length: n }, () => int(G));
const capacity = Int32Array.from({ length: m }, () => variant === 'cap1' ? 1 : 1 + int(10));
const dest = Int32Array.from({ length: m }, () => rand() < 0.05 ? ABROAD : int(G));
const arcStart = new Int32Array(n + 1), arcOffer = new Int32Array(n * K), arcWeight = new Int32Array(n * K);
const seen = new Int32Array(m).fill(-1); let a = 0;
for (let i = 0; i < n; i++) { for (let c = 0; c < K; c++) { let j; do { j = int(m); } while (seen[j] === i); seen[j] = i; arcOffer[a] = j;
  arcWeight[a] = variant === 'ones' ? 1 : variant === 'three' ? 1 + int(3) : variant === 'big' ? 1 + int(10_000_000) : 1 + int(1000); a++; } arcStart[i + 1] = a; }
const caps = variant === 'nocaps' ? {} : variant === 'tight' ? { maxPlacedFromOrigin: Array.from({ length: G }, () => Math.floor(n / G / 3)), maxPlacedIntoDest: Array.from({ length: G }, () => Math.floor(n / G / 2)), abroadCap: 100 }
  : { maxPlacedFromOrigin: Array.from({ length: G }, (_, g) => g < 3 ? Math.floor(n / G * 0.6) : NO_CAP), maxPlacedIntoDest: Array.from({ length: G }, (_, g) => g % 4 === 1 ? Math.floor(n / G * 0.5) : NO_CAP), abroadCap: 1000 };
const p = { groupCount: G, origin, capacity, dest, arcStart, arcOffer, arcWeight, ...caps };
const t = performance.now(); const r = optimiseMatching(p); const ms = performance.now() - t;
const g = greedyMatching(p);
const ok = checkAssignment(p, r.assignment).violations.length === 0 && dualBound(p, r.duals) === r.objective;
console.log(variant, `opt ${(ms / 1000).toFixed(2)} s obj ${r.objective} placed ${r.placed} phases ${r.stats.phases} relabels ${r.stats.relabels} updates ${r.stats.priceUpdates} certified ${ok} greedy/opt ${(g.objective / r.objective).toFixed(4)}`);
