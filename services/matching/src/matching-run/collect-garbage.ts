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
