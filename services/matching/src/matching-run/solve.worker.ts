import { parentPort, workerData } from 'node:worker_threads';
import { solveRun, type SolveRequest } from './solve';

/*
 * The solving thread: it receives one run's arrays, reports its progress, answers the result and
 * ends. Its event loop is its own, so the service's HTTP, health and consumers keep answering.
 */
const port = parentPort;
if (!port) throw new Error('solve.worker runs as a worker thread');
try {
  const result = solveRun(workerData as SolveRequest, (phase, done, total) =>
    port.postMessage({ kind: 'progress', phase, done, total }),
  );
  port.postMessage({ kind: 'done', result }, [
    result.assignment.buffer as ArrayBuffer,
    result.score.buffer as ArrayBuffer,
    result.weight.buffer as ArrayBuffer,
  ]);
} catch (error) {
  // An error's own fields (the engine's code) do not survive the thread's edge: sent as data.
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  port.postMessage({ kind: 'failed', name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) });
}
