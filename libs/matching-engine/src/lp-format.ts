import { ABROAD, NO_CAP, type MatchingProblem } from './matching.types';

/**
 * The problem as a linear programme in CPLEX LP format, so that an auditor can hand a recorded run to
 * any LP/MIP solver. Variable `x<a>` is arc a (its index in arcOffer), between 0 and 1; `integer`
 * declares them General. Arcs of weight 0 are left out: they add nothing to any objective.
 * A variable may appear in a row with coefficient 1 only, and every row is `<=`, as LP format needs.
 */
/** LP readers cap line length (CPLEX at 560 characters), so long sums go on continuation lines. */
const sum = (terms: readonly string[]): string => {
  const lines: string[] = [];
  for (let k = 0; k < terms.length; k += 8) lines.push(terms.slice(k, k + 8).join(' + '));
  return lines.join('\n   + ');
};

export const toCplexLp = (p: MatchingProblem, options: { readonly integer: boolean }): string => {
  const { groupCount: G, origin, capacity, dest, arcStart, arcOffer, arcWeight } = p;
  const n = origin.length;
  const m = capacity.length;
  const byOffer: string[][] = Array.from({ length: m }, () => []);
  const byOrigin: string[][] = Array.from({ length: G }, () => []);
  const byDest: string[][] = Array.from({ length: G + 1 }, () => []);
  const objective: string[] = [];
  const seekerRows: string[] = [];
  const vars: string[] = [];
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    for (let a = arcStart[i] ?? 0, end = arcStart[i + 1] ?? 0; a < end; a++) {
      const w = arcWeight[a] ?? 0;
      if (w <= 0) continue;
      const x = `x${a}`;
      const j = arcOffer[a] ?? 0;
      const d = dest[j] ?? ABROAD;
      vars.push(x);
      objective.push(`${w} ${x}`);
      row.push(x);
      byOffer[j]?.push(x);
      byOrigin[origin[i] ?? 0]?.push(x);
      byDest[d === ABROAD ? G : d]?.push(x);
    }
    if (row.length > 0) seekerRows.push(` seeker${i}: ${sum(row)} <= 1`);
  }
  const rows = [...seekerRows];
  byOffer.forEach((xs, j) => xs.length > 0 && rows.push(` offer${j}: ${sum(xs)} <= ${capacity[j] ?? 0}`));
  const capRows = (name: string, groups: string[][], cap: (g: number) => number): void => {
    groups.forEach((xs, g) => {
      const c = cap(g);
      if (c !== NO_CAP && xs.length > 0) rows.push(` ${name}${g}: ${sum(xs)} <= ${c}`);
    });
  };
  capRows('origin', byOrigin, (g) => p.maxPlacedFromOrigin?.[g] ?? NO_CAP);
  capRows('dest', byDest, (g) => (g === G ? (p.abroadCap ?? NO_CAP) : (p.maxPlacedIntoDest?.[g] ?? NO_CAP)));
  return [
    'Maximize',
    ` obj: ${objective.length > 0 ? sum(objective) : '0 x_none'}`,
    'Subject To',
    ...(rows.length > 0 ? rows : [' none: 0 x_none <= 0']),
    'Bounds',
    ...vars.map((x) => ` 0 <= ${x} <= 1`),
    ...(options.integer && vars.length > 0 ? ['General', ...vars.map((x) => ` ${x}`)] : []),
    'End',
    '',
  ].join('\n');
};
