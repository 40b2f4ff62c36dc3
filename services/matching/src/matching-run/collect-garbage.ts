import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full collection of this thread's heap, now. A batch run drops its folded inputs (about a gigabyte
 * at a million seekers) once it has built the solver's arrays; the service's thread then sits idle
 * while the solving thread works, and V8 collects an idle heap only when it next allocates. With the
 * candidates computed in 43 s rather than 149, the solver built its network before that happened, and
 * a national run's peak RSS went from 3.14 to 4.79 GB (bench/README.md, 2026-12-07). The collection
 * is asked for explicitly instead, as Jest does to find leaks: `gc` exposed at run time, taken from
 * a new context. It pauses this thread for the marking of what is still live.
 */
export const collectGarbage = (): void => {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
};

/**
 * While a batch run holds its inputs, V8 may let the heap grow to at most this many percent above
 * what survived each full collection, rather than up to four times when a process allocates fast.
 * At a million seekers the run peaked at 3.80 and 3.87 GB of RSS without a bound and 3.56 GB with
 * this one (64 MiB semi-spaces; 3.72-3.83 GB with the 128 MiB the scripts now give: bench/README.md,
 * 2026-12-07).
 */
const RUN_HEAP_GROWING_PERCENT = 30;

/** Whether the process was started with a growth factor of its own, which is then left alone. */
const growthSetByOperator = (): boolean =>
  [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) =>
    /^--heap[-_]growing[-_]percent/.test(arg),
  );

let runsBounding = 0;

/**
 * Bounds the heap's growth (RUN_HEAP_GROWING_PERCENT) until the function returned is called, for as
 * long as one batch run at least holds such a bound. V8's flag is the process's, so the bound holds
 * for its other work meanwhile too; outside runs the process keeps V8's own growth, which spends far
 * less on full collections in a small heap: a service whose heap held about 35 MB, bounded
 * throughout, collected in full after nearly every young collection (bench/README.md, 2026-12-07).
 */
export const boundHeapGrowth = (): (() => void) => {
  if (growthSetByOperator()) return () => {};
  if (runsBounding++ === 0) setFlagsFromString(`--heap-growing-percent=${RUN_HEAP_GROWING_PERCENT}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--runsBounding === 0) setFlagsFromString('--heap-growing-percent=0');
  };
};
