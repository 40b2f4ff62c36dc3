/**
 * Fold time of the deciders whose state grows a list with every event, at 10,000 and 40,000 events of each
 * stream's shape (fold-shapes.ts, fold-shapes-subsidies.ts). Each is set against the copying fold it replaced
 * (`[...state.list, item]` in `evolve`), written beside the shape and timed in the same run on the same events.
 * A linear fold takes about 4× as long for 4× the events; the copying fold 16× in copies, and more in time once
 * its garbage outgrows the young generation. Pure CPU, no database. `BENCH_ROUNDS` sets the fold's rounds
 * (default 5), the best one kept.
 */
import { committee, convention, offer, type Shape } from './fold-shapes';
import { parameter, worksProject } from './fold-shapes-subsidies';

const SIZES = [10_000, 40_000] as const;
const rounds = Number(process.env.BENCH_ROUNDS ?? '5');
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`BENCH_ROUNDS must be a positive integer`);

/**
 * CPU milliseconds of the process (user and system, every thread: the garbage collector's work counts), not the
 * wall clock: on a 2-core machine shared with other work, the wall clock measures the neighbours as much as us.
 */
const cpuMs = (run: () => unknown): number => {
  const start = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};

/**
 * The fold's best of `rounds` runs after a warm-up, each run repeating the fold enough times to last about 50 ms
 * (a 10,000-event fold can take less than a millisecond), then the copying fold once: at 40,000 events it takes
 * seconds, far beyond any noise, and running it last keeps its garbage out of the fold's timing.
 */
const measure = (shape: Shape, count: number): { fold: number; copyFold: number } => {
  const events = shape.events(count);
  if (events.length !== count) throw new Error(`${shape.name}: ${events.length} events, not ${count}`);
  let folded: unknown;
  const once = cpuMs(() => {
    folded = shape.fold(events);
  });
  const repeats = Math.max(1, Math.ceil(50 / Math.max(once, 0.05)));
  let fold = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    const total = cpuMs(() => {
      for (let i = 0; i < repeats; i += 1) shape.fold(events);
    });
    fold = Math.min(fold, total / repeats);
  }
  let copied: unknown;
  const copyFold = cpuMs(() => {
    copied = shape.copyFold(events);
  });
  if (shape.items(folded) !== shape.items(copied) || shape.items(folded) === 0)
    throw new Error(`${shape.name}: the folds disagree on ${count} events`);
  return { fold, copyFold };
};

const COLUMNS = [
  ['stream shape', -42],
  ['events', 8],
  ['fold', 10],
  ['copy-fold', 12],
  ['fold ×', 9],
  ['copy-fold ×', 13],
] as const;
const row = (cells: readonly string[]): string =>
  COLUMNS.map(([, width], i) => {
    const cell = cells[i] ?? '';
    return width < 0 ? cell.padEnd(-width) : cell.padStart(width);
  }).join('');

const main = (): void => {
  console.log(`CPU ms. fold: best of ${rounds} rounds; copy-fold: one run. ×: 40,000 events over 10,000 (linear ≈ 4×)`);
  console.log(row(COLUMNS.map(([title]) => title)));
  for (const shape of [committee, offer, convention, worksProject, parameter]) {
    const [small, large] = SIZES.map((count) => measure(shape, count));
    if (!small || !large) continue;
    console.log(row([shape.name, String(SIZES[0]), small.fold.toFixed(1), small.copyFold.toFixed(1)]));
    console.log(
      row([
        '',
        String(SIZES[1]),
        large.fold.toFixed(1),
        large.copyFold.toFixed(1),
        `${(large.fold / small.fold).toFixed(1)}×`,
        `${(large.copyFold / small.copyFold).toFixed(1)}×`,
      ]),
    );
  }
};

main();
