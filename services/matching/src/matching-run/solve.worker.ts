import { parentPort, workerData } from 'node:worker_threads';
import { buildProblemSplit, solveProblem, solveRun, type Progress, type SolveRequest, type SolveResult } from './solve';
import { candidatesOffThread } from './solve-thread';

/**
 * From this many seekers on, a helper thread computes the second half's candidates while this one
 * computes the first: a national run's candidates took 145 s on one thread. Below it, starting a
 * thread costs more than it saves.
 */
const SPLIT_FROM = 20_000;

const solve = async (request: SolveRequest, progress: Progress): Promise<SolveResult> => {
  const n = request.arrays.seekers;
  if (n < SPLIT_FROM) return solveRun(request, progress);
  const started = performance.now();
  const split = Math.floor(n / 2);
  const problem = await buildProblemSplit(request, split, candidatesOffThread(request, split, n), progress);
  return solveProblem(request, problem, performance.now() - started, progress);
};

/*
 * The solving thread: it receives one run's arrays, reports its progress, answers the result and
 * ends. Its event loop is its own, so the service's HTTP, health and consumers keep answering.
 */
const port = parentPort;
if (!port) throw new Error('solve.worker runs as a worker thread');
solve(workerData as SolveRequest, (phase, done, total) =>
  port.postMessage({ kind: 'progress', phase, done, total }),
).then(
  (result) =>
    port.postMessage({ kind: 'done', result }, [
      result.assignment.buffer as ArrayBuffer,
      result.score.buffer as ArrayBuffer,
      result.weight.buffer as ArrayBuffer,
    ]),
  (error: unknown) => {
    // An error's own fields (the engine's code) do not survive the thread's edge: sent as data.
    const e = error instanceof Error ? error : new Error(String(error));
    const code = (e as { code?: unknown }).code;
    port.postMessage({
      kind: 'failed',
      name: e.name,
      message: e.message,
      ...(typeof code === 'string' ? { code } : {}),
    });
  },
);
